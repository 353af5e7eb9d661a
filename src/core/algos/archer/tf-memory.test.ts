// Tests for src/core/util/tf-memory.ts (kept here, inside this task's folders).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TensorLeakError, assertNoLeak } from '../../util/tf-memory';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('assertNoLeak', () => {
  it('returns the result of a clean sync or async function', async () => {
    expect(await assertNoLeak('sync', () => tf.tidy(() => tf.add(1, 2).arraySync()))).toBe(3);
    expect(
      await assertNoLeak('async', async () => {
        const x = tf.tensor1d([1, 2, 3]);
        const sum = x.sum();
        const s = await sum.data();
        tf.dispose([x, sum]);
        return s[0];
      }),
    ).toBe(6);
  });

  it('throws with the label and the difference when tensors leak', async () => {
    let kept: tf.Tensor[] = [];
    const err = await assertNoLeak('leaky step', () => {
      kept = [tf.scalar(1), tf.scalar(2)];
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TensorLeakError);
    expect((err as Error).message).toMatch(/leaky step: leaked 2 tensor\(s\)/);
    expect((err as TensorLeakError).after - (err as TensorLeakError).before).toBe(2);
    tf.dispose(kept);
  });

  it('reports tensors disposed that the function did not create', async () => {
    const outside = tf.scalar(5);
    await expect(assertNoLeak('over-eager', () => outside.dispose())).rejects.toThrow(/over-eager: disposed 1 tensor\(s\) it did not create/);
  });

  it('passes errors from the function through unchanged', async () => {
    await expect(assertNoLeak('boom', () => Promise.reject(new Error('inner failure')))).rejects.toThrow('inner failure');
  });
});
