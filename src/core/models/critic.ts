/**
 * ArCHer's utterance-level critic: one small transformer encoder shared by four heads,
 *   Q1, Q2 on [enc(state); enc(utterance)]   and   V1, V2 on enc(state).
 * enc(x) is the encoder's hidden state at x's last token (rows are left-padded, attention is
 * causal, so the last position has read the whole text). Each head is a two-layer MLP.
 * With `jointEncoding` (not in the paper) the Q heads read [enc(state); enc(state ++ utterance)]
 * instead: the encoder reads the utterance after the state, as the actor does, so it can compare
 * the two token by token (is the option clicked on this page at all?). Same weights either way.
 * With `turnEncoding` (not in the paper; ArCHer is hierarchical, so is this) the encoder reads each
 * line of a text (a Twenty Questions turn "Is it alive? No.", the header "Questions:") on its own,
 * and a state is the sum of its lines' vectors, scaled by TURN_SCALE: a set of turns rather than one
 * long token sequence. An utterance is one line, encoded the same way, and the Q heads read
 * [enc(state); enc(utterance); enc(state) * enc(utterance)], so Q can weigh a question against
 * what the answers so far have ruled out. A line that appears in many states is encoded once.
 * The target critic is a second Critic of the same shape (`clone()`), moved by Polyak averaging.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import { inRowOrder, leftPadBatch, lengthGroups } from './batch';
import { linear } from './ops';
import { EOU, NL, PAD } from '../text/tokenizer';
import {
  countParams,
  createTransformerParams,
  disposeParams,
  forward,
  getWeights,
  getWeightsAsync,
  randomVariable,
  setWeights,
  type ParamMap,
  type TransformerParams,
  type Weights,
} from './transformer';

export interface CriticConfig {
  dModel: number;
  nLayers: number;
  nHeads: number;
  maxLen: number;
  /** Hidden width of each head's MLP. */
  headHidden: number;
  /** Q reads enc(state ++ utterance) in place of enc(utterance) (see the module comment). */
  jointEncoding: boolean;
  /** Encode each line on its own and a state as the set of its lines (see the module comment). */
  turnEncoding: boolean;
}

export const DEFAULT_CRITIC_CONFIG: CriticConfig = { dModel: 64, nLayers: 1, nHeads: 4, maxLen: 192, headHidden: 64, jointEncoding: false, turnEncoding: false };

/** With turnEncoding a state's vector is TURN_SCALE x the sum of its lines' vectors (a 20-turn state stays near a unit-scale input). */
export const TURN_SCALE = 0.25;

/**
 * A token list cut into lines at <nl>, without the <nl>s, <eou> and padding; empty lines dropped.
 * A text with no line break is one line (an utterance).
 */
export function splitLines(row: readonly number[]): number[][] {
  const lines: number[][] = [];
  let cur: number[] = [];
  for (const id of row) {
    if (id === NL) {
      if (cur.length > 0) lines.push(cur);
      cur = [];
    } else if (id !== EOU && id !== PAD) cur.push(id);
  }
  if (cur.length > 0) lines.push(cur);
  return lines;
}

export interface CriticValues {
  q1: tf.Tensor1D;
  q2: tf.Tensor1D;
  v1: tf.Tensor1D;
  v2: tf.Tensor1D;
}

const HEADS = ['q1', 'q2', 'v1', 'v2'] as const;
type Head = (typeof HEADS)[number];

export class Critic {
  readonly config: CriticConfig;
  readonly encoder: TransformerParams;
  /** Every trainable variable by checkpoint name (encoder's plus `head.q1.w1` ...). */
  readonly params: ParamMap;

  constructor(readonly vocabSize: number, cfg: Partial<CriticConfig> = {}, rng: Rng = new Rng(0)) {
    this.config = { ...DEFAULT_CRITIC_CONFIG, ...cfg };
    const c = this.config;
    if (c.turnEncoding && c.jointEncoding) throw new Error('critic: turn encoding (critic.encoder=turns) reads the utterance on its own line; it cannot be combined with critic.joint_encoding');
    this.encoder = createTransformerParams({ vocabSize, dModel: c.dModel, nLayers: c.nLayers, nHeads: c.nHeads, maxLen: c.maxLen }, rng);
    const heads: ParamMap = {};
    for (const h of HEADS) {
      const inDim = h.startsWith('q') ? (c.turnEncoding ? 3 : 2) * c.dModel : c.dModel;
      heads[`head.${h}.w1`] = randomVariable([inDim, c.headHidden], rng, Math.sqrt(2 / inDim));
      heads[`head.${h}.b1`] = randomVariable([c.headHidden], rng, 0);
      heads[`head.${h}.w2`] = randomVariable([c.headHidden, 1], rng, 0.01);
      heads[`head.${h}.b2`] = randomVariable([1], rng, 0);
    }
    // The token-level baseline b(s, a_<t) of the token-level ArCHer variant: a linear head on the
    // encoder's state at each utterance prefix. Trained by its own loss, not the critic's.
    heads['head.b.w'] = randomVariable([c.dModel, 1], rng, 0.01);
    heads['head.b.b'] = randomVariable([1], rng, 0);
    this.params = { ...this.encoder.vars, ...heads };
  }

  get numParams(): number {
    return countParams(this.params);
  }

  /** The Q/V critic's variables in a fixed order (for its optimiser and Polyak averaging). */
  variables(): tf.Variable[] {
    return Object.keys(this.params)
      .filter((k) => !k.startsWith('head.b.'))
      .sort()
      .map((k) => this.params[k] as tf.Variable);
  }

  /** The encoder's and the token-level head's variables, in name order: a PPO value network (tokenBaselines) trains these. */
  valueVariables(): tf.Variable[] {
    return [...Object.keys(this.encoder.vars).sort().map((k) => this.params[k] as tf.Variable), ...this.baselineVariables()];
  }

  /** The token-level baseline head's variables. */
  baselineVariables(): tf.Variable[] {
    return ['head.b.b', 'head.b.w'].map((k) => this.params[k] as tf.Variable);
  }

  /**
   * Token-level baselines b(s, a_<t), [B, U] with column u = utterance token u (the layout of
   * Actor.tokenLogProbs): the encoder reads state ++ utterance and the head reads its hidden state
   * just before token u. Differentiable (into the head and the encoder).
   */
  tokenBaselines(states: readonly (readonly number[])[], utterances: readonly (readonly number[])[]): tf.Tensor2D {
    const B = states.length;
    if (B === 0 || utterances.length !== B) throw new Error(`critic: ${B} states but ${utterances.length} utterances`);
    const U = Math.max(1, ...utterances.map((u) => u.length));
    const ctx = states.map((st) => st.slice(Math.max(0, st.length - (this.config.maxLen - U))));
    const C = Math.max(1, ...ctx.map((c) => c.length));
    const T = C + U;
    const tokens = new Int32Array(B * T);
    ctx.forEach((c, b) => {
      tokens.set(c, b * T + C - c.length);
      tokens.set(utterances[b] as number[], b * T + C);
    });
    return tf.tidy(() => {
      const hidden = forward(this.encoder, tf.tensor2d(tokens, [B, T], 'int32'), { outputs: U + 1 });
      const d = this.config.dModel;
      const h = tf.reshape(tf.slice(hidden, [0, 0, 0], [B, U, d]), [B * U, d]) as tf.Tensor2D;
      const b = linear(h, this.params['head.b.w'] as tf.Variable as tf.Tensor2D, this.params['head.b.b'] as tf.Variable as tf.Tensor1D);
      return tf.reshape(b, [B, U]) as tf.Tensor2D;
    });
  }

  /** enc(x) for a batch of token lists: [B, dModel] (with turnEncoding, the sum of the lines' encodings). Differentiable. */
  encode(rows: readonly (readonly number[])[]): tf.Tensor2D {
    return this.config.turnEncoding ? this.encodeTurns(rows) : this.encodeSequences(rows);
  }

  /** Each row's vector: TURN_SCALE x the sum of its lines' encodings, every distinct line encoded once. */
  private encodeTurns(rows: readonly (readonly number[])[]): tf.Tensor2D {
    const index = new Map<string, number>();
    const lines: number[][] = [];
    const rowLines = rows.map((row) => {
      const ids = splitLines(row).map((line) => {
        const key = line.join(',');
        let i = index.get(key);
        if (i === undefined) {
          i = lines.length;
          index.set(key, i);
          lines.push(line);
        }
        return i;
      });
      return ids;
    });
    // A row without a line (an empty text) is the zero vector.
    if (lines.length === 0) return tf.zeros([rows.length, this.config.dModel]) as tf.Tensor2D;
    const L = lines.length;
    const mix = new Float32Array(rows.length * L);
    rowLines.forEach((ids, r) => ids.forEach((i) => (mix[r * L + i]! += TURN_SCALE)));
    return tf.tidy(() => tf.matMul(tf.tensor2d(mix, [rows.length, L]), this.encodeSequences(lines)));
  }

  /** The encoder's hidden state at each row's last token: [B, dModel]. */
  private encodeSequences(rows: readonly (readonly number[])[]): tf.Tensor2D {
    // Rows of very different lengths are encoded in two groups (each padded only to its own longest).
    const groups = lengthGroups(rows.map((r) => Math.min(r.length, this.config.maxLen)));
    return tf.tidy(() =>
      inRowOrder(
        groups.map((g) => {
          const hidden = forward(this.encoder, leftPadBatch(g.map((b) => rows[b]!), this.config.maxLen), { outputs: 1 });
          const [b, , d] = hidden.shape;
          return tf.reshape(hidden, [b, d]) as tf.Tensor2D;
        }),
        groups,
      ),
    );
  }

  /** What the Q heads read for (state, utterance) encodings: [s; a], with turnEncoding [s; a; s * a]. */
  private qInput(s: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
    return (this.config.turnEncoding ? tf.concat([s, a, tf.mul(s, a)], 1) : tf.concat([s, a], 1)) as tf.Tensor2D;
  }

  private head(h: Head, x: tf.Tensor2D): tf.Tensor1D {
    const p = (n: string) => this.params[`head.${h}.${n}`] as tf.Variable;
    const hidden = tf.relu(linear(x, p('w1') as tf.Tensor2D, p('b1') as tf.Tensor1D)) as tf.Tensor2D;
    return tf.reshape(linear(hidden, p('w2') as tf.Tensor2D, p('b2') as tf.Tensor1D), [-1]) as tf.Tensor1D;
  }

  /**
   * Q1, Q2 at (state, utterance) and V1, V2 at state, from one encoding of the state and one of the
   * utterance (with jointEncoding, of the state followed by the utterance). Differentiable.
   */
  values(states: readonly (readonly number[])[], utterances: readonly (readonly number[])[]): CriticValues {
    if (states.length !== utterances.length) throw new Error(`critic: ${states.length} states but ${utterances.length} utterances`);
    return tf.tidy(() => {
      const s = this.encode(states);
      const actions = this.config.jointEncoding ? states.map((st, i) => [...st, ...utterances[i]!]) : utterances;
      const sa = this.qInput(s, this.encode(actions));
      return { q1: this.head('q1', sa), q2: this.head('q2', sa), v1: this.head('v1', s), v2: this.head('v2', s) };
    }) as unknown as CriticValues;
  }

  /**
   * Q1, Q2 for every (state, utterance) pair of a grid, [S, A] each: each state and each utterance
   * encoded once (with jointEncoding every pair is encoded, as values() does). For instruments that
   * score many candidate utterances at a few states.
   */
  qGrid(states: readonly (readonly number[])[], utterances: readonly (readonly number[])[]): { q1: tf.Tensor2D; q2: tf.Tensor2D } {
    const S = states.length;
    const A = utterances.length;
    if (S === 0 || A === 0) throw new Error(`critic: a Q grid needs states and utterances, got ${S} x ${A}`);
    return tf.tidy(() => {
      if (this.config.jointEncoding) {
        const v = this.values(states.flatMap((st) => utterances.map(() => st)), states.flatMap(() => utterances));
        return { q1: tf.reshape(v.q1, [S, A]) as tf.Tensor2D, q2: tf.reshape(v.q2, [S, A]) as tf.Tensor2D };
      }
      const s = this.encode(states);
      const u = this.encode(utterances);
      const d = this.config.dModel;
      const sRep = tf.reshape(tf.tile(tf.expandDims(s, 1), [1, A, 1]), [S * A, d]) as tf.Tensor2D;
      const uRep = tf.reshape(tf.tile(tf.expandDims(u, 0), [S, 1, 1]), [S * A, d]) as tf.Tensor2D;
      const sa = this.qInput(sRep, uRep);
      return { q1: tf.reshape(this.head('q1', sa), [S, A]) as tf.Tensor2D, q2: tf.reshape(this.head('q2', sa), [S, A]) as tf.Tensor2D };
    }) as unknown as { q1: tf.Tensor2D; q2: tf.Tensor2D };
  }

  /** V1, V2 at states only. */
  stateValues(states: readonly (readonly number[])[]): { v1: tf.Tensor1D; v2: tf.Tensor1D } {
    return tf.tidy(() => {
      const s = this.encode(states);
      return { v1: this.head('v1', s), v2: this.head('v2', s) };
    }) as unknown as { v1: tf.Tensor1D; v2: tf.Tensor1D };
  }

  getWeights(): Weights {
    return getWeights(this.params);
  }

  /** Like getWeights, reading asynchronously (preferred on GPU backends). */
  getWeightsAsync(): Promise<Weights> {
    return getWeightsAsync(this.params);
  }

  setWeights(weights: Weights): void {
    setWeights(this.params, weights);
  }

  /**
   * Starts the encoder from a language model's weights: every encoder variable whose name and
   * shape the model has too (token and position embeddings, each block the two share, the final
   * layer norm) takes the model's values; the heads stay as initialised. ArCHer starts its critic
   * from a pretrained RoBERTa; in this lab the pretrained model at hand is the reference actor
   * (same tokenizer, same block layout). Returns the names copied; refuses a model that shares
   * none (another width or vocabulary).
   */
  initEncoderFrom(weights: Weights): string[] {
    const copied: string[] = [];
    const from: Weights = {};
    for (const [name, v] of Object.entries(this.encoder.vars)) {
      const w = weights[name];
      if (w && w.shape.length === v.shape.length && w.shape.every((d, i) => d === v.shape[i])) {
        from[name] = w;
        copied.push(name);
      }
    }
    if (!copied.includes('wte')) {
      const got = weights.wte ? `[${weights.wte.shape.join(', ')}]` : 'none';
      throw new Error(`critic: cannot start the encoder from this model: its token embedding is ${got}, the critic's [${this.encoder.vars.wte!.shape.join(', ')}] (critic.d_model must equal model.d_model, same vocabulary)`);
    }
    setWeights(Object.fromEntries(copied.map((n) => [n, this.encoder.vars[n]!])) as ParamMap, from);
    return copied;
  }

  /** A critic of the same shape holding a copy of these weights (the target critic's start). */
  clone(): Critic {
    const copy = new Critic(this.vocabSize, this.config, new Rng(0));
    copy.setWeights(this.getWeights());
    return copy;
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
