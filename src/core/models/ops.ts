/**
 * Differentiable building blocks with hand-written gradients, chosen so the transformer is fast on
 * tfjs's cpu and wasm backends (and correct on all):
 *
 *  - wasm: MatMul runs through XNNPACK only for an unbatched product without transpose flags; with
 *    transposeA/transposeB it falls back to a naive loop 10-25x slower. tf.matMul's own gradient
 *    uses those flags, so `linear` and `embedRows` compute their gradients with explicit transposes.
 *    tf.gather's gradient needs UnsortedSegmentSum, missing on wasm: `embedRows` uses oneHot^T x dy.
 *  - cpu: transposes and binary ops that broadcast a size-1 axis (x - mean[N,1]) go element by
 *    element through index arithmetic (~100x slower than same-shape ops); reductions over a leading
 *    axis transpose first. Here transpose flags are free, so on cpu the gradients keep the flags,
 *    row statistics are spread with an outer product (matMul with a ones row) and column sums are
 *    ones-row matMuls.
 * Both variants compute the same mathematics; which one runs is picked from tf.getBackend().
 */
import * as tf from '@tensorflow/tfjs';

/** Whether the active backend is 'cpu' (some ops pick a different, equivalent formulation there). */
export function onCpu(): boolean {
  return tf.getBackend() === 'cpu';
}

/** a^T b for 2D a [K, M], b [K, N] -> [M, N]. */
export function matMulAT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return onCpu() ? tf.matMul(a, b, true, false) : tf.matMul(tf.transpose(a), b);
}

/** a b^T for 2D a [M, K], b [N, K] -> [M, N]. */
export function matMulBT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return onCpu() ? tf.matMul(a, b, false, true) : tf.matMul(a, tf.transpose(b));
}

/** Column sums of x [N, F] -> [F]. */
export function colSum(x: tf.Tensor2D): tf.Tensor1D {
  if (!onCpu()) return tf.sum(x, 0);
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]]) as tf.Tensor1D;
}

/** A per-row value v [M, 1] made ready to combine with an [M, K] tensor (an explicit [M, K] on cpu). */
export function rowBcast(v: tf.Tensor2D, k: number): tf.Tensor2D {
  return onCpu() ? tf.matMul(v, tf.ones([1, k])) : v;
}

/** Row sums of x [M, K] -> [M, 1]. */
function rowSum(x: tf.Tensor2D): tf.Tensor2D {
  return tf.sum(x, 1, true) as tf.Tensor2D;
}

/** x [N, I] W [I, O] + b [O] -> [N, O]. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  if (b) {
    const f = tf.customGrad<tf.Tensor2D>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xx, ww, bb] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
      (args[3] as tf.GradSaveFunc)([xx, ww]);
      return {
        value: tf.add(tf.matMul(xx, ww), bb),
        gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
          const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
          return [matMulBT(dy, sw), matMulAT(sx, dy), colSum(dy)];
        },
      };
    });
    return f(x, w, b);
  }
  const f = tf.customGrad<tf.Tensor2D>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, ww] = args as [tf.Tensor2D, tf.Tensor2D];
    (args[2] as tf.GradSaveFunc)([xx, ww]);
    return {
      value: tf.matMul(xx, ww),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [matMulBT(dy, sw), matMulAT(sx, dy)];
      },
    };
  });
  return f(x, w);
}

/**
 * float32 one-hot rows [N, depth]. (tf.oneHot(ids, depth, 1, 0, 'float32') returns all zeros on the
 * wasm backend of tfjs 4.22, so this builds the int32 one-hot and casts it.)
 */
export function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

/** Scatter-add of dy's rows into a [rows, D] gradient, on the host (cpu backend: reads are free there). */
function scatterAddRows(ids: tf.Tensor1D, dy: tf.Tensor2D, rows: number): tf.Tensor2D {
  const D = dy.shape[1];
  const idv = ids.dataSync();
  const g = dy.dataSync();
  const out = new Float32Array(rows * D);
  for (let n = 0; n < idv.length; n++) {
    const o = idv[n]! * D;
    const src = n * D;
    for (let d = 0; d < D; d++) out[o + d]! += g[src + d]!;
  }
  return tf.tensor2d(out, [rows, D]);
}

/**
 * Rows of `table` [R, D] at `ids` ([N] int32) -> [N, D], differentiable w.r.t. the table without
 * tf.gather's gradient (UnsortedSegmentSum: missing on wasm, and very slow on cpu).
 *  - cpu: gather forward, host scatter-add backward;
 *  - elsewhere: oneHot(ids) x table forward (a gather for tables over 1024 rows; wasm's gather goes
 *    element by element and is slower than an XNNPACK product), oneHot(ids)^T dy backward.
 */
export function embedRows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const rows = table.shape[0];
  const cpu = onCpu();
  const f = tf.customGrad<tf.Tensor2D>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const t = args[0] as tf.Tensor2D;
    (args[1] as tf.GradSaveFunc)([ids]);
    return {
      value: cpu || rows > 1024 ? tf.gather(t, ids) : tf.matMul(oneHotFloat(ids, rows), t),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
        cpu ? scatterAddRows(saved[0] as tf.Tensor1D, dy, rows) : matMulAT(oneHotFloat(saved[0] as tf.Tensor1D, rows), dy),
    };
  });
  return f(table);
}

/** LayerNorm over the last axis of x [N, D] with gain g [D] and bias b [D]. */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  const D = x.shape[1];
  const f = tf.customGrad<tf.Tensor2D>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, gg, bb] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
    const mean = tf.div(rowSum(xx), D) as tf.Tensor2D;
    const xc = tf.sub(xx, rowBcast(mean, D)) as tf.Tensor2D;
    const rstd = tf.rsqrt(tf.add(tf.div(rowSum(tf.square(xc) as tf.Tensor2D), D), eps)) as tf.Tensor2D;
    const xhat = tf.mul(xc, rowBcast(rstd, D)) as tf.Tensor2D;
    (args[3] as tf.GradSaveFunc)([xhat, rstd, gg]);
    return {
      value: tf.add(tf.mul(xhat, gg), bb),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dxhat = tf.mul(dy, sg) as tf.Tensor2D;
        const m1 = tf.div(rowSum(dxhat), D) as tf.Tensor2D;
        const m2 = tf.div(rowSum(tf.mul(dxhat, sxhat) as tf.Tensor2D), D) as tf.Tensor2D;
        const inner = tf.sub(tf.sub(dxhat, rowBcast(m1, D)), tf.mul(sxhat, rowBcast(m2, D)));
        const dx = tf.mul(inner, rowBcast(srstd, D));
        return [dx, colSum(tf.mul(dy, sxhat) as tf.Tensor2D), colSum(dy)];
      },
    };
  });
  return f(x, g, b);
}

/** Softmax over the last axis (any rank). */
export function softmaxLast<T extends tf.Tensor>(x: T): T {
  if (!onCpu()) return tf.softmax(x);
  const shape = x.shape;
  const K = shape[shape.length - 1]!;
  const M = x.size / K;
  const f = tf.customGrad<tf.Tensor2D>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xx = args[0] as tf.Tensor2D;
    const m = tf.reshape(tf.max(xx, 1), [M, 1]) as tf.Tensor2D;
    const e = tf.exp(tf.sub(xx, rowBcast(m, K))) as tf.Tensor2D;
    const y = tf.div(e, rowBcast(rowSum(e), K)) as tf.Tensor2D;
    (args[1] as tf.GradSaveFunc)([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const sy = saved[0] as tf.Tensor2D;
        return tf.mul(sy, tf.sub(dy, rowBcast(rowSum(tf.mul(dy, sy) as tf.Tensor2D), K)));
      },
    };
  });
  return tf.reshape(f(tf.reshape(x, [M, K])), shape) as T;
}

