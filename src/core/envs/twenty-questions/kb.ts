/**
 * Compiles the hand-written Twenty Questions knowledge base (knowledge-base.data.ts) into a dense
 * object x attribute matrix. Pure: no DOM and no Node APIs, so it runs in the browser and in Node.
 *
 * Attribute order: one category attribute per category (`is_<category id>`), then the declared
 * ATTRIBUTES in order, then five size attributes `bigger_than_0`..`bigger_than_4`.
 */
import type {
  AttributeFamily,
  AttributeSpec,
  CategorySpec,
  ObjectSpec,
  SizeClass,
  SizeReference,
} from './kb-types';
import { ATTRIBUTES, CATEGORIES, OBJECTS, SIZE_REFERENCES } from './knowledge-base.data';

export interface CompiledAttribute {
  id: string;
  family: AttributeFamily | 'size';
  question: string;
  phrases: string[];
  /** for size attributes: Yes when object size > sizeThreshold */
  sizeThreshold?: number;
}

export interface CompiledObject {
  name: string;
  aliases: string[];
  category: string;
  size: SizeClass;
}

export interface KnowledgeBase {
  categories: CategorySpec[];
  /**
   * Category attributes first (id `is_<category id>`, family 'category', question
   * "Is it a <phrases[0]>?" with a/an chosen correctly), then ATTRIBUTES in declared order, then
   * size attributes `bigger_than_0`..`bigger_than_4` (family 'size', question
   * "Is it bigger than a coin?" etc., sizeThreshold k).
   */
  attributes: CompiledAttribute[];
  objects: CompiledObject[];
  /** matrix[o][a] is 1 when objects[o] has attributes[a], else 0. */
  matrix: Uint8Array[];
  sizeReferences: SizeReference[];
}

export interface KnowledgeBaseSpec {
  categories: CategorySpec[];
  attributes: AttributeSpec[];
  objects: ObjectSpec[];
  sizeReferences: SizeReference[];
}

/** Largest size class; size attributes are `bigger_than_0`..`bigger_than_${MAX_SIZE - 1}`. */
export const MAX_SIZE = 5;

const DEFAULT_SPEC: KnowledgeBaseSpec = {
  categories: CATEGORIES,
  attributes: ATTRIBUTES,
  objects: OBJECTS,
  sizeReferences: SIZE_REFERENCES,
};

/** "a" or "an" for a noun phrase, by its first sound (good enough for the KB's vocabulary). */
export function indefiniteArticle(phrase: string): 'a' | 'an' {
  const w = phrase.trim().toLowerCase();
  if (/^(uni|use|usu|uti|eu|one|once|ur)/.test(w)) return 'a';
  if (/^(hour|honest|honor|honour|heir)/.test(w)) return 'an';
  return /^[aeiou]/.test(w) ? 'an' : 'a';
}

/** Noun phrase with an article where one reads naturally ("a coin", "your hand", "an apple"). */
function withArticle(phrase: string): string {
  if (/^(a|an|the|your|my|some)\s/.test(phrase)) return phrase;
  return `${indefiniteArticle(phrase)} ${phrase}`;
}

function fail(message: string): never {
  throw new Error(`Twenty Questions knowledge base: ${message}`);
}

function isSizeClass(n: number): n is SizeClass {
  return Number.isInteger(n) && n >= 0 && n <= MAX_SIZE;
}

/**
 * Builds the knowledge base from a spec (default: knowledge-base.data.ts). Throws a descriptive
 * Error on unknown category/attribute ids, duplicate ids, duplicate object names or aliases,
 * invalid sizes, and `not` entries that are not defaults of the object's category.
 */
export function buildKnowledgeBase(spec: KnowledgeBaseSpec = DEFAULT_SPEC): KnowledgeBase {
  const attributes: CompiledAttribute[] = [];
  const attrIndex = new Map<string, number>();
  const addAttribute = (attr: CompiledAttribute): void => {
    if (attrIndex.has(attr.id)) fail(`duplicate attribute id "${attr.id}"`);
    attrIndex.set(attr.id, attributes.length);
    attributes.push(attr);
  };

  // Category attributes.
  const categoryById = new Map<string, CategorySpec>();
  for (const cat of spec.categories) {
    if (categoryById.has(cat.id)) fail(`duplicate category id "${cat.id}"`);
    const canonical = cat.phrases[0];
    if (canonical === undefined) fail(`category "${cat.id}" has no phrases`);
    categoryById.set(cat.id, cat);
    addAttribute({
      id: `is_${cat.id}`,
      family: 'category',
      question: `Is it ${withArticle(canonical)}?`,
      phrases: [...cat.phrases],
    });
  }

  // Declared attributes.
  const declared = new Set<string>();
  for (const attr of spec.attributes) {
    if (attr.phrases.length === 0) fail(`attribute "${attr.id}" has no phrases`);
    addAttribute({ id: attr.id, family: attr.family, question: attr.question, phrases: [...attr.phrases] });
    declared.add(attr.id);
  }

  // Size attributes.
  const refBySize = new Map<number, SizeReference>();
  for (const ref of spec.sizeReferences) {
    if (!isSizeClass(ref.size)) fail(`size reference "${ref.phrases[0] ?? '?'}" has invalid size ${ref.size}`);
    if (ref.phrases.length === 0) fail(`size reference of size ${ref.size} has no phrases`);
    if (!refBySize.has(ref.size)) refBySize.set(ref.size, ref);
  }
  for (let k = 0; k < MAX_SIZE; k++) {
    const ref = refBySize.get(k);
    const canonical = ref?.phrases[0];
    if (ref === undefined || canonical === undefined) fail(`no size reference for size class ${k}`);
    addAttribute({
      id: `bigger_than_${k}`,
      family: 'size',
      question: `Is it bigger than ${withArticle(canonical)}?`,
      phrases: [...ref.phrases],
      sizeThreshold: k,
    });
  }

  // Category defaults must name declared attributes.
  for (const cat of spec.categories) {
    for (const id of cat.defaults) {
      if (!declared.has(id)) fail(`category "${cat.id}" has unknown default attribute id "${id}"`);
    }
  }

  // Objects.
  const names = new Set<string>();
  const objects: CompiledObject[] = [];
  const matrix: Uint8Array[] = [];
  for (const obj of spec.objects) {
    for (const n of [obj.name, ...obj.aliases]) {
      if (names.has(n)) fail(`duplicate object name or alias "${n}" (object "${obj.name}")`);
      names.add(n);
    }
    const cat = categoryById.get(obj.category);
    if (cat === undefined) fail(`object "${obj.name}" has unknown category id "${obj.category}"`);
    if (!isSizeClass(obj.size)) fail(`object "${obj.name}" has invalid size ${obj.size}`);

    const row = new Uint8Array(attributes.length);
    const catIdx = attrIndex.get(`is_${cat.id}`);
    if (catIdx !== undefined) row[catIdx] = 1;
    const not = new Set(obj.not ?? []);
    for (const id of not) {
      if (!declared.has(id)) fail(`object "${obj.name}" has unknown attribute id "${id}" in not`);
      if (!cat.defaults.includes(id)) fail(`object "${obj.name}" lists "${id}" in not, but it is not a default of "${cat.id}"`);
    }
    for (const id of cat.defaults) {
      if (not.has(id)) continue;
      const idx = attrIndex.get(id);
      if (idx !== undefined) row[idx] = 1;
    }
    for (const id of obj.has) {
      if (!declared.has(id)) fail(`object "${obj.name}" has unknown attribute id "${id}"`);
      if (not.has(id)) fail(`object "${obj.name}" lists "${id}" in both has and not`);
      const idx = attrIndex.get(id);
      if (idx !== undefined) row[idx] = 1;
    }
    for (let k = 0; k < MAX_SIZE; k++) {
      const idx = attrIndex.get(`bigger_than_${k}`);
      if (idx !== undefined && obj.size > k) row[idx] = 1;
    }
    objects.push({ name: obj.name, aliases: [...obj.aliases], category: obj.category, size: obj.size });
    matrix.push(row);
  }

  return {
    categories: spec.categories.map((c) => ({ ...c, phrases: [...c.phrases], defaults: [...c.defaults] })),
    attributes,
    objects,
    matrix,
    sizeReferences: spec.sizeReferences.map((r) => ({ ...r, phrases: [...r.phrases] })),
  };
}

/**
 * The same knowledge base restricted to the named objects (in the given order). Attributes are
 * unchanged; categories are filtered to those the remaining objects use. Throws on unknown names.
 */
export function subsetKnowledgeBase(kb: KnowledgeBase, names: readonly string[]): KnowledgeBase {
  const byName = new Map<string, number>();
  kb.objects.forEach((o, i) => byName.set(o.name, i));
  const objects: CompiledObject[] = [];
  const matrix: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const i = byName.get(name);
    if (i === undefined) fail(`subset names unknown object "${name}" (valid: ${kb.objects.map((o) => o.name).join(', ')})`);
    if (seen.has(name)) fail(`subset names object "${name}" twice`);
    seen.add(name);
    const obj = kb.objects[i];
    const row = kb.matrix[i];
    if (obj === undefined || row === undefined) fail(`object index ${i} out of range`);
    objects.push(obj);
    matrix.push(row);
  }
  const used = new Set(objects.map((o) => o.category));
  return {
    categories: kb.categories.filter((c) => used.has(c.id)),
    attributes: kb.attributes,
    objects,
    matrix,
    sizeReferences: kb.sizeReferences,
  };
}

/** Index of the object a name or alias (any case, spaces trimmed) names in `kb`, or undefined. */
export function findObject(kb: KnowledgeBase, name: string): number | undefined {
  const n = name.trim().toLowerCase().replace(/\s+/g, ' ');
  const i = kb.objects.findIndex((o) => o.name === n || o.aliases.includes(n));
  return i < 0 ? undefined : i;
}

/** Index of an attribute id in kb.attributes; throws on an unknown id. */
export function attributeIndex(kb: KnowledgeBase, id: string): number {
  const i = kb.attributes.findIndex((a) => a.id === id);
  if (i < 0) fail(`unknown attribute id "${id}"`);
  return i;
}

/** The object's attribute vector as a string of 0/1 characters, e.g. '0101...'. */
export function vectorKey(kb: KnowledgeBase, objectIndex: number): string {
  const row = kb.matrix[objectIndex];
  if (row === undefined) fail(`object index ${objectIndex} out of range`);
  return row.join('');
}

/** The full knowledge base built from knowledge-base.data.ts. */
export const FULL_KB: KnowledgeBase = buildKnowledgeBase();
