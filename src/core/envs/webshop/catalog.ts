/**
 * Seeded generation of the WebShop catalog (products) and shopping goals (instructions), in the
 * style of WebShop's goal.py: "i need a machine washable cotton t-shirt in navy color, size
 * large, and price lower than 30.00 dollars". Pure and deterministic for a seed.
 */
import { Rng } from '../../util/rng';
import { ONTOLOGY, typeSpec, type ProductTypeSpec } from './ontology';
import type { Goal, Product } from './types';

/** k distinct items of a list, in random order. */
function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  return rng.shuffle(items).slice(0, Math.min(k, items.length));
}

/** k distinct items of a list, keeping the list's order (sizes stay small..large). */
function sampleOrdered<T>(rng: Rng, items: readonly T[], k: number): T[] {
  const chosen = new Set(sample(rng, items.map((_, i) => i), k));
  return items.filter((_, i) => chosen.has(i));
}

/** k distinct attributes of a type, at most one of each exclusive set. */
function sampleCompatible(rng: Rng, spec: ProductTypeSpec, k: number): string[] {
  const out: string[] = [];
  for (const a of rng.shuffle(spec.attributes)) {
    if (out.length >= k) break;
    const clash = (spec.exclusive ?? []).some((set) => set.includes(a) && out.some((b) => set.includes(b)));
    if (!clash) out.push(a);
  }
  return out;
}

/** Integer in [lo, hi]. */
function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(parts: readonly string[], conj = 'and'): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} ${conj} ${parts[parts.length - 1]}`;
}

function titleCase(s: string): string {
  return s.replace(/(^|[\s-])([a-z])/g, (_, pre: string, c: string) => pre + c.toUpperCase());
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => vars[key] ?? m);
}

/** Dollars with two decimals, e.g. 30 -> '30.00'. */
export function formatPrice(price: number): string {
  return price.toFixed(2);
}

/** How an instruction asks for one option value: 'in navy color', 'size large', 'pack of 2'. */
export function optionPhrase(group: string, value: string): string {
  if (group === 'color') return `in ${value} color`;
  return `${group} ${value}`;
}

function makeProduct(rng: Rng, spec: ProductTypeSpec, id: string): Product {
  const material = rng.pick(spec.materials);
  const nAttr = between(rng, 2, 5);
  const withMaterial = rng.next() < 0.5;
  const attributes = sampleCompatible(rng, spec, withMaterial ? nAttr - 1 : nAttr);
  if (withMaterial) attributes.splice(rng.int(attributes.length + 1), 0, material);

  const groups = Object.keys(spec.options);
  const chosenGroups = new Set(sample(rng, groups, between(rng, 1, Math.min(3, groups.length))));
  const options: Record<string, string[]> = {};
  for (const g of groups) {
    if (!chosenGroups.has(g)) continue;
    const pool = spec.options[g] ?? [];
    options[g] = sampleOrdered(rng, pool, between(rng, 2, Math.min(5, pool.length)));
  }

  const brand = rng.pick(spec.brands);
  const noun = rng.pick(spec.nouns);
  const titleAttrs = attributes.filter((a) => a !== material && !/^(with|for) /.test(a)).slice(0, 2);
  const title = titleCase([brand, ...titleAttrs, material, spec.type].join(' '));

  const optionsText = Object.entries(options)
    .map(([g, vs]) => `${g} ${joinAnd(vs, 'or')}`)
    .join('; ');
  const vars = { brand, type: spec.type, noun, material, attrs: joinAnd(attributes), options: optionsText };
  const description = fill(rng.pick(spec.descriptions), vars);

  const features = attributes.map((attr) => fill(rng.pick(spec.features), { ...vars, attr }));
  features.push(`made of ${material}`);
  for (const [g, vs] of Object.entries(options)) features.push(`${g}: ${vs.join(', ')}`);

  const allOptionValues = Object.values(options).flat();
  const reviews = sample(rng, spec.reviews, between(rng, 2, 3)).map((t) =>
    fill(t, { ...vars, attr: rng.pick(attributes), option: rng.pick(allOptionValues) }),
  );

  const [lo, hi] = spec.price;
  const price = Math.min(hi, Math.max(lo, Math.round((lo + rng.next() * (hi - lo)) * 100) / 100));

  return {
    id,
    type: spec.type,
    category: spec.category,
    query: spec.query,
    categoryPath: spec.path,
    title,
    description,
    features,
    reviews,
    attributes,
    options,
    price,
  };
}

/**
 * A deterministic catalog: products spread evenly over every ontology type (round robin, then
 * shuffled), unique ids 'B' + 5 digits.
 */
export function generateCatalog(seed = 0, count = 2000): Product[] {
  if (!Number.isInteger(count) || count < 0 || count > 100000) {
    throw new Error(`generateCatalog count must be an integer in [0, 100000], got ${count}`);
  }
  const rng = new Rng(seed);
  const typeOrder = rng.shuffle(ONTOLOGY.map((_, i) => i));
  const specs = rng.shuffle(Array.from({ length: count }, (_, i) => ONTOLOGY[typeOrder[i % typeOrder.length] ?? 0]!));
  const used = new Set<string>();
  return specs.map((spec) => {
    let id: string;
    do id = 'B' + String(rng.int(100000)).padStart(5, '0');
    while (used.has(id));
    used.add(id);
    return makeProduct(rng, spec, id);
  });
}

/** A price bound above the price, rounded up: to whole dollars under 20, else to tens. */
function priceBound(rng: Rng, price: number): number {
  const raw = price * (1.05 + rng.next() * 0.6);
  const bound = raw < 20 ? Math.ceil(raw) : Math.ceil(raw / 10) * 10;
  return Math.max(bound, Math.ceil(price));
}

const LEADS = ['i need', 'i am looking for', 'i want', 'find me', "i'm looking for", 'i would like'];

/** The WebShop-style instruction for a goal's type, attributes, options and price bound. */
export function instructionFor(
  rng: Rng,
  type: string,
  attributes: readonly string[],
  options: Record<string, string>,
  priceUpper: number,
): string {
  const plural = type.endsWith('s');
  const article = plural ? '' : /^[aeiou]/.test(type) ? 'an ' : 'a ';
  const materials = typeSpec(type)?.materials ?? [];
  const lead = rng.pick(LEADS);
  const style = rng.int(3);
  const isPost = (a: string): boolean => /^(with|for) /.test(a) || (style !== 0 && materials.includes(a));
  // Materials read as "made of cotton" after a relative clause, as adjectives otherwise.
  const post = attributes.filter(isPost).map((a) => (materials.includes(a) ? `made of ${a}` : a));
  const pre = attributes.filter((a) => !isPost(a));
  let head: string;
  if (style === 0 || pre.length === 0) {
    // "a machine washable cotton t-shirt"
    const adj = pre.join(' ');
    const art = plural ? '' : /^[aeiou]/.test(adj || type) ? 'an ' : 'a ';
    head = `${art}${adj ? adj + ' ' : ''}${type}`;
  } else {
    // "a t-shirt which is machine washable and cotton"
    const rel = style === 1 ? (plural ? 'which are' : 'which is') : plural ? 'that are' : 'that is';
    head = `${article}${type} ${rel} ${joinAnd(pre)}`;
  }
  if (post.length) head += ` ${post.join(' ')}`;
  const parts: string[] = [];
  for (const [g, v] of Object.entries(options)) {
    if (g === 'color') head += ` ${optionPhrase(g, v)}`;
    else parts.push(optionPhrase(g, v));
  }
  const pricePhrase = `price lower than ${formatPrice(priceUpper)} dollars`;
  return [`${lead} ${head}`, ...parts, `and ${pricePhrase}`].join(', ');
}

/** Deterministic goals, each asking for one catalog product. */
export function generateGoals(catalog: readonly Product[], seed = 0, count = 1000): Goal[] {
  if (catalog.length === 0) throw new Error('generateGoals needs a non-empty catalog');
  const rng = new Rng(seed ^ 0x5eed60a1);
  const goals: Goal[] = [];
  for (let index = 0; index < count; index++) {
    const product = catalog[rng.int(catalog.length)]!;
    const attributes = sample(rng, product.attributes, between(rng, 1, Math.min(3, product.attributes.length)));
    const options: Record<string, string> = {};
    for (const [g, vs] of Object.entries(product.options)) options[g] = rng.pick(vs);
    const priceUpper = priceBound(rng, product.price);
    const instruction = instructionFor(rng, product.type, attributes, options, priceUpper);
    goals.push({ index, productId: product.id, type: product.type, instruction, attributes, options, priceUpper });
  }
  return goals;
}

/**
 * Splits goals by index: goal i is a test goal when floor(i * f) steps up at i (for f = 0.1,
 * exactly i % 10 === 0). Deterministic, disjoint, independent of the goals' order.
 */
export function splitGoals(goals: readonly Goal[], testFraction = 0.1): { train: Goal[]; test: Goal[] } {
  const f = Math.min(1, Math.max(0, testFraction));
  const inv = f > 0 ? 1 / f : Infinity;
  const period = Math.round(inv);
  const exact = Number.isFinite(inv) && Math.abs(inv - period) < 1e-9;
  const isTest = (i: number): boolean =>
    f === 0 ? false : exact ? i % period === 0 : Math.floor(i * f) !== Math.floor((i - 1) * f);
  const train: Goal[] = [];
  const test: Goal[] = [];
  for (const g of goals) (isTest(g.index) ? test : train).push(g);
  return { train, test };
}

