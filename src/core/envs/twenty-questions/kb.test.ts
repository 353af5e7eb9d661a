import { describe, expect, it } from 'vitest';
import {
  FULL_KB,
  attributeIndex,
  buildKnowledgeBase,
  subsetKnowledgeBase,
  vectorKey,
  type KnowledgeBase,
} from './kb';
import { ATTRIBUTES, CATEGORIES, OBJECTS, SIZE_REFERENCES, SUBSET_10 } from './knowledge-base.data';

const FAMILY_TEMPLATES: Record<string, RegExp> = {
  has: /^Does it have (a |an |some )?(.+)\?$/,
  can: /^Can it (.+)\?$/,
  can_you: /^Can you (.+) it\?$/,
  is: /^Is it (a |an )?(.+)\?$/,
  made_of: /^Is it made of (.+)\?$/,
  found_in: /^Is it found (in (a |an |the )?|on (a |the )?)?(.+)\?$/,
  used_for: /^Is it used for (.+)\?$/,
};

function duplicateVectors(kb: KnowledgeBase): string[][] {
  const groups = new Map<string, string[]>();
  kb.objects.forEach((o, i) => {
    const key = vectorKey(kb, i);
    groups.set(key, [...(groups.get(key) ?? []), o.name]);
  });
  return [...groups.values()].filter((g) => g.length > 1);
}

function findDuplicates(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const x of items) {
    if (seen.has(x)) dups.add(x);
    seen.add(x);
  }
  return [...dups];
}

describe('knowledge base data', () => {
  it('is big enough', () => {
    expect(FULL_KB.objects.length).toBeGreaterThanOrEqual(150);
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(12);
    expect(FULL_KB.attributes.length).toBeGreaterThanOrEqual(30);
    expect(ATTRIBUTES.length).toBeGreaterThanOrEqual(40);
  });

  it('gives every object a unique attribute vector', () => {
    expect(duplicateVectors(FULL_KB)).toEqual([]);
  });

  it('has no attribute that is constant over all objects', () => {
    const constant: string[] = [];
    FULL_KB.attributes.forEach((a, j) => {
      const yes = FULL_KB.matrix.filter((row) => row[j] === 1).length;
      if (yes === 0 || yes === FULL_KB.objects.length) constant.push(`${a.id} (${yes} yes)`);
    });
    expect(constant).toEqual([]);
  });

  it('has unique ids, names and aliases', () => {
    expect(findDuplicates(FULL_KB.attributes.map((a) => a.id))).toEqual([]);
    expect(findDuplicates(CATEGORIES.map((c) => c.id))).toEqual([]);
    expect(findDuplicates(OBJECTS.flatMap((o) => [o.name, ...o.aliases]))).toEqual([]);
  });

  it('uses lower-case names and phrases without punctuation or leading articles', () => {
    const bad: string[] = [];
    const check = (where: string, p: string): void => {
      if (p !== p.toLowerCase() || !/^[a-z0-9]+( [a-z0-9]+)*$/.test(p) || /^(a|an|the|some|any) /.test(p)) {
        bad.push(`${where}: "${p}"`);
      }
    };
    for (const o of OBJECTS) for (const n of [o.name, ...o.aliases]) check(`object ${o.name}`, n);
    for (const c of CATEGORIES) for (const p of c.phrases) check(`category ${c.id}`, p);
    for (const a of ATTRIBUTES) for (const p of a.phrases) check(`attribute ${a.id}`, p);
    for (const r of SIZE_REFERENCES) for (const p of r.phrases) check(`size ${r.size}`, p);
    expect(bad).toEqual([]);
  });

  it('puts each object in exactly one known category and lists only declared attributes', () => {
    const categoryIds = new Set(CATEGORIES.map((c) => c.id));
    const attributeIds = new Set(ATTRIBUTES.map((a) => a.id));
    for (const o of OBJECTS) {
      expect(categoryIds.has(o.category), o.name).toBe(true);
      for (const id of [...o.has, ...(o.not ?? [])]) expect(attributeIds.has(id), `${o.name}: ${id}`).toBe(true);
    }
    for (const c of CATEGORIES) for (const id of c.defaults) expect(attributeIds.has(id), `${c.id}: ${id}`).toBe(true);
  });

  it('keeps slot phrases unique within each family', () => {
    const byFamily = new Map<string, string[]>();
    for (const a of ATTRIBUTES) byFamily.set(a.family, [...(byFamily.get(a.family) ?? []), ...a.phrases]);
    byFamily.set('category', CATEGORIES.flatMap((c) => c.phrases));
    for (const [family, phrases] of byFamily) expect(findDuplicates(phrases), family).toEqual([]);
    expect(findDuplicates(SIZE_REFERENCES.flatMap((r) => r.phrases))).toEqual([]);
  });

  it('keeps is-phrases, category phrases and object names/aliases mutually disjoint', () => {
    const isPhrases = new Set(ATTRIBUTES.filter((a) => a.family === 'is').flatMap((a) => a.phrases));
    const catPhrases = new Set(CATEGORIES.flatMap((c) => c.phrases));
    const objectNames = new Set(OBJECTS.flatMap((o) => [o.name, ...o.aliases]));
    const clash = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => b.has(x));
    expect(clash(isPhrases, catPhrases)).toEqual([]);
    expect(clash(isPhrases, objectNames)).toEqual([]);
    expect(clash(catPhrases, objectNames)).toEqual([]);
  });

  it('gives same-named objects the size of their size reference', () => {
    const sizeOf = new Map<string, number>();
    for (const o of OBJECTS) for (const n of [o.name, ...o.aliases]) sizeOf.set(n, o.size);
    const mismatches: string[] = [];
    for (const r of SIZE_REFERENCES) {
      for (const p of r.phrases) {
        const s = sizeOf.get(p);
        if (s !== undefined && s !== r.size) mismatches.push(`${p}: object ${s}, reference ${r.size}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(new Set(SIZE_REFERENCES.map((r) => r.size))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('writes canonical questions that end with "?", contain phrases[0] and follow the family template', () => {
    for (const a of FULL_KB.attributes) {
      const first = a.phrases[0];
      expect(first, a.id).toBeDefined();
      expect(a.question.endsWith('?'), a.id).toBe(true);
      expect(a.question.includes(first ?? '\u0000'), `${a.id}: ${a.question}`).toBe(true);
    }
    for (const a of ATTRIBUTES) {
      const template = FAMILY_TEMPLATES[a.family];
      expect(template, a.family).toBeDefined();
      expect(template?.test(a.question), `${a.id}: ${a.question}`).toBe(true);
    }
  });

  it('picks a/an for category and size questions', () => {
    const q = (id: string): string | undefined => FULL_KB.attributes[attributeIndex(FULL_KB, id)]?.question;
    expect(q('is_fruit')).toBe('Is it a fruit?');
    expect(q('is_insect')).toBe('Is it an insect?');
    expect(q('is_electronic_device')).toBe('Is it an electronic device?');
    expect(q('bigger_than_0')).toBe('Is it bigger than a coin?');
    expect(q('bigger_than_4')).toBe('Is it bigger than a car?');
  });
});

describe('buildKnowledgeBase', () => {
  it('orders category, declared and size attributes', () => {
    const kb = FULL_KB;
    expect(kb.attributes.length).toBe(CATEGORIES.length + ATTRIBUTES.length + 5);
    expect(kb.attributes[0]?.id).toBe(`is_${CATEGORIES[0]?.id}`);
    expect(kb.attributes[0]?.family).toBe('category');
    expect(kb.attributes[CATEGORIES.length]?.id).toBe(ATTRIBUTES[0]?.id);
    const sizes = kb.attributes.slice(-5);
    expect(sizes.map((a) => a.id)).toEqual(['bigger_than_0', 'bigger_than_1', 'bigger_than_2', 'bigger_than_3', 'bigger_than_4']);
    expect(sizes.map((a) => a.sizeThreshold)).toEqual([0, 1, 2, 3, 4]);
    expect(sizes.every((a) => a.family === 'size')).toBe(true);
  });

  it('fills the matrix from defaults, has, not, category and size', () => {
    const kb = FULL_KB;
    const row = (name: string): Uint8Array => {
      const r = kb.matrix[kb.objects.findIndex((o) => o.name === name)];
      if (r === undefined) throw new Error(name);
      return r;
    };
    const a = (id: string): number => attributeIndex(kb, id);
    expect(row('banana')[a('is_fruit')]).toBe(1);
    expect(row('banana')[a('is_vegetable')]).toBe(0);
    expect(row('banana')[a('is_yellow')]).toBe(1);
    expect(row('banana')[a('you_can_eat')]).toBe(1); // category default
    expect(row('whale')[a('has_legs')]).toBe(0); // removed with not
    expect(row('dog')[a('has_legs')]).toBe(1);
    expect(row('car')[a('bigger_than_3')]).toBe(1);
    expect(row('car')[a('bigger_than_4')]).toBe(0);
    expect(row('ant')[a('bigger_than_0')]).toBe(0);
    expect(row('bus')[a('bigger_than_4')]).toBe(1);
    expect(kb.matrix.every((r) => r.length === kb.attributes.length)).toBe(true);
  });

  it('throws clear errors on bad specs', () => {
    const base = { categories: CATEGORIES, attributes: ATTRIBUTES, objects: OBJECTS, sizeReferences: SIZE_REFERENCES };
    const apple = OBJECTS[0];
    if (apple === undefined) throw new Error('no objects');
    expect(() =>
      buildKnowledgeBase({ ...base, objects: [...OBJECTS.slice(0, 3), { ...apple, name: 'mystery', aliases: [], has: ['has_jetpack'] }] }),
    ).toThrow(/unknown attribute id "has_jetpack"/);
    expect(() =>
      buildKnowledgeBase({ ...base, objects: [{ ...apple, name: 'mystery', aliases: [], category: 'spaceship' }] }),
    ).toThrow(/unknown category id "spaceship"/);
    expect(() => buildKnowledgeBase({ ...base, objects: [apple, apple] })).toThrow(/duplicate object name/);
    const firstAttr = ATTRIBUTES[0];
    if (firstAttr === undefined) throw new Error('no attributes');
    expect(() => buildKnowledgeBase({ ...base, attributes: [...ATTRIBUTES, firstAttr] })).toThrow(/duplicate attribute id/);
  });

  it('attributeIndex throws on unknown ids', () => {
    expect(attributeIndex(FULL_KB, 'has_wheels')).toBeGreaterThanOrEqual(0);
    expect(() => attributeIndex(FULL_KB, 'has_jetpack')).toThrow(/unknown attribute id/);
  });
});

describe('SUBSET_10 and subsetKnowledgeBase', () => {
  it('names 10 known objects from at least 5 categories', () => {
    expect(SUBSET_10.length).toBe(10);
    expect(new Set(SUBSET_10).size).toBe(10);
    const byName = new Map(OBJECTS.map((o) => [o.name, o]));
    for (const n of SUBSET_10) expect(byName.has(n), n).toBe(true);
    const cats = new Set(SUBSET_10.map((n) => byName.get(n)?.category));
    expect(cats.size).toBeGreaterThanOrEqual(5);
  });

  it('keeps attributes, filters objects and categories, and keeps vectors unique', () => {
    const sub = subsetKnowledgeBase(FULL_KB, SUBSET_10);
    expect(sub.objects.map((o) => o.name)).toEqual(SUBSET_10);
    expect(sub.attributes).toEqual(FULL_KB.attributes);
    expect(sub.matrix.length).toBe(10);
    expect(sub.categories.length).toBe(new Set(sub.objects.map((o) => o.category)).size);
    expect(duplicateVectors(sub)).toEqual([]);
    const full = FULL_KB.objects.findIndex((o) => o.name === SUBSET_10[3]);
    expect(vectorKey(sub, 3)).toBe(vectorKey(FULL_KB, full));
    expect(() => subsetKnowledgeBase(FULL_KB, ['dog', 'unicorn'])).toThrow(/unknown object "unicorn"/);
  });

  it('vectorKey is a 0/1 string as long as the attribute list', () => {
    const key = vectorKey(FULL_KB, 0);
    expect(key).toMatch(/^[01]+$/);
    expect(key.length).toBe(FULL_KB.attributes.length);
  });
});
