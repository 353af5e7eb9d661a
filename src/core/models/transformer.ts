/**
 * A small causal (GPT-style) transformer written with raw tf ops and tf.Variables, so that we
 * control gradients, the KV cache and serialisation, and so that it trains on every tfjs backend
 * (cpu, wasm, webgl, webgpu).
 *
 * Architecture: token embedding + learned positional embedding, `nLayers` pre-LayerNorm blocks
 * (x += Attn(LN(x)); x += MLP(LN(x))) with multi-head causal self-attention and a ReLU MLP
 * (width dFf = 4 * dModel by default; ReLU rather than GELU because tanh/erf are slow on wasm),
 * and a final LayerNorm. `forward` returns the final hidden states; output heads (LM head, value
 * heads) live with their owners.
 *
 * Padding: token id 0 (`<pad>`) is padding wherever it appears. Pad positions are masked out of
 * attention as keys, and positions are counted over real tokens only (position of a token = number
 * of real tokens before it in its row), so a row's outputs at its real positions do not depend on
 * how much padding surrounds it. Batches are normally LEFT-padded (so every row ends at the last
 * column); right padding after the real tokens is also fine (causality means nothing real attends
 * to it). Outputs at pad positions are finite but meaningless.
 *
 * Positions must stay below maxLen: a row may hold at most maxLen real tokens (counting cached
 * ones). Position ids are clamped to maxLen - 1, so longer rows are not an error but are wrong;
 * callers truncate (the Actor keeps the most recent tokens).
 *
 * Embeddings (ops.ts embedRows) are gather or oneHot(ids) x matrix in the forward pass, with the
 * custom gradient oneHot(ids)^T x dy: tf.gather's own gradient needs UnsortedSegmentSum, which the
 * wasm backend lacks. Linear layers, LayerNorm and softmax also have hand-written gradients that
 * avoid the slow paths of the cpu and wasm backends (see ops.ts).
 *
 * Memory: every function here is tidy; the caller owns what is returned (hidden, cache) and must
 * dispose it (`disposeCache` for a cache).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { embedRows, layerNorm, linear, onCpu, softmaxLast } from './ops';

export const PAD_ID = 0;

export interface TransformerConfig {
  vocabSize: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  maxLen: number;
  /** MLP hidden width; 4 * dModel when left out. */
  dFf?: number;
}

export type ResolvedTransformerConfig = Required<TransformerConfig>;

/** Named variables, the checkpoint unit. Names: wte, wpe, h{i}.ln1.g, h{i}.attn.wqkv, ..., lnf.g, lnf.b. */
export type ParamMap = Record<string, tf.Variable>;

export interface TransformerParams {
  readonly config: ResolvedTransformerConfig;
  readonly vars: ParamMap;
}

export interface SerializedWeight {
  shape: number[];
  data: Float32Array;
}
export type Weights = Record<string, SerializedWeight>;

/** Keys and values of every layer for the tokens seen so far. */
export interface KVCache {
  /** Per layer, [nHeads, B, length, dHead]. */
  readonly keys: tf.Tensor4D[];
  readonly values: tf.Tensor4D[];
  /** [B, length] float32: 1 where the cached position holds a real token, 0 for padding. */
  readonly keyMask: tf.Tensor2D;
  /** [B, 1] int32: real tokens seen so far per row (the next real token's position). */
  readonly nReal: tf.Tensor2D;
  /** Number of cached columns (padding included). */
  readonly length: number;
}

export function resolveConfig(cfg: TransformerConfig): ResolvedTransformerConfig {
  const out: ResolvedTransformerConfig = { ...cfg, dFf: cfg.dFf ?? 4 * cfg.dModel };
  for (const k of ['vocabSize', 'dModel', 'nLayers', 'nHeads', 'maxLen', 'dFf'] as const) {
    if (!Number.isInteger(out[k]) || out[k] <= 0) throw new Error(`transformer config: ${k} must be a positive integer, got ${out[k]}`);
  }
  if (out.dModel % out.nHeads !== 0) throw new Error(`transformer config: dModel (${out.dModel}) must be divisible by nHeads (${out.nHeads})`);
  return out;
}

/** The parameter names and shapes of a config, in a fixed order. */
export function paramShapes(cfg: TransformerConfig): [string, number[]][] {
  const c = resolveConfig(cfg);
  const D = c.dModel;
  const F = c.dFf;
  const out: [string, number[]][] = [
    ['wte', [c.vocabSize, D]],
    ['wpe', [c.maxLen, D]],
  ];
  for (let i = 0; i < c.nLayers; i++) {
    out.push(
      [`h${i}.ln1.g`, [D]],
      [`h${i}.ln1.b`, [D]],
      [`h${i}.attn.wqkv`, [D, 3 * D]],
      [`h${i}.attn.bqkv`, [3 * D]],
      [`h${i}.attn.wo`, [D, D]],
      [`h${i}.attn.bo`, [D]],
      [`h${i}.ln2.g`, [D]],
      [`h${i}.ln2.b`, [D]],
      [`h${i}.mlp.w1`, [D, F]],
      [`h${i}.mlp.b1`, [F]],
      [`h${i}.mlp.w2`, [F, D]],
      [`h${i}.mlp.b2`, [D]],
    );
  }
  out.push(['lnf.g', [D]], ['lnf.b', [D]]);
  return out;
}

/** A trainable variable filled with rng.normal() * std (std 0: zeros; `fill` for constants). */
export function randomVariable(shape: number[], rng: Rng, std: number, fill = 0): tf.Variable {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (std > 0) for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
  else if (fill !== 0) data.fill(fill);
  // No variable name: tfjs variable names are global, and several models (actor, critics, target
  // copies) coexist. The ParamMap key is the checkpoint name.
  return tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), true));
}

/**
 * Fresh parameters: weights N(0, 0.02^2) (the residual output projections wo and w2 scaled by
 * 1/sqrt(2 nLayers), as in GPT-2), biases 0, LayerNorm gains 1. Deterministic for a given rng state.
 */
export function createTransformerParams(cfg: TransformerConfig, rng: Rng): TransformerParams {
  const config = resolveConfig(cfg);
  const std = 0.02;
  const residStd = std / Math.sqrt(2 * config.nLayers);
  const vars: ParamMap = {};
  for (const [name, shape] of paramShapes(config)) {
    const leaf = name.slice(name.lastIndexOf('.') + 1);
    if (name.endsWith('.g')) vars[name] = randomVariable(shape, rng, 0, 1);
    else if (leaf.startsWith('b')) vars[name] = randomVariable(shape, rng, 0);
    else if (leaf === 'wo' || leaf === 'w2') vars[name] = randomVariable(shape, rng, residStd);
    else vars[name] = randomVariable(shape, rng, std);
  }
  return { config, vars };
}

type AnyParams = ParamMap | TransformerParams;
function varsOf(p: AnyParams): ParamMap {
  return 'vars' in p && 'config' in p && typeof (p as TransformerParams).config === 'object' ? (p as TransformerParams).vars : (p as ParamMap);
}

export function countParams(params: AnyParams): number {
  return Object.values(varsOf(params)).reduce((n, v) => n + v.size, 0);
}

/** A copy of every variable's values, by name (synchronous read: dataSync). */
export function getWeights(params: AnyParams): Weights {
  const out: Weights = {};
  for (const [name, v] of Object.entries(varsOf(params))) {
    out[name] = { shape: v.shape.slice(), data: Float32Array.from(v.dataSync() as Float32Array) };
  }
  return out;
}

/** Like getWeights, reading asynchronously (preferred on GPU backends). */
export async function getWeightsAsync(params: AnyParams): Promise<Weights> {
  const out: Weights = {};
  for (const [name, v] of Object.entries(varsOf(params))) {
    out[name] = { shape: v.shape.slice(), data: Float32Array.from((await v.data()) as Float32Array) };
  }
  return out;
}

/**
 * Assigns saved values to the variables. All names must be present with the same shapes; unknown
 * names are an error too unless `allowExtra` (e.g. loading the trunk out of a bigger checkpoint).
 * Everything is checked before anything is assigned.
 */
export function setWeights(params: AnyParams, weights: Weights, opts: { allowExtra?: boolean } = {}): void {
  const vars = varsOf(params);
  const problems: string[] = [];
  for (const [name, v] of Object.entries(vars)) {
    const w = weights[name];
    if (!w) {
      problems.push(`missing weight "${name}" (expected shape [${v.shape.join(', ')}])`);
      continue;
    }
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i])) {
      problems.push(`weight "${name}" has shape [${w.shape.join(', ')}], expected [${v.shape.join(', ')}]`);
    } else if (w.data.length !== n) {
      problems.push(`weight "${name}" has ${w.data.length} values for shape [${w.shape.join(', ')}] (${n})`);
    }
  }
  if (!opts.allowExtra) {
    for (const name of Object.keys(weights)) if (!(name in vars)) problems.push(`unexpected weight "${name}"`);
  }
  if (problems.length > 0) throw new Error(`setWeights: ${problems.join('; ')}`);
  for (const [name, v] of Object.entries(vars)) {
    const w = weights[name]!;
    tf.tidy(() => v.assign(tf.tensor(w.data, w.shape, 'float32')));
  }
}

export function disposeParams(params: AnyParams): void {
  for (const v of Object.values(varsOf(params))) v.dispose();
}

export function disposeCache(cache: KVCache | null | undefined): void {
  if (!cache) return;
  tf.dispose([...cache.keys, ...cache.values, cache.keyMask, cache.nReal]);
}

function v(params: TransformerParams, name: string): tf.Variable {
  const x = params.vars[name];
  if (!x) throw new Error(`transformer parameter "${name}" is missing`);
  return x;
}
const v1 = (p: TransformerParams, name: string) => v(p, name) as tf.Tensor as tf.Tensor1D;
const v2 = (p: TransformerParams, name: string) => v(p, name) as tf.Tensor as tf.Tensor2D;

/**
 * Additive attention bias [B, T, Tc + T]: 0 where query i may attend key j, -1e9 elsewhere.
 * Allowed: key j is a real token and j < Tc + i (causal), or j = Tc + i (itself, which also keeps
 * the rows of pad queries from being fully masked).
 */
function attentionBias(keyMask: tf.Tensor2D, T: number, Tc: number): tf.Tensor3D {
  const Tk = Tc + T;
  const below = new Float32Array(T * Tk);
  const diag = new Float32Array(T * Tk);
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < Tc + i; j++) below[i * Tk + j] = 1;
    diag[i * Tk + Tc + i] = 1;
  }
  const B = keyMask.shape[0];
  const belowT = tf.tensor2d(below, [T, Tk]);
  // keyMask[b, j] * below[i, j]. On cpu, broadcasting a size-1 axis is slow, so the key mask is first
  // spread to [B, T, Tk] by an outer product; elsewhere the batched outer product is the slow part.
  const masked = onCpu()
    ? tf.mul(tf.matMul(tf.ones([B, T, 1]), tf.reshape(keyMask, [B, 1, Tk])), belowT)
    : tf.mul(tf.reshape(keyMask, [B, 1, Tk]), belowT);
  const allowed = tf.add(masked, tf.tensor2d(diag, [T, Tk]));
  return tf.mul(tf.sub(allowed, 1), 1e9) as tf.Tensor3D;
}

function run(
  params: TransformerParams,
  tokens: tf.Tensor2D,
  cache: KVCache | null,
  keepCache: boolean,
  outputs: number | undefined,
): { hidden: tf.Tensor3D; cache: KVCache | null } {
  const { dModel: D, nHeads: H, nLayers, maxLen } = params.config;
  const dh = D / H;
  if (tokens.rank !== 2) throw new Error(`transformer input must be [B, T] token ids, got shape [${tokens.shape.join(', ')}]`);
  const [B, T] = tokens.shape;
  const N = B * T;
  if (cache && cache.keyMask.shape[0] !== B) throw new Error(`cache batch ${cache.keyMask.shape[0]} does not match input batch ${B}`);
  const Tc = cache ? cache.length : 0;
  const Tk = Tc + T;
  const nOut = outputs ?? T;
  if (!Number.isInteger(nOut) || nOut < 1 || nOut > T) throw new Error(`outputs must be an integer in [1, ${T}], got ${outputs}`);
  const ids = tokens.dtype === 'int32' ? tokens : tf.cast(tokens, 'int32');

  const real = tf.cast(tf.notEqual(ids, PAD_ID), 'int32');
  let pos: tf.Tensor = tf.sub(tf.cumsum(real, 1), tf.scalar(1, 'int32'));
  if (cache) pos = tf.add(pos, cache.nReal);
  pos = tf.cast(tf.clipByValue(pos, 0, maxLen - 1), 'int32');
  let x = tf.add(
    embedRows(v2(params, 'wte'), tf.reshape(ids, [N]) as tf.Tensor1D),
    embedRows(v2(params, 'wpe'), tf.reshape(pos, [N]) as tf.Tensor1D),
  ) as tf.Tensor2D;

  const newMask = tf.cast(real, 'float32') as tf.Tensor2D;
  const keyMask = cache ? (tf.concat([cache.keyMask, newMask], 1) as tf.Tensor2D) : newMask;
  const bias = attentionBias(keyMask, T, Tc);
  const scale = 1 / Math.sqrt(dh);
  const keys: tf.Tensor4D[] = [];
  const values: tf.Tensor4D[] = [];

  for (let l = 0; l < nLayers; l++) {
    const p = `h${l}`;
    const h = layerNorm(x, v1(params, `${p}.ln1.g`), v1(params, `${p}.ln1.b`));
    // [N, 3D] = [N, (q|k|v) x H, dh] -> [3H, N, dh] (a rank-3 transpose: rank 5 is slow on wasm);
    // q, k, v are then contiguous slices of the first axis, each [H, N, dh] = [H, B, T, dh].
    const qkv = tf.transpose(tf.reshape(linear(h, v2(params, `${p}.attn.wqkv`), v1(params, `${p}.attn.bqkv`)), [N, 3 * H, dh]), [1, 0, 2]);
    const part = (i: number) => tf.reshape(tf.slice(qkv, [i * H, 0, 0], [H, N, dh]), [H, B, T, dh]) as tf.Tensor4D;
    let q = tf.mul(part(0), scale) as tf.Tensor4D;
    let k = part(1);
    let vv = part(2);
    if (cache) {
      k = tf.concat([cache.keys[l]!, k], 2) as tf.Tensor4D;
      vv = tf.concat([cache.values[l]!, vv], 2) as tf.Tensor4D;
    }
    if (keepCache) {
      keys.push(k);
      values.push(vv);
    }
    // Queries: all T columns, except in the last layer where only the last nOut outputs are wanted
    // (every column's keys and values are still computed above, for the cache).
    let Tq = T;
    let qBias = bias;
    if (l === nLayers - 1 && nOut < T) {
      Tq = nOut;
      q = tf.slice(q, [0, 0, T - nOut, 0], [H, B, nOut, dh]);
      qBias = tf.slice(bias, [0, T - nOut, 0], [B, nOut, Tk]);
      x = tf.reshape(tf.slice(tf.reshape(x, [B, T, D]), [0, T - nOut, 0], [B, nOut, D]), [B * nOut, D]) as tf.Tensor2D;
    }
    const Nq = B * Tq;
    // Scores [H, B, Tq, Tk]; the bias [B, Tq, Tk] broadcasts over the leading head axis.
    const scores = tf.add(
      tf.reshape(tf.matMul(tf.reshape(q, [H * B, Tq, dh]), tf.reshape(k, [H * B, Tk, dh]), false, true), [H, B, Tq, Tk]),
      qBias,
    );
    const att = softmaxLast(scores);
    const o = tf.matMul(tf.reshape(att, [H * B, Tq, Tk]), tf.reshape(vv, [H * B, Tk, dh])); // [H*B, Tq, dh]
    const merged = tf.reshape(tf.transpose(tf.reshape(o, [H, Nq, dh]), [1, 0, 2]), [Nq, D]) as tf.Tensor2D;
    x = tf.add(x, linear(merged, v2(params, `${p}.attn.wo`), v1(params, `${p}.attn.bo`))) as tf.Tensor2D;
    const h2 = layerNorm(x, v1(params, `${p}.ln2.g`), v1(params, `${p}.ln2.b`));
    const m = tf.relu(linear(h2, v2(params, `${p}.mlp.w1`), v1(params, `${p}.mlp.b1`)));
    x = tf.add(x, linear(m, v2(params, `${p}.mlp.w2`), v1(params, `${p}.mlp.b2`))) as tf.Tensor2D;
  }
  const hidden = tf.reshape(layerNorm(x, v1(params, 'lnf.g'), v1(params, 'lnf.b')), [B, nOut, D]) as tf.Tensor3D;
  if (!keepCache) return { hidden, cache: null };
  const nReal = tf.sum(real, 1, true) as tf.Tensor2D;
  return {
    hidden,
    cache: {
      keys,
      values,
      keyMask,
      nReal: (cache ? tf.add(cache.nReal, nReal) : nReal) as tf.Tensor2D,
      length: Tk,
    },
  };
}

export interface ForwardOptions {
  /**
   * Return the hidden states of only the last `outputs` columns ([B, outputs, dModel]). The last
   * layer then runs attention and MLP for those queries only, which saves work when only a few
   * positions are read (the last one when sampling, the utterance when scoring). Default: all.
   */
  outputs?: number;
}

/** Hidden states [B, T, dModel] of a batch of token ids [B, T] (int32, pad = 0). Differentiable. */
export function forward(params: TransformerParams, tokens: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
  return tf.tidy(() => run(params, tokens, null, false, opts.outputs).hidden);
}

/**
 * Incremental decoding: runs `tokens` [B, k] after the cached ones (cache null: from scratch, i.e.
 * a prefill) and returns their hidden states [B, k, dModel] (or the last opts.outputs of them) and
 * a new cache that covers all the tokens so far. The old cache is left alone (dispose it with
 * disposeCache when done with it). Pad tokens fed here are masked out like any padding, so a
 * finished row can be fed <pad> without disturbing it.
 */
export function forwardStep(
  params: TransformerParams,
  tokens: tf.Tensor2D,
  cache: KVCache | null,
  opts: ForwardOptions = {},
): { hidden: tf.Tensor3D; cache: KVCache } {
  // tidy() keeps the tensors of a returned plain object; the casts only bridge its TensorContainer type.
  return tf.tidy(() => {
    const r = run(params, tokens, cache, true, opts.outputs);
    return { hidden: r.hidden, cache: r.cache! } as unknown as tf.TensorContainer;
  }) as unknown as { hidden: tf.Tensor3D; cache: KVCache };
}
