import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { embedRows, layerNorm, linear, softmaxLast } from './ops';

/** Random tensor from the seeded Rng. */
function randn(shape: number[], rng: Rng, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal() * scale), shape);
}

function expectClose(a: tf.Tensor, b: tf.Tensor, tol = 1e-4): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  expect(m).toBeLessThan(tol);
}

/** Values and gradients (w.r.t. every input) of sum(f(inputs) * weights), for the custom op and a reference. */
function compare(custom: (...xs: tf.Tensor[]) => tf.Tensor, reference: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], rng: Rng): void {
  tf.tidy(() => {
    const yc = custom(...inputs);
    const yr = reference(...inputs);
    expectClose(yc, yr);
    const wts = randn(yc.shape, rng);
    const gc = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(custom(...xs), wts)))(inputs);
    const gr = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(reference(...xs), wts)))(inputs);
    gc.forEach((g, i) => expectClose(g, gr[i]!));
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`custom-gradient ops on ${backend}`, () => {
    const rng = new Rng(5);
    let inputs: tf.Tensor[] = [];
    beforeAll(async () => {
      if (backend === 'wasm') {
        const { useBackend } = await import('./node-backends');
        await useBackend('wasm');
      } else {
        await tf.setBackend('cpu');
        await tf.ready();
      }
    });
    afterAll(() => tf.dispose(inputs));
    const keep = (...ts: tf.Tensor[]) => {
      inputs.push(...ts);
      return ts;
    };

    it('linear matches matMul + bias', () => {
      const [x, w, b] = keep(randn([7, 5], rng), randn([5, 3], rng), randn([3], rng));
      compare(
        (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
        (x, w, b) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b!),
        [x!, w!, b!],
        rng,
      );
      compare(
        (x, w) => linear(x as tf.Tensor2D, w as tf.Tensor2D),
        (x, w) => tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
        [x!, w!],
        rng,
      );
    });

    it('layerNorm matches the moments formula', () => {
      const [x, g, b] = keep(randn([6, 8], rng, 3), randn([8], rng), randn([8], rng));
      compare(
        (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
        (x, g, b) => {
          const { mean, variance } = tf.moments(x!, -1, true);
          return tf.add(tf.mul(tf.div(tf.sub(x!, mean), tf.sqrt(tf.add(variance, 1e-5))), g!), b!);
        },
        [x!, g!, b!],
        rng,
      );
    });

    it('softmaxLast matches tf.softmax', () => {
      const [x] = keep(randn([2, 3, 4, 5], rng, 2));
      compare((x) => softmaxLast(x!), (x) => tf.softmax(x!), [x!], rng);
    });

    it('embedRows matches oneHot x table', () => {
      const [table] = keep(randn([6, 4], rng));
      const ids = tf.tensor1d([0, 3, 3, 5, 1], 'int32');
      keep(ids);
      compare(
        (t) => embedRows(t as tf.Tensor2D, ids as tf.Tensor1D),
        (t) => tf.matMul(tf.cast(tf.oneHot(ids as tf.Tensor1D, 6), 'float32') as tf.Tensor2D, t as tf.Tensor2D),
        [table!],
        rng,
      );
    });
  });
}
