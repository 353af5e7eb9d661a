/**
 * The language-model policy: a causal transformer (transformer.ts) plus a linear LM head over the
 * tokenizer's vocabulary. A state text is the context; an action is one utterance, i.e. a token
 * sequence ending with `<eou>` (tokenizer.encodeUtterance(text)).
 *
 * Truncation: contexts are LEFT-truncated to the `contextWindow = maxLen - maxUtteranceTokens`
 * most recent tokens, in scoring and in generation alike, so that generate()'s log-probs equal
 * sequenceLogProbs() for the same context and utterance and every context + utterance fits in
 * maxLen. (The cut is at token level; the oldest turns of a long game fall out first.)
 *
 * Batches are laid out as [left-padded context | right-padded utterance]; padding is masked
 * out of attention and not counted in positions (see transformer.ts), so a row's numbers do not
 * depend on the other rows of its batch. The LM head gives <pad> a -1e9 logit: it is never sampled.
 *
 * Generation prefills every context once (KV cache; the last layer runs only the last position),
 * then feeds one token per step, reads the [B, V] logits with one `await data()` per step and
 * samples on the host with the caller's Rng. Finished rows are fed <pad>, which the cache ignores.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { EOU, PAD, type Tokenizer } from '../text/tokenizer';
import {
  countParams,
  createTransformerParams,
  disposeCache,
  disposeParams,
  forward,
  forwardStep,
  getWeights,
  getWeightsAsync,
  randomVariable,
  setWeights,
  type KVCache,
  type ParamMap,
  type TransformerParams,
  type Weights,
} from './transformer';
import { linear, oneHotFloat } from './ops';
import { lengthGroups, inRowOrder } from './batch';

/** The grouping decode() uses for its prefill (re-exported for the tests). */
export { lengthGroups as prefillGroups };

export interface ActorConfig {
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** Most tokens (context + utterance) the model sees at once. */
  maxLen: number;
  /** MLP width; 4 * dModel when left out. */
  dFf?: number;
  /** Longest utterance in tokens, <eou> included; the context keeps maxLen minus this. */
  maxUtteranceTokens: number;
}

/** Sizes for Twenty Questions: a 20-turn state is about 160 tokens, a question about 8. */
export const DEFAULT_ACTOR_CONFIG: ActorConfig = { dModel: 64, nLayers: 2, nHeads: 4, maxLen: 192, maxUtteranceTokens: 16 };

export interface GenerateOptions {
  /** Softmax temperature; 0 (or less) means greedy. */
  temperature: number;
  /** Most tokens sampled per utterance, <eou> included (at most maxUtteranceTokens). */
  maxTokens: number;
  /** Source of all sampling randomness (one next() per unfinished row per step). */
  rng: Rng;
}

export interface GenerateResult {
  /** Sampled token ids per row, without the final <eou>. */
  tokens: number[][];
  /** tokenizer.decode(tokens). */
  texts: string[];
  /**
   * Sum of the model's log-probabilities (temperature 1) of the sampled tokens, <eou> included when
   * it was emitted: equals sequenceLogProbs(contexts, [...tokens, EOU]) for finished rows.
   */
  logProbs: number[];
  /** The same sum under the temperature-scaled distribution actually sampled from. */
  samplingLogProbs: number[];
  /** Whether the row emitted <eou> (false: cut at maxTokens). */
  finished: boolean[];
}

export interface TokenScores {
  /** [B, U]: log pi(utterance token u | context, earlier utterance tokens); 0 where mask is 0. */
  logProbs: tf.Tensor2D;
  /** [B, U] float32: 1 for the row's utterance tokens (column u = utterance token u), 0 for padding. */
  mask: tf.Tensor2D;
  /** [B, U, V]: the LM logits at those positions (for entropy bonuses, KL, ...); <pad>'s logit is -1e9. */
  logits: tf.Tensor3D;
}

function logSumExp(xs: Float32Array, off: number, n: number, scale: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, xs[off + i]! * scale);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(xs[off + i]! * scale - m);
  return m + Math.log(s);
}

export class Actor {
  readonly config: ActorConfig;
  readonly vocabSize: number;
  /** Every trainable variable by checkpoint name: the transformer's plus lm_head.w / lm_head.b. */
  readonly params: ParamMap;
  /** The transformer trunk (shares the variables of `params`). */
  readonly net: TransformerParams;

  constructor(
    readonly tokenizer: Tokenizer,
    cfg: Partial<ActorConfig>,
    rng: Rng,
  ) {
    this.config = { ...DEFAULT_ACTOR_CONFIG, ...cfg };
    const c = this.config;
    if (!Number.isInteger(c.maxUtteranceTokens) || c.maxUtteranceTokens < 1 || c.maxUtteranceTokens >= c.maxLen) {
      throw new Error(`actor config: maxUtteranceTokens must be an integer in [1, maxLen), got ${c.maxUtteranceTokens}`);
    }
    this.vocabSize = tokenizer.size;
    const tcfg = { vocabSize: this.vocabSize, dModel: c.dModel, nLayers: c.nLayers, nHeads: c.nHeads, maxLen: c.maxLen };
    this.net = createTransformerParams(c.dFf === undefined ? tcfg : { ...tcfg, dFf: c.dFf }, rng);
    this.params = {
      ...this.net.vars,
      'lm_head.w': randomVariable([c.dModel, this.vocabSize], rng, 0.02),
      'lm_head.b': randomVariable([this.vocabSize], rng, 0),
    };
  }

  /** Context tokens kept: the most recent maxLen - maxUtteranceTokens. */
  get contextWindow(): number {
    return this.config.maxLen - this.config.maxUtteranceTokens;
  }

  get numParams(): number {
    return countParams(this.params);
  }

  /** The most recent contextWindow tokens of a context (checked: non-empty, ids in the vocabulary, no <pad>). */
  truncateContext(context: readonly number[]): number[] {
    if (context.length === 0) throw new Error('actor: a context needs at least one token');
    this.checkIds(context, 'context');
    return context.slice(Math.max(0, context.length - this.contextWindow));
  }

  private checkIds(ids: readonly number[], what: string): void {
    for (const id of ids) {
      if (!Number.isInteger(id) || id <= PAD || id >= this.vocabSize) {
        throw new Error(`actor: ${what} token id ${id} is not a real token (1..${this.vocabSize - 1})`);
      }
    }
  }

  /** Logits [N, V] of hidden states [N, D]; <pad> gets -1e9, so it is never sampled nor scored. */
  private head(h: tf.Tensor2D): tf.Tensor2D {
    const padMask = new Float32Array(this.vocabSize);
    padMask[PAD] = -1e9;
    const w = this.params['lm_head.w']! as tf.Tensor as tf.Tensor2D;
    const b = this.params['lm_head.b']! as tf.Tensor as tf.Tensor1D;
    return tf.add(linear(h, w, b), tf.tensor1d(padMask)) as tf.Tensor2D;
  }

  /**
   * Per-token log-probs of each utterance (pass tokenizer.encodeUtterance(text): the <eou> is
   * scored like any token) given its context. Differentiable; the caller disposes the result.
   */
  tokenLogProbs(contexts: readonly (readonly number[])[], utterances: readonly (readonly number[])[]): TokenScores {
    const B = contexts.length;
    if (B === 0 || utterances.length !== B) throw new Error(`actor: need as many utterances as contexts (got ${B} and ${utterances.length}), at least one`);
    const ctx = contexts.map((c) => this.truncateContext(c));
    utterances.forEach((u, i) => {
      if (u.length === 0) throw new Error(`actor: utterance ${i} is empty (encode it with encodeUtterance, which adds <eou>)`);
      if (u.length > this.config.maxUtteranceTokens) {
        throw new Error(`actor: utterance ${i} has ${u.length} tokens, more than maxUtteranceTokens (${this.config.maxUtteranceTokens})`);
      }
      this.checkIds(u, 'utterance');
    });
    const U = Math.max(...utterances.map((u) => u.length));
    // Rows of very different context lengths are scored in two groups (each padded only to its own
    // longest context) and put back in row order: same numbers, less padding to run through.
    const groups = lengthGroups(ctx.map((c) => c.length));
    return tf.tidy(() => {
      const parts = groups.map((rows) => this.scoreRows(rows.map((b) => ctx[b]!), rows.map((b) => utterances[b]!), U));
      const mask = new Float32Array(B * U);
      utterances.forEach((u, b) => mask.fill(1, b * U, b * U + u.length));
      return {
        logProbs: inRowOrder(parts.map((p) => p.logProbs), groups),
        mask: tf.tensor2d(mask, [B, U], 'float32'),
        logits: inRowOrder(parts.map((p) => p.logits), groups),
      };
    }) as unknown as TokenScores;
  }

  /** tokenLogProbs for rows already checked and truncated, utterances padded to U columns. */
  private scoreRows(ctx: readonly number[][], utterances: readonly (readonly number[])[], U: number): { logProbs: tf.Tensor2D; logits: tf.Tensor3D } {
    const B = ctx.length;
    const C = Math.max(...ctx.map((c) => c.length));
    const T = C + U;
    const V = this.vocabSize;
    const tokens = new Int32Array(B * T);
    const targets = new Int32Array(B * U);
    const mask = new Float32Array(B * U);
    for (let b = 0; b < B; b++) {
      const c = ctx[b]!;
      const u = utterances[b]!;
      tokens.set(c, b * T + C - c.length);
      tokens.set(u, b * T + C);
      targets.set(u, b * U);
      mask.fill(1, b * U, b * U + u.length);
    }
    return tf.tidy(() => {
      // Hidden state at column C - 1 + u predicts utterance token u: the last U + 1 columns but the final one.
      const hidden = forward(this.net, tf.tensor2d(tokens, [B, T], 'int32'), { outputs: U + 1 });
      const h = tf.reshape(tf.slice(hidden, [0, 0, 0], [B, U, this.config.dModel]), [B * U, this.config.dModel]) as tf.Tensor2D;
      const logits = this.head(h);
      const logp = tf.logSoftmax(logits);
      const picked = tf.sum(tf.mul(logp, oneHotFloat(tf.tensor1d(targets, 'int32'), V)), 1);
      return {
        logProbs: tf.mul(tf.reshape(picked, [B, U]), tf.tensor2d(mask, [B, U], 'float32')) as tf.Tensor2D,
        logits: tf.reshape(logits, [B, U, V]) as tf.Tensor3D,
      };
    }) as unknown as { logProbs: tf.Tensor2D; logits: tf.Tensor3D };
  }

  /** [B]: log pi(utterance | context), summed over the utterance's tokens (<eou> included). Differentiable. */
  sequenceLogProbs(contexts: readonly (readonly number[])[], utterances: readonly (readonly number[])[]): tf.Tensor1D {
    return tf.tidy(() => {
      const { logProbs } = this.tokenLogProbs(contexts, utterances);
      return tf.sum(logProbs, 1) as tf.Tensor1D;
    });
  }

  /** Samples one utterance per context (batched, KV-cached; sampling on the host with opts.rng). */
  generate(contexts: readonly (readonly number[])[], opts: GenerateOptions): Promise<GenerateResult> {
    return this.decode(contexts, opts.maxTokens, opts.temperature, opts.rng);
  }

  /** Greedy (argmax) decoding, for evaluation. */
  generateGreedy(contexts: readonly (readonly number[])[], maxTokens: number): Promise<GenerateResult> {
    return this.decode(contexts, maxTokens, 0, null);
  }

  private async decode(contexts: readonly (readonly number[])[], maxTokens: number, temperature: number, rng: Rng | null): Promise<GenerateResult> {
    if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > this.config.maxUtteranceTokens) {
      throw new Error(`actor: maxTokens must be an integer in [1, ${this.config.maxUtteranceTokens}], got ${maxTokens}`);
    }
    if (!Number.isFinite(temperature)) throw new Error(`actor: temperature must be finite, got ${temperature}`);
    const greedy = temperature <= 0;
    if (!greedy && !rng) throw new Error('actor: sampling needs an rng');
    const B = contexts.length;
    const out: GenerateResult = {
      tokens: contexts.map(() => []),
      texts: [],
      logProbs: new Array<number>(B).fill(0),
      samplingLogProbs: new Array<number>(B).fill(0),
      finished: new Array<boolean>(B).fill(false),
    };
    if (B === 0) return out;
    const ctx = contexts.map((c) => this.truncateContext(c));
    const V = this.vocabSize;
    const D = this.config.dModel;

    /** One forward step of a group of rows (prefill when cache is null): last-position logits and the cache. */
    const step = (tokens: Int32Array, rows: number, k: number, cache: KVCache | null): { logits: tf.Tensor2D; cache: KVCache } =>
      tf.tidy(() => {
        const r = forwardStep(this.net, tf.tensor2d(tokens, [rows, k], 'int32'), cache, { outputs: 1 });
        const last = tf.reshape(r.hidden, [rows, D]) as tf.Tensor2D;
        return { logits: this.head(last), cache: r.cache } as unknown as tf.TensorContainer;
      }) as unknown as { logits: tf.Tensor2D; cache: KVCache };

    // Rows are prefilled in groups of similar context length (each left-padded only to its own
    // longest), then decoded group by group; sampling still walks the rows in their given order,
    // so the rng is consumed exactly as with one group.
    type Group = { rows: number[]; logits: tf.Tensor2D; cache: KVCache };
    let groups: Group[] = lengthGroups(ctx.map((c) => c.length)).map((rows) => {
      const C = Math.max(...rows.map((b) => ctx[b]!.length));
      const prefill = new Int32Array(rows.length * C);
      rows.forEach((b, i) => prefill.set(ctx[b]!, i * C + C - ctx[b]!.length));
      return { rows, ...step(prefill, rows.length, C, null) };
    });
    const where = new Array<[number, number]>(B);
    groups.forEach((g, gi) => g.rows.forEach((b, i) => (where[b] = [gi, i])));
    const next = new Int32Array(B);
    const probs = new Float64Array(V);
    try {
      for (let s = 0; s < maxTokens; s++) {
        const datas = (await Promise.all(groups.map((g) => g.logits.data()))) as Float32Array[];
        for (const g of groups) g.logits.dispose();
        for (let b = 0; b < B; b++) {
          next[b] = PAD;
          if (out.finished[b]) continue;
          const [gi, row] = where[b]!;
          const data = datas[gi]!;
          const off = row * V;
          let id = 0;
          if (greedy) {
            let best = -Infinity;
            for (let i = 0; i < V; i++) {
              const x = data[off + i]!;
              if (x > best) {
                best = x;
                id = i;
              }
            }
          } else {
            const inv = 1 / temperature;
            const lse = logSumExp(data, off, V, inv);
            let u = rng!.next();
            id = -1;
            for (let i = 0; i < V; i++) {
              probs[i] = Math.exp(data[off + i]! * inv - lse);
            }
            for (let i = 0; i < V; i++) {
              u -= probs[i]!;
              if (u < 0) {
                id = i;
                break;
              }
            }
            if (id < 0) {
              // Rounding left u >= 0 after the last token: take the last token with probability > 0.
              for (let i = V - 1; i >= 0 && id < 0; i--) if (probs[i]! > 0) id = i;
            }
            out.samplingLogProbs[b]! += data[off + id]! * inv - lse;
          }
          const lp = data[off + id]! - logSumExp(data, off, V, 1);
          out.logProbs[b]! += lp;
          if (greedy) out.samplingLogProbs[b]! += lp;
          if (id === EOU) out.finished[b] = true;
          else {
            out.tokens[b]!.push(id);
            next[b] = id;
          }
        }
        if (s === maxTokens - 1 || out.finished.every((f) => f)) break;
        groups = groups.map((g) => {
          const r = step(Int32Array.from(g.rows, (b) => next[b]!), g.rows.length, 1, g.cache);
          disposeCache(g.cache);
          return { rows: g.rows, logits: r.logits, cache: r.cache };
        });
      }
    } finally {
      for (const g of groups) {
        if (!g.logits.isDisposed) g.logits.dispose();
        disposeCache(g.cache);
      }
    }
    out.texts = out.tokens.map((t) => this.tokenizer.decode(t));
    return out;
  }

  getWeights(): Weights {
    return getWeights(this.params);
  }

  getWeightsAsync(): Promise<Weights> {
    return getWeightsAsync(this.params);
  }

  setWeights(weights: Weights): void {
    setWeights(this.params, weights);
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
