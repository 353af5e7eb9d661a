/**
 * The question grammar the Twenty Questions oracle understands.
 *
 * A question is normalised (lower case, punctuation and filler removed), matched against a short
 * list of templates ("does it have X", "is it made of X", "is it bigger than X", ...), and its slot
 * X is looked up in the knowledge base's phrase tables for that template's family. Anything that
 * does not parse is `invalid`, which the environment answers with "Invalid Question.".
 */
import type { AttributeFamily } from './kb-types';
import type { KnowledgeBase } from './kb';

export type ParsedQuestion =
  | { kind: 'attribute'; attribute: number }
  | { kind: 'guess'; object: number }
  | { kind: 'size'; op: 'bigger' | 'smaller'; size: number }
  | { kind: 'invalid'; reason: string };

const ARTICLES = /^(?:a|an|the|some|any|one)\s+/;
const ADVERBS = /^(?:usually|typically|normally|generally|often|commonly|mostly|mainly|always|ever)\s+/;

/** Lower-cases, drops punctuation and filler, and rewrites "is this"/"is the object" as "is it". */
export function normaliseQuestion(text: string): string {
  let q = text.toLowerCase().replace(/[’‘`]/g, "'");
  q = q.replace(/[?!.,;:"()]+/g, ' ').replace(/\s+/g, ' ').trim();
  q = q.replace(/^(?:ok|okay|so|and|well|hmm|then)\s+/, '');
  q = q.replace(/^(is|does|can|could|would|has)\s+(?:this|the object|the thing|your object|your thing|the item|that)\b/, '$1 it');
  return q;
}

function stripSlot(slot: string): string {
  let s = slot.trim();
  for (let i = 0; i < 3; i++) s = s.replace(ARTICLES, '').replace(ADVERBS, '');
  return s.trim();
}

/** Candidate spellings of a slot: as given, then simple singular forms. */
function spellings(slot: string): string[] {
  const out = [slot];
  if (slot.endsWith('ies')) out.push(`${slot.slice(0, -3)}y`);
  if (slot.endsWith('es')) out.push(slot.slice(0, -2));
  if (slot.endsWith('s')) out.push(slot.slice(0, -1));
  return out;
}

/** Phrase lookup tables built once per knowledge base. */
export class Grammar {
  private readonly byFamily = new Map<AttributeFamily, Map<string, number>>();
  private readonly objects = new Map<string, number>();
  private readonly sizes = new Map<string, number>();

  constructor(readonly kb: KnowledgeBase) {
    kb.attributes.forEach((attr, index) => {
      if (attr.family === 'size') return;
      let table = this.byFamily.get(attr.family);
      if (!table) this.byFamily.set(attr.family, (table = new Map()));
      for (const phrase of attr.phrases) table.set(phrase, index);
    });
    kb.objects.forEach((obj, index) => {
      for (const name of [obj.name, ...obj.aliases]) this.objects.set(name, index);
    });
    for (const ref of kb.sizeReferences) for (const p of ref.phrases) this.sizes.set(p, ref.size);
    // Any object of the knowledge base can serve as a size reference ("bigger than a banana?").
    kb.objects.forEach((obj) => {
      for (const name of [obj.name, ...obj.aliases]) if (!this.sizes.has(name)) this.sizes.set(name, obj.size);
    });
  }

  private lookup(table: Map<string, number> | undefined, slot: string): number | undefined {
    if (!table) return undefined;
    for (const s of spellings(stripSlot(slot))) {
      const hit = table.get(s);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  private attribute(family: AttributeFamily, slot: string): ParsedQuestion | undefined {
    const a = this.lookup(this.byFamily.get(family), slot);
    return a === undefined ? undefined : { kind: 'attribute', attribute: a };
  }

  parse(text: string): ParsedQuestion {
    const q = normaliseQuestion(text);
    if (q.length === 0) return { kind: 'invalid', reason: 'empty question' };
    if (/\b(?:not|n't|isn't|doesn't|can't|cannot|or)\b/.test(q)) {
      return { kind: 'invalid', reason: 'negated or compound questions are not understood' };
    }
    let m: RegExpMatchArray | null;

    if ((m = q.match(/^is it (?:much |a lot |any )?(bigger|larger) than (.+)$/)) ||
        (m = q.match(/^is it (?:much |a lot |any )?(smaller|tinier) than (.+)$/))) {
      const size = this.lookup(this.sizes, m[2] as string);
      if (size === undefined) return { kind: 'invalid', reason: `unknown size reference "${m[2]}"` };
      const op = m[1] === 'bigger' || m[1] === 'larger' ? 'bigger' : 'smaller';
      return { kind: 'size', op, size };
    }
    if ((m = q.match(/^is it (?:usually |typically |mostly |mainly )?made (?:of|from|out of|with) (.+)$/))) {
      return this.attribute('made_of', m[1] as string) ?? invalid(q);
    }
    if ((m = q.match(/^is it (?:usually |typically |normally |often |commonly |mostly )?(?:found|kept|seen|located|stored) (?:in|at|on|inside|near|by|around) (.+)$/)) ||
        (m = q.match(/^is it (?:usually |typically |normally |often |commonly |mostly )?(?:found|kept|seen|located) (outdoors|outside|indoors|inside|underwater|in nature)$/)) ||
        (m = q.match(/^(?:would|could|can|do|might|will) (?:you|i|we|people) (?:find|see|keep) it (?:in|at|on|inside|near) (.+)$/)) ||
        (m = q.match(/^does it (?:live|grow|belong) (?:in|on|at) (.+)$/))) {
      return this.attribute('found_in', m[1] as string) ?? invalid(q);
    }
    if ((m = q.match(/^is it (?:usually |typically |mainly |mostly |often )?used (?:for|to|in|when) (.+)$/)) ||
        (m = q.match(/^(?:do|can|would|could) (?:you|people|we|i) use it (?:for|to) (.+)$/))) {
      return this.attribute('used_for', m[1] as string) ?? invalid(q);
    }
    if ((m = q.match(/^(?:does it (?:usually |typically |normally )?have|has it got|does it come with) (.+)$/))) {
      return this.attribute('has', m[1] as string) ?? invalid(q);
    }
    if ((m = q.match(/^(?:can|could|do|would|should|will) (?:you|people|a person|someone|we|i|humans) (.+) it$/))) {
      return this.attribute('can_you', m[1] as string) ?? invalid(q);
    }
    if ((m = q.match(/^(?:can|could) it (.+)$/)) || (m = q.match(/^is it able to (.+)$/)) ||
        (m = q.match(/^does it (?:usually |normally )?(.+)$/))) {
      return this.attribute('can', m[1] as string) ?? invalid(q);
    }
    if ((m = q.match(/^is it (?:a |an |some )?(?:kind|type|sort|form) of (.+)$/))) {
      return this.attribute('category', m[1] as string) ?? invalid(q);
    }
    if ((m = q.match(/^is it (.+)$/))) {
      const slot = m[1] as string;
      const object = this.lookup(this.objects, slot);
      if (object !== undefined) return { kind: 'guess', object };
      return this.attribute('category', slot) ?? this.attribute('is', slot) ?? invalid(q);
    }
    return invalid(q);
  }
}

function invalid(q: string): ParsedQuestion {
  return { kind: 'invalid', reason: `not understood: "${q}"` };
}

/** "a banana", "an apple", "an umbrella"; names the grammar reads with or without the article. */
export function withArticle(noun: string): string {
  return /^(?:[aeio]|u(?!ni|se|su|ku)|hour|honest)/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** The canonical guess question for an object name. */
export function guessQuestion(name: string): string {
  return `Is it ${withArticle(name)}?`;
}
