import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import {
  countParams,
  createTransformerParams,
  disposeCache,
  disposeParams,
  forward,
  forwardStep,
  getWeights,
  setWeights,
  type KVCache,
  type TransformerParams,
} from './transformer';

const CFG = { vocabSize: 23, dModel: 16, nLayers: 2, nHeads: 4, maxLen: 32 };

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Hidden states of one row (real tokens only, no padding) as a flat array [T*D]. */
function run(params: TransformerParams, rows: number[][]): Float32Array[] {
  const T = rows[0]!.length;
  return tf.tidy(() => {
    const h = forward(params, tf.tensor2d(rows.flat(), [rows.length, T], 'int32'));
    return rows.map((_, b) => h.slice([b, 0, 0], [1, T, CFG.dModel]).dataSync() as Float32Array);
  });
}

describe('transformer', () => {
  let params: TransformerParams;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    params = createTransformerParams(CFG, new Rng(1));
  });
  afterAll(() => disposeParams(params));

  it('has the expected parameters and output shape', () => {
    const D = 16;
    const F = 64;
    const perLayer = 2 * D + D * 3 * D + 3 * D + D * D + D + 2 * D + D * F + F + F * D + D;
    expect(countParams(params)).toBe(23 * D + 32 * D + 2 * perLayer + 2 * D);
    const h = tf.tidy(() => forward(params, tf.tensor2d([[4, 5, 6], [7, 8, 9]], [2, 3], 'int32')));
    expect(h.shape).toEqual([2, 3, 16]);
    expect(Array.from(h.dataSync()).every(Number.isFinite)).toBe(true);
    h.dispose();
  });

  it('is deterministic for a seed', () => {
    const a = createTransformerParams(CFG, new Rng(7));
    const b = createTransformerParams(CFG, new Rng(7));
    const c = createTransformerParams(CFG, new Rng(8));
    const wa = getWeights(a);
    expect(getWeights(b)).toEqual(wa);
    expect(getWeights(c).wte!.data).not.toEqual(wa.wte!.data);
    [a, b, c].forEach(disposeParams);
  });

  it('is causal: a later token does not change earlier outputs', () => {
    const [a, b] = run(params, [
      [4, 5, 6, 7, 8],
      [4, 5, 6, 7, 20],
    ]);
    const D = CFG.dModel;
    expect(maxAbsDiff(a!.slice(0, 4 * D), b!.slice(0, 4 * D))).toBe(0);
    expect(maxAbsDiff(a!.slice(4 * D), b!.slice(4 * D))).toBeGreaterThan(1e-3);
  });

  it('ignores left padding (alone vs batched with a longer sequence)', () => {
    const D = CFG.dModel;
    const seq = [4, 9, 11, 5];
    const [alone] = run(params, [seq]);
    const [padded, longer] = run(params, [
      [0, 0, 0, ...seq],
      [3, 12, 13, 14, 15, 16, 17],
    ]);
    expect(maxAbsDiff(alone!, padded!.slice(3 * D))).toBeLessThan(1e-4);
    expect(longer!.length).toBe(7 * D);
    // Right padding after the real tokens is ignored too.
    const [right] = run(params, [[...seq, 0, 0]]);
    expect(maxAbsDiff(alone!, right!.slice(0, 4 * D))).toBeLessThan(1e-4);
  });

  it('KV-cached steps equal the full forward pass', () => {
    const D = CFG.dModel;
    const rows = [
      [0, 0, 4, 5, 6, 7, 8, 9],
      [3, 10, 11, 12, 13, 14, 15, 16],
    ];
    const full = tf.tidy(() => forward(params, tf.tensor2d(rows.flat(), [2, 8], 'int32')));
    const fullData = full.dataSync();
    // Prefill 5 columns, then one step of 2 columns, then single steps.
    const chunks = [
      [0, 5],
      [5, 7],
      [7, 8],
    ];
    let cache = null;
    for (const [s, e] of chunks) {
      const k = e! - s!;
      const input = tf.tensor2d(rows.flatMap((r) => r.slice(s, e)), [2, k], 'int32');
      const r = forwardStep(params, input, cache);
      input.dispose();
      disposeCache(cache);
      cache = r.cache;
      expect(cache.length).toBe(e);
      const got = r.hidden.dataSync();
      for (let b = 0; b < 2; b++) {
        for (let t = 0; t < k; t++) {
          const off = (b * 8 + s! + t) * D;
          const want = fullData.slice(off, off + D);
          const have = got.slice((b * k + t) * D, (b * k + t + 1) * D);
          expect(maxAbsDiff(want, have)).toBeLessThan(1e-4);
        }
      }
      r.hidden.dispose();
    }
    expect(Array.from(cache!.nReal.dataSync())).toEqual([6, 8]);
    disposeCache(cache);
    full.dispose();
  });

  it('feeding <pad> to a cached row leaves it unchanged', () => {
    const D = CFG.dModel;
    const step = (rows: number[][], cache: KVCache | null) => {
      const ids = tf.tensor2d(rows, undefined, 'int32');
      const r = forwardStep(params, ids, cache);
      ids.dispose();
      return r;
    };
    const r1 = step([[4, 5, 6]], null);
    const r2 = step([[0]], r1.cache);
    const r3 = step([[7]], r2.cache);
    const [full] = run(params, [[4, 5, 6, 7]]);
    expect(maxAbsDiff(full!.slice(3 * D), r3.hidden.dataSync())).toBeLessThan(1e-4);
    [r1, r2, r3].forEach((r) => {
      r.hidden.dispose();
      disposeCache(r.cache);
    });
  });

  it('gets and sets weights by name, with clear errors', () => {
    const other = createTransformerParams(CFG, new Rng(99));
    const w = getWeights(params);
    setWeights(other, w);
    expect(getWeights(other)).toEqual(w);
    const { wte: _dropped, ...missing } = w;
    expect(() => setWeights(other, missing)).toThrow(/missing weight "wte"/);
    expect(() => setWeights(other, { ...w, 'lnf.g': { shape: [3], data: new Float32Array(3) } })).toThrow(
      /"lnf.g" has shape \[3\], expected \[16\]/,
    );
    expect(() => setWeights(other, { ...w, extra: { shape: [1], data: new Float32Array(1) } })).toThrow(/unexpected weight "extra"/);
    setWeights(other, { ...w, extra: { shape: [1], data: new Float32Array(1) } }, { allowExtra: true });
    disposeParams(other);
  });

  it('trains: gradients reach every variable (embedding via custom gradient)', () => {
    const vars = Object.values(params.vars);
    const { value, grads } = tf.variableGrads(
      () => tf.tidy(() => tf.mean(tf.square(forward(params, tf.tensor2d([[0, 4, 5, 6]], [1, 4], 'int32'))))) as tf.Scalar,
      vars,
    );
    for (const [name, v] of Object.entries(params.vars)) {
      const g = grads[v.name];
      expect(g, name).toBeDefined();
      expect(g!.shape).toEqual(v.shape);
    }
    // Only the embedding rows of the tokens used get gradient (pad included: it is embedded, then masked).
    const gte = grads[params.vars.wte!.name]!.arraySync() as number[][];
    expect(gte[7]!.every((x) => x === 0)).toBe(true);
    expect(gte[4]!.some((x) => x !== 0)).toBe(true);
    value.dispose();
    tf.dispose(Object.values(grads));
  });

  it('does not leak tensors', () => {
    const before = tf.memory().numTensors;
    run(params, [[4, 5, 6]]);
    const input = tf.tensor2d([[4, 5]], [1, 2], 'int32');
    const r = forwardStep(params, input, null);
    const r2 = forwardStep(params, input, r.cache);
    input.dispose();
    tf.dispose([r.hidden, r2.hidden]);
    disposeCache(r.cache);
    disposeCache(r2.cache);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('transformer outputs option', () => {
  it('returns the last columns, equal to the full pass', async () => {
    await tf.setBackend('cpu');
    const params = createTransformerParams(CFG, new Rng(2));
    const D = CFG.dModel;
    const rows = [
      [0, 0, 4, 5, 6, 7],
      [3, 9, 10, 11, 12, 13],
    ];
    const before = tf.memory().numTensors;
    const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => expect(maxAbsDiff(a, b)).toBeLessThan(tol);
    const input = tf.tensor2d(rows, undefined, 'int32');
    const next = tf.tensor2d([[8], [14]], undefined, 'int32');
    const [fullLast2, fullLast1, refNext] = tf.tidy(() => {
      const full = forward(params, input);
      const ref = forward(params, tf.concat([input, next], 1) as tf.Tensor2D);
      return [full.slice([0, 4, 0], [2, 2, D]).dataSync(), full.slice([0, 5, 0], [2, 1, D]).dataSync(), ref.slice([0, 6, 0], [2, 1, D]).dataSync()];
    });
    const last2 = forward(params, input, { outputs: 2 });
    expect(last2.shape).toEqual([2, 2, D]);
    close(fullLast2!, last2.dataSync(), 1e-5);
    const step = forwardStep(params, input, null, { outputs: 1 });
    expect(step.hidden.shape).toEqual([2, 1, D]);
    expect(step.cache.length).toBe(6);
    close(fullLast1!, step.hidden.dataSync(), 1e-5);
    // The cache of a restricted prefill continues exactly like a full one.
    const s2 = forwardStep(params, next, step.cache);
    close(refNext!, s2.hidden.dataSync(), 1e-4);
    expect(() => forward(params, input, { outputs: 7 })).toThrow(/outputs must be/);
    tf.dispose([input, next, last2, step.hidden, s2.hidden]);
    disposeCache(step.cache);
    disposeCache(s2.cache);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
  });
});
