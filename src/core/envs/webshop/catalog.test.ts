import { describe, expect, it } from 'vitest';
import { formatPrice, generateCatalog, generateGoals, joinAnd, optionPhrase, splitGoals } from './catalog';
import { ONTOLOGY, PRODUCT_TYPES, typeSpec } from './ontology';
import type { Product } from './types';

const CATALOG = generateCatalog(0, 2000);
const GOALS = generateGoals(CATALOG, 0, 1000);
const BY_ID = new Map(CATALOG.map((p) => [p.id, p]));

function productText(p: Product): string {
  return [p.title, p.description, ...p.features, ...p.reviews].join('\n').toLowerCase();
}

describe('ontology', () => {
  it('has at least 8 types over several categories, each well stocked', () => {
    expect(ONTOLOGY.length).toBeGreaterThanOrEqual(8);
    expect(new Set(PRODUCT_TYPES).size).toBe(ONTOLOGY.length);
    expect(new Set(ONTOLOGY.map((s) => s.category)).size).toBeGreaterThanOrEqual(3);
    for (const s of ONTOLOGY) {
      expect(s.attributes.length, s.type).toBeGreaterThanOrEqual(8);
      expect(s.attributes.length, s.type).toBeLessThanOrEqual(15);
      expect(new Set([...s.attributes, ...s.materials]).size, s.type).toBe(s.attributes.length + s.materials.length);
      for (const a of [...s.attributes, ...s.materials]) expect(a, s.type).toBe(a.toLowerCase());
      expect(Object.keys(s.options).length, s.type).toBeGreaterThanOrEqual(1);
      for (const vs of Object.values(s.options)) expect(vs.length).toBeGreaterThanOrEqual(2);
      expect(s.price[0]).toBeLessThan(s.price[1]);
      expect(s.brands.length).toBeGreaterThan(0);
      for (const t of s.descriptions) expect(t).toMatch(/\{attrs\}.*\{options\}/s);
      for (const t of s.features) expect(t).toContain('{attr}');
      expect(typeSpec(s.type)).toBe(s);
    }
  });
});

describe('generateCatalog', () => {
  it('is seeded and stable', () => {
    expect(generateCatalog(0, 2000)).toEqual(CATALOG);
    expect(generateCatalog(1, 50)).toEqual(generateCatalog(1, 50));
    expect(generateCatalog(1, 50)).not.toEqual(generateCatalog(0, 50));
    // Golden values: if this fails, the catalog changed (and so did every saved goal / result).
    const first = CATALOG[0]!;
    expect({ id: first.id, type: first.type, price: first.price }).toEqual(GOLDEN);
  });

  it('has the asked count, unique well-formed ids and all types spread evenly', () => {
    expect(CATALOG).toHaveLength(2000);
    expect(generateCatalog(3, 7)).toHaveLength(7);
    expect(generateCatalog(3, 0)).toEqual([]);
    expect(new Set(CATALOG.map((p) => p.id)).size).toBe(2000);
    for (const p of CATALOG) expect(p.id).toMatch(/^B\d{5}$/);
    const perType = new Map<string, number>();
    for (const p of CATALOG) perType.set(p.type, (perType.get(p.type) ?? 0) + 1);
    expect(perType.size).toBe(ONTOLOGY.length);
    expect(perType.size).toBeGreaterThanOrEqual(8);
    for (const [type, n] of perType) expect(n, type).toBeGreaterThanOrEqual(100);
  });

  it('builds products that respect their type spec', () => {
    for (const p of CATALOG) {
      const spec = typeSpec(p.type)!;
      expect(spec, p.type).toBeDefined();
      expect(p.category).toBe(spec.category);
      expect(p.attributes.length).toBeGreaterThanOrEqual(2);
      expect(p.attributes.length).toBeLessThanOrEqual(5);
      expect(new Set(p.attributes).size).toBe(p.attributes.length);
      for (const a of p.attributes) expect([...spec.attributes, ...spec.materials]).toContain(a);
      for (const set of spec.exclusive ?? []) {
        expect(p.attributes.filter((a) => set.includes(a)).length).toBeLessThanOrEqual(1);
      }
      const groups = Object.entries(p.options);
      expect(groups.length).toBeGreaterThanOrEqual(1);
      expect(groups.length).toBeLessThanOrEqual(3);
      for (const [g, vs] of groups) {
        expect(vs.length).toBeGreaterThanOrEqual(2);
        expect(vs.length).toBeLessThanOrEqual(5);
        expect(new Set(vs).size).toBe(vs.length);
        for (const v of vs) expect(spec.options[g]).toContain(v);
      }
      expect(p.price).toBeGreaterThanOrEqual(spec.price[0]);
      expect(p.price).toBeLessThanOrEqual(spec.price[1]);
      expect(Math.round(p.price * 100) / 100).toBe(p.price);
      expect(p.title.toLowerCase()).toContain(p.type);
      expect(p.reviews.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('mentions every attribute, option value and the type in the product text', () => {
    for (const p of CATALOG) {
      const text = productText(p);
      expect(text).toContain(p.type);
      for (const a of p.attributes) expect(text, `${p.id} ${a}`).toContain(a);
      for (const vs of Object.values(p.options)) for (const v of vs) expect(text, `${p.id} ${v}`).toContain(v);
      expect(p.description, p.id).not.toMatch(/[{}]/);
      for (const s of [...p.features, ...p.reviews]) expect(s, p.id).not.toMatch(/[{}]/);
    }
  });
});

describe('generateGoals', () => {
  it('is seeded and indexed', () => {
    expect(generateGoals(CATALOG, 0, 1000)).toEqual(GOALS);
    expect(generateGoals(CATALOG, 1, 20)).not.toEqual(generateGoals(CATALOG, 0, 20));
    expect(GOALS.map((g) => g.index)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(() => generateGoals([], 0, 1)).toThrow();
  });

  it("asks only for what its product has, under a price bound above the product's price", () => {
    for (const g of GOALS) {
      const p = BY_ID.get(g.productId)!;
      expect(p, g.productId).toBeDefined();
      expect(g.type).toBe(p.type);
      expect(g.attributes.length).toBeGreaterThanOrEqual(1);
      expect(g.attributes.length).toBeLessThanOrEqual(3);
      expect(new Set(g.attributes).size).toBe(g.attributes.length);
      for (const a of g.attributes) expect(p.attributes).toContain(a);
      expect(Object.keys(g.options).sort()).toEqual(Object.keys(p.options).sort());
      for (const [grp, v] of Object.entries(g.options)) expect(p.options[grp]).toContain(v);
      expect(g.priceUpper).toBeGreaterThanOrEqual(p.price);
      expect(Number.isInteger(g.priceUpper)).toBe(true);
    }
  });

  it('writes WebShop-style instructions naming type, attributes, options and price', () => {
    const leads = new Set<string>();
    for (const g of GOALS) {
      const s = g.instruction;
      expect(s).toBe(s.toLowerCase());
      expect(s).toContain(g.type);
      for (const a of g.attributes) expect(s, s).toContain(a);
      for (const [grp, v] of Object.entries(g.options)) {
        expect(s, s).toContain(v);
        expect(s, s).toContain(optionPhrase(grp, v));
      }
      expect(s).toMatch(new RegExp(`, and price lower than ${formatPrice(g.priceUpper).replace('.', '\\.')} dollars$`));
      leads.add(s.split(' ').slice(0, 2).join(' '));
    }
    expect(leads.size).toBeGreaterThanOrEqual(4);
  });

  it('formats helpers as expected', () => {
    expect(formatPrice(30)).toBe('30.00');
    expect(joinAnd(['a'])).toBe('a');
    expect(joinAnd(['a', 'b', 'c'])).toBe('a, b and c');
    expect(optionPhrase('color', 'navy')).toBe('in navy color');
    expect(optionPhrase('size', 'large')).toBe('size large');
    expect(optionPhrase('pack of', '2')).toBe('pack of 2');
  });
});

describe('splitGoals', () => {
  it('splits by goal index, disjoint and complete', () => {
    const { train, test } = splitGoals(GOALS);
    expect(test).toHaveLength(100);
    expect(train).toHaveLength(900);
    for (const g of test) expect(g.index % 10).toBe(0);
    for (const g of train) expect(g.index % 10).not.toBe(0);
    const trainIdx = new Set(train.map((g) => g.index));
    expect(test.some((g) => trainIdx.has(g.index))).toBe(false);
    // The same goal lands on the same side whatever the order or the subset passed in.
    const shuffled = splitGoals([...GOALS].reverse().slice(0, 500));
    for (const g of shuffled.test) expect(g.index % 10).toBe(0);
    // Other fractions.
    expect(splitGoals(GOALS, 0.2).test).toHaveLength(200);
    expect(splitGoals(GOALS, 0).test).toHaveLength(0);
    expect(splitGoals(GOALS, 1).train).toHaveLength(0);
    const third = splitGoals(GOALS, 0.3);
    expect(third.test.length).toBe(300);
    expect(third.test.length + third.train.length).toBe(1000);
  });
});

describe('performance', () => {
  it('generates 2000 products and 1000 goals quickly', () => {
    const t0 = performance.now();
    const c = generateCatalog(42, 2000);
    const t1 = performance.now();
    generateGoals(c, 42, 1000);
    const t2 = performance.now();
    console.log(`webshop catalog: 2000 products ${(t1 - t0).toFixed(1)} ms, 1000 goals ${(t2 - t1).toFixed(1)} ms`);
  });
});

const GOLDEN = { id: 'B84741', type: 'yoga mat', price: 76.34 };
