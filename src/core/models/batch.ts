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
