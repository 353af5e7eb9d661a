import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bcLoss, ppoClipLoss, valueLoss } from './losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const t2 = (rows: number[][]) => tf.tensor2d(rows);

describe('ppoClipLoss', () => {
  it('matches hand-computed values, clipped branches and masking included', () => {
    // token 1: ratio 0.5/0.4 = 1.25, A = 1 -> min(1.25, 1.2) = 1.2 (clipped)
    // token 2: ratio 0.2/0.4 = 0.5, A = -2 -> min(-1.0, 0.8 * -2 = -1.6) = -1.6 (clipped)
    // token 3 is padding (mask 0) with a huge advantage: ignored
    const logp = t2([[Math.log(0.5), Math.log(0.2), 0]]);
    const old = t2([[Math.log(0.4), Math.log(0.4), 0]]);
    const adv = t2([[1, -2, 100]]);
    const mask = t2([[1, 1, 0]]);
    const out = ppoClipLoss(logp, old, adv, mask, 0.2);
    expect(out.loss.dataSync()[0]).toBeCloseTo(-(1.2 - 1.6) / 2, 5);
    expect(out.clipFraction.dataSync()[0]).toBeCloseTo(1, 6);
    expect(out.approxKl.dataSync()[0]).toBeCloseTo((Math.log(0.4 / 0.5) + Math.log(0.4 / 0.2)) / 2, 5);
    tf.dispose([logp, old, adv, mask, out.loss, out.clipFraction, out.approxKl]);
  });

  it('passes the gradient -ratio * A / n inside the trust region and none where clipped', () => {
    const old = t2([[Math.log(0.4), Math.log(0.4)]]);
    const adv = t2([[2, 1]]);
    const mask = t2([[1, 1]]);
    const x = t2([[Math.log(0.42), Math.log(0.6)]]); // ratios 1.05 (inside), 1.5 (clipped, A > 0)
    const g = tf.grad((l: tf.Tensor) => ppoClipLoss(l as tf.Tensor2D, old, adv, mask, 0.2).loss)(x);
    const [g1, g2] = Array.from(g.dataSync());
    expect(g1).toBeCloseTo((-1.05 * 2) / 2, 5);
    expect(g2).toBeCloseTo(0, 6);
    tf.dispose([old, adv, mask, x, g]);
  });

  it('refuses a clip ratio outside (0, 1) and mismatched shapes', () => {
    const a = t2([[0, 0]]);
    const b = t2([[0]]);
    expect(() => ppoClipLoss(a, a, a, a, 0)).toThrow(/clip ratio/);
    expect(() => ppoClipLoss(a, b, a, a, 0.2)).toThrow(/oldLogp has shape \[1, 1\]/);
    tf.dispose([a, b]);
  });
});

describe('valueLoss and bcLoss', () => {
  it('average over real tokens only', () => {
    const v = t2([[1, 2], [3, 0]]);
    const r = t2([[0, 0], [1, 9]]);
    const mask = t2([[1, 1], [1, 0]]);
    expect(valueLoss(v, r, mask).dataSync()[0]).toBeCloseTo((1 + 4 + 4) / 3, 6);
    const lp = t2([[-1, -2], [-3, -100]]);
    expect(bcLoss(lp, mask).dataSync()[0]).toBeCloseTo(2, 6);
    tf.dispose([v, r, mask, lp]);
  });
});
