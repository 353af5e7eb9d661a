/**
 * Tensor-leak guard for tfjs code: runs `fn` and checks that the number of live tensors is the
 * same afterwards as before. Return plain values (numbers, arrays) from `fn`, not tensors: a
 * returned tensor is still alive and counts as a leak.
 */
import * as tf from '@tensorflow/tfjs';

export class TensorLeakError extends Error {
  override readonly name = 'TensorLeakError';
  constructor(
    readonly label: string,
    readonly before: number,
    readonly after: number,
  ) {
    const diff = after - before;
    super(
      diff > 0
        ? `${label}: leaked ${diff} tensor(s) (numTensors ${before} -> ${after})`
        : `${label}: disposed ${-diff} tensor(s) it did not create (numTensors ${before} -> ${after})`,
    );
  }
}

/** Awaits `fn()` and throws a TensorLeakError when tf.memory().numTensors changed; otherwise returns its result. */
export async function assertNoLeak<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  if (after !== before) throw new TensorLeakError(label, before, after);
  return result;
}
