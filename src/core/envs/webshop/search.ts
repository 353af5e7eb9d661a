/**
 * BM25 search over a WebShop catalog (WebShop's own search engine was Pyserini BM25 with
 * k1 = 0.9, b = 0.4).
 *
 * Each product is one document made of weighted fields (a simple BM25F): a term's frequency in a
 * document is the weighted sum of its counts in the fields, and the document length is the
 * weighted sum of the field lengths (in tokens after `tokenize`). Weights:
 *   title 2, type 1, attributes 1, description 1, features 1, option values 1; reviews 0 (not
 *   indexed: they are noisy and would let any query word match any product).
 *
 * Score of document d for a query (its distinct tokens t, duplicates count once):
 *   sum_t idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * dl(d) / avgdl))
 *   idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))
 * Only documents containing at least one query token are returned; ties are broken by product id
 * (ascending, code-point order), so results are deterministic.
 */
import { tokenize } from './text';
import type { Product } from './types';

export const BM25_K1 = 0.9;
export const BM25_B = 0.4;

/** Field weights of the boosted document (reviews are not indexed). */
export const FIELD_WEIGHTS = {
  title: 2,
  type: 1,
  attributes: 1,
  description: 1,
  features: 1,
  options: 1,
} as const;

interface Posting {
  docs: number[];
  tfs: number[];
}

function productFields(p: Product): [text: string, weight: number][] {
  return [
    [p.title, FIELD_WEIGHTS.title],
    [p.type, FIELD_WEIGHTS.type],
    [p.attributes.join(' . '), FIELD_WEIGHTS.attributes],
    [p.description, FIELD_WEIGHTS.description],
    [p.features.join(' . '), FIELD_WEIGHTS.features],
    [Object.values(p.options).flat().join(' . '), FIELD_WEIGHTS.options],
  ];
}

export class SearchIndex {
  readonly k1: number;
  readonly b: number;
  private readonly ids: string[];
  private readonly idToDoc = new Map<string, number>();
  private readonly docLen: Float64Array;
  private readonly avgdl: number;
  private readonly postings = new Map<string, Posting>();

  constructor(products: readonly Product[], k1 = BM25_K1, b = BM25_B) {
    this.k1 = k1;
    this.b = b;
    this.ids = products.map((p) => p.id);
    this.docLen = new Float64Array(products.length);
    let total = 0;
    products.forEach((p, d) => {
      if (this.idToDoc.has(p.id)) throw new Error(`SearchIndex: duplicate product id ${p.id}`);
      this.idToDoc.set(p.id, d);
      const tf = new Map<string, number>();
      let len = 0;
      for (const [text, w] of productFields(p)) {
        if (w === 0) continue;
        for (const t of tokenize(text)) {
          tf.set(t, (tf.get(t) ?? 0) + w);
          len += w;
        }
      }
      this.docLen[d] = len;
      total += len;
      for (const [t, f] of tf) {
        let post = this.postings.get(t);
        if (!post) {
          post = { docs: [], tfs: [] };
          this.postings.set(t, post);
        }
        post.docs.push(d);
        post.tfs.push(f);
      }
    });
    this.avgdl = products.length > 0 ? total / products.length : 0;
  }

  /** Number of indexed products. */
  get size(): number {
    return this.ids.length;
  }

  /** Number of products whose indexed text contains the (already tokenized) term. */
  docFreq(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** ln(1 + (N - df + 0.5) / (df + 0.5)) for an (already tokenized) term. */
  idf(term: string): number {
    const n = this.ids.length;
    const df = this.docFreq(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Distinct query tokens in first-occurrence order. */
  private queryTerms(query: string): string[] {
    return [...new Set(tokenize(query))];
  }

  private termScore(tf: number, dl: number, idf: number): number {
    const norm = this.avgdl > 0 ? dl / this.avgdl : 0;
    return (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + this.b * norm));
  }

  /** Product ids ranked by BM25 score (best first, ties by id), at most `limit` of them. */
  search(query: string, limit = 50): string[] {
    const terms = this.queryTerms(query);
    if (terms.length === 0 || limit <= 0) return [];
    const scores = new Float64Array(this.ids.length);
    const hit = new Uint8Array(this.ids.length);
    const touched: number[] = [];
    for (const t of terms) {
      const post = this.postings.get(t);
      if (!post) continue;
      const idf = this.idf(t);
      for (let i = 0; i < post.docs.length; i++) {
        const d = post.docs[i]!;
        scores[d]! += this.termScore(post.tfs[i]!, this.docLen[d]!, idf);
        if (!hit[d]) {
          hit[d] = 1;
          touched.push(d);
        }
      }
    }
    touched.sort((x, y) => {
      const diff = scores[y]! - scores[x]!;
      if (diff !== 0) return diff;
      const a = this.ids[x]!;
      const c = this.ids[y]!;
      return a < c ? -1 : a > c ? 1 : 0;
    });
    return touched.slice(0, limit).map((d) => this.ids[d]!);
  }

  /** BM25 score of one product for a query (0 when it contains no query token). */
  score(query: string, id: string): number {
    const d = this.idToDoc.get(id);
    if (d === undefined) throw new Error(`SearchIndex: unknown product id ${id}`);
    let s = 0;
    for (const t of this.queryTerms(query)) {
      const post = this.postings.get(t);
      if (!post) continue;
      const i = post.docs.indexOf(d);
      if (i < 0) continue;
      s += this.termScore(post.tfs[i]!, this.docLen[d]!, this.idf(t));
    }
    return s;
  }
}
