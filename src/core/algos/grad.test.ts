import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm, clippedStep } from './grad';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('clipByGlobalNorm', () => {
  it('computes the global norm over many tensors (more than tf.addN takes on webgpu) and scales them to maxNorm', async () => {
    // 33 gradients like the critic's: tensor k holds the single value k + 1.
    const grads: tf.NamedTensorMap = Object.fromEntries(Array.from({ length: 33 }, (_, k) => [`g${k}`, tf.tensor1d([k + 1])]));
    const expected = Math.sqrt(Array.from({ length: 33 }, (_, k) => (k + 1) ** 2).reduce((a, b) => a + b, 0));
    const { grads: out, norm } = await clipByGlobalNorm(grads, 1);
    expect(norm).toBeCloseTo(expected, 3);
    const values = await Promise.all(Object.values(out).map((t) => t.data()));
    const clippedNorm = Math.sqrt(values.reduce((a, v) => a + v[0]! ** 2, 0));
    expect(clippedNorm).toBeCloseTo(1, 5);
    tf.dispose(Object.values(out));
  });

  it('leaves gradients alone under the limit, and with maxNorm 0', async () => {
    const g = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) };
    const r = await clipByGlobalNorm(g, 10);
    expect(r.norm).toBeCloseTo(5, 6);
    expect(r.grads).toBe(g);
    const r0 = await clipByGlobalNorm(g, 0);
    expect(r0.grads).toBe(g);
    tf.dispose([g.a, g.b]);
  });
});

describe('clippedStep', () => {
  it('steps, reports the loss and the norm, and disposes what it made', async () => {
    const w = tf.variable(tf.tensor1d([3, 4]));
    const opt = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    const r = await clippedStep(opt, () => tf.sum(tf.square(w)) as tf.Scalar, [w], 1);
    expect(r.loss).toBeCloseTo(25, 5);
    expect(r.gradNorm).toBeCloseTo(10, 5); // d/dw sum(w^2) = 2w = (6, 8)
    // Clipped to norm 1: w - 0.1 * (0.6, 0.8)
    const after = await w.data();
    expect(after[0]).toBeCloseTo(2.94, 5);
    expect(after[1]).toBeCloseTo(3.92, 5);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    w.dispose();
  });
});
