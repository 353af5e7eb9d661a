/** Turning token-id lists into the left-padded int32 batches the transformer reads. */
import * as tf from '@tensorflow/tfjs';
import { PAD_ID } from './transformer';

/**
 * Left-pads rows to a common length (the longest row, at most `maxLen`), keeping each row's most
 * recent `maxLen` tokens, so every row's last real token sits in the last column.
 */
export function leftPadBatch(rows: readonly (readonly number[])[], maxLen: number): tf.Tensor2D {
  if (rows.length === 0) throw new Error('leftPadBatch: empty batch');
  const width = Math.min(maxLen, Math.max(1, ...rows.map((r) => r.length)));
  const data = new Int32Array(rows.length * width).fill(PAD_ID);
  rows.forEach((row, i) => {
    const kept = row.length > width ? row.slice(row.length - width) : row;
    data.set(kept, i * width + (width - kept.length));
  });
  return tf.tensor2d(data, [rows.length, width], 'int32');
}

/**
 * Rows of very different lengths, grouped so each group is padded only to its own longest row:
 * the rows sorted by length, cut once where that most reduces the padded token count (rows x
 * their group's longest), if the cut saves at least a quarter of it and leaves at least 4 rows on
 * each side (a second group costs one more forward). Returns lists of row indices (one list, all
 * rows in their given order, when no cut is worth it). Used by the actor's sampling and scoring and the critic's encoder.
 */
/** Row indices in order of length (ties in the given order). */
export function byLength(lengths: readonly number[]): number[] {
  return lengths.map((n, b) => [n, b] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map(([, b]) => b);
}

export function lengthGroups(lengths: readonly number[]): number[][] {
  const B = lengths.length;
  // No cut: one group in the rows' own order (sorted order would hand the rows back permuted).
  const asGiven = [lengths.map((_, b) => b)];
  if (B < 8) return asGiven;
  const all = byLength(lengths);
  const longest = lengths[all[B - 1]!]!;
  const single = B * longest;
  let bestK = 0;
  let best = single;
  for (let k = 4; k <= B - 4; k++) {
    const cost = k * lengths[all[k - 1]!]! + (B - k) * longest;
    if (cost < best) {
      best = cost;
      bestK = k;
    }
  }
  if (bestK === 0 || best > 0.75 * single) return asGiven;
  return [all.slice(0, bestK), all.slice(bestK)];
}

/**
 * Puts per-group results back in row order: `parts[g]` holds the rows `groups[g]` (leading axis),
 * all with the same trailing shape. Concatenation, then (unless the groups were already in order)
 * a product with a constant permutation matrix: differentiable on every backend (tf.gather's
 * gradient is missing on wasm).
 */
export function inRowOrder<T extends tf.Tensor>(parts: readonly T[], groups: readonly number[][]): T {
  const order = groups.flat();
  const inOrder = order.every((b, i) => b === i);
  if (parts.length === 1 && inOrder) return parts[0]!;
  return tf.tidy(() => {
    const joined = parts.length === 1 ? parts[0]! : tf.concat(parts as T[], 0);
    if (inOrder) return joined as T;
    const B = order.length;
    const perm = new Float32Array(B * B);
    order.forEach((b, i) => (perm[b * B + i] = 1));
    const rest = joined.shape.slice(1);
    const flat = tf.reshape(joined, [B, rest.reduce((a, n) => a * n, 1)]) as tf.Tensor2D;
    return tf.reshape(tf.matMul(tf.tensor2d(perm, [B, B]), flat), [B, ...rest]) as T;
  });
}
