import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeak } from '../../util/tf-memory';
import { APO_DEFAULTS, APO_PG_GRAD_CLIP, apoLoss, apoPgLoss, vStar, vStarBatch, type ApoPgInputs } from './losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const t1 = (xs: number[]): tf.Tensor1D => tf.tensor1d(xs, 'float32');

function close(actual: tf.Tensor, expected: number | number[], digits = 6): void {
  const got = actual.arraySync() as number | number[];
  const g = Array.isArray(got) ? got : [got];
  const e = Array.isArray(expected) ? expected : [expected];
  expect(g.length).toBe(e.length);
  g.forEach((v, i) => expect(v).toBeCloseTo(e[i] as number, digits));
}

describe('vStar (stage 1)', () => {
  it('is 0 for all-zero rewards, for any beta1', () => {
    // beta1 * ln( mean(exp(0)) ) = beta1 * ln 1 = 0
    for (const beta1 of [1e-4, 0.01, 0.5, 1, 1000, 1e9]) expect(vStar([0, 0, 0], beta1)).toBe(0);
  });

  it('is the reward itself when every reward is the same', () => {
    expect(vStar([0.7, 0.7], 0.5)).toBeCloseTo(0.7, 12);
    expect(vStar([-3], 2)).toBe(-3);
  });

  it('[1, 0] with beta1 = 1 is ln((e + 1) / 2)', () => {
    // (e + 1) / 2 = (2.718281828 + 1) / 2 = 1.859140914; ln 1.859140914 = 0.620114507
    expect(vStar([1, 0], 1)).toBeCloseTo(Math.log((Math.E + 1) / 2), 12);
    expect(vStar([1, 0], 1)).toBeCloseTo(0.620114507, 9);
  });

  it('approaches the max as beta1 -> 0', () => {
    // 0.01 * ln((e^100 + 1) / 2) = 1 + 0.01 * ln((1 + e^-100) / 2) = 1 - 0.01 ln 2 = 0.993068528
    expect(vStar([1, 0], 0.01)).toBeCloseTo(0.993068528, 9);
    expect(vStar([1, 0], 1e-6)).toBeCloseTo(1, 5);
    expect(vStar([0.2, 0.9, -4], 1e-9)).toBeCloseTo(0.9, 8);
  });

  it('approaches the mean as beta1 -> large (mean + var / (2 beta1) to first order)', () => {
    // 1000 * ln((e^0.001 + 1) / 2) = 1 + 1000 * log1p(expm1(-0.001) / 2) = 0.500124999995
    // check: mean 0.5 + var 0.25 / (2 * 1000) = 0.500125
    expect(vStar([1, 0], 1000)).toBeCloseTo(0.500125, 9);
    expect(vStar([1, 0], 1000)).toBeCloseTo(0.50013, 4); // 0.500125 rounds to 0.50013
    // beta1 = 1e9: 0.5 + 0.25 / 2e9 = 0.500000000125; expm1/log1p keep these digits
    expect(vStar([1, 0], 1e9)).toBeCloseTo(0.500000000125, 12);
    // V* is never below the mean (Jensen) nor above the max
    for (const beta1 of [0.01, 0.1, 1, 10, 100]) {
      const v = vStar([0.2, 0.9, -4, 3], beta1);
      expect(v).toBeGreaterThanOrEqual((0.2 + 0.9 - 4 + 3) / 4 - 1e-12);
      expect(v).toBeLessThanOrEqual(3 + 1e-12);
    }
  });

  it('does not overflow: rewards 1000 with beta1 = 0.001', () => {
    // naive: exp(1000 / 0.001) = exp(1e6) = Infinity. Stable: m = 1000, z = 0, V* = 1000.
    expect(vStar([1000, 1000, 1000], 0.001)).toBe(1000);
    // 0.001 * ln((e^1e6 + e^999000) / 2) = 1000 + 0.001 * ln((1 + e^-1000) / 2) = 1000 - 0.001 ln 2
    expect(vStar([1000, 999], 0.001)).toBeCloseTo(1000 - 0.001 * Math.log(2), 9);
    expect(Number.isFinite(vStar([-1000, 1000], 1e-6))).toBe(true);
  });

  it('on an empirical sample of {0 w.p. 0.7, 1 w.p. 0.3}: ln(0.7 + 0.3 e)', () => {
    const rewards = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
    // beta1 = 1: ln( (7 * e^0 + 3 * e^1) / 10 ) = ln(0.7 + 0.815484549) = ln 1.515484549 = 0.415735222
    expect(vStar(rewards, 1)).toBeCloseTo(Math.log(0.7 + 0.3 * Math.E), 12);
    expect(vStar(rewards, 1)).toBeCloseTo(0.415735222, 9);
    // beta1 = 0.5: 0.5 ln(0.7 + 0.3 e^2) = 0.5 ln(0.7 + 2.216716830) = 0.5 ln 2.916716830 = 0.535229305
    expect(vStar(rewards, APO_DEFAULTS.beta1)).toBeCloseTo(0.535229305, 9);
    // order does not matter
    expect(vStar([1, 0, 0, 1, 0, 0, 0, 1, 0, 0], 1)).toBeCloseTo(vStar(rewards, 1), 14);
  });

  it('rejects empty input, non-finite rewards and beta1 <= 0', () => {
    expect(() => vStar([], 1)).toThrow(/empty/);
    expect(() => vStar([1], 0)).toThrow(/beta1/);
    expect(() => vStar([1], -0.5)).toThrow(/beta1/);
    expect(() => vStar([1], Number.NaN)).toThrow(/beta1/);
    expect(() => vStar([1], Infinity)).toThrow(/beta1/);
    expect(() => vStar([1, Number.NaN], 1)).toThrow(/reward 1/);
    expect(() => vStar([Infinity], 1)).toThrow(/reward 0/);
  });

  it('vStarBatch maps per prompt and names the failing prompt', () => {
    const vs = vStarBatch([[0, 0, 0], [1, 0], [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]], 1);
    expect(vs).toHaveLength(3);
    expect(vs[0]).toBe(0);
    expect(vs[1]).toBeCloseTo(0.620114507, 9);
    expect(vs[2]).toBeCloseTo(0.415735222, 9);
    expect(vStarBatch([], 1)).toEqual([]);
    expect(() => vStarBatch([[1], []], 1)).toThrow(/prompt 1: .*empty/);
    expect(() => vStarBatch([[1]], 0)).toThrow(/prompt 0: .*beta1/);
  });
});

describe('apoLoss (stage 2, least squares)', () => {
  // Batch of 2, beta2 = 0.1:
  //   b=0: logp -2, ref -3, r 1, V* 0.5 -> 0.1 * (-2 + 3) - (1 - 0.5)   = 0.1 - 0.5    = -0.4  -> 0.16
  //   b=1: logp -1, ref -0.5, r 0, V* 0.2 -> 0.1 * (-1 + 0.5) - (0 - 0.2) = -0.05 + 0.2 = 0.15 -> 0.0225
  //   loss = (0.16 + 0.0225) / 2 = 0.09125
  //   dL/dlogp_b = (2 / B) beta2 residual_b = 1 * 0.1 * (-0.4, 0.15) = (-0.04, 0.015)
  const LP = [-2, -1];
  const REF = [-3, -0.5];
  const R = [1, 0];
  const V = [0.5, 0.2];
  const BETA2 = 0.1;

  it('matches the hand arithmetic', async () => {
    const loss = await assertNoLeak('apoLoss', () =>
      tf.tidy(() => apoLoss(t1(LP), t1(REF), t1(R), t1(V), BETA2).arraySync() as number),
    );
    expect(loss).toBeCloseTo(0.09125, 6);
  });

  it('gradient w.r.t. logProb is (2/B) beta2 residual; zero w.r.t. refLogProb, reward, vStar', async () => {
    const grads = await assertNoLeak('apoLoss grads', () =>
      tf.tidy(() => {
        const [lp, ref, r, v] = [t1(LP), t1(REF), t1(R), t1(V)];
        const [gLp, gRef, gR, gV] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
          apoLoss(a as tf.Tensor1D, b as tf.Tensor1D, c as tf.Tensor1D, d as tf.Tensor1D, BETA2),
        )([lp, ref, r, v]);
        const single = tf.grad((a: tf.Tensor) => apoLoss(a as tf.Tensor1D, ref, r, v, BETA2))(lp);
        return [gLp!, gRef!, gR!, gV!, single].map((g) => g.arraySync() as number[]);
      }),
    );
    const [gLp, gRef, gR, gV, single] = grads;
    const expected = LP.map((lp, b) => (2 / 2) * BETA2 * (BETA2 * (lp - REF[b]!) - (R[b]! - V[b]!)));
    expect(expected[0]).toBeCloseTo(-0.04, 12);
    expect(expected[1]).toBeCloseTo(0.015, 12);
    gLp!.forEach((g, b) => expect(g).toBeCloseTo(expected[b]!, 6));
    single!.forEach((g, b) => expect(g).toBeCloseTo(expected[b]!, 6));
    for (const g of [gRef!, gR!, gV!]) expect(g.map(Math.abs)).toEqual([0, 0]); // the zeros may come back as -0
  });

  it('is zero when beta2 log(pi/pi_ref) equals the optimal advantage r - V*', () => {
    // beta2 = 0.5: logp - ref = 2 * (r - V*) -> residual 0
    tf.tidy(() => close(apoLoss(t1([0.6, -1]), t1([0, 0]), t1([1, 0]), t1([0.7, 0.5]), 0.5), 0));
  });

  it('rejects bad shapes and beta2', () => {
    tf.tidy(() => {
      expect(() => apoLoss(t1([1, 2]), t1([1]), t1([1, 2]), t1([1, 2]), 0.1)).toThrow(/refLogProb/);
      expect(() => apoLoss(t1([]), t1([]), t1([]), t1([]), 0.1)).toThrow(/empty/);
      expect(() => apoLoss(tf.zeros([2, 1]) as unknown as tf.Tensor1D, t1([1, 2]), t1([1, 2]), t1([1, 2]), 0.1)).toThrow(/rank 1/);
      expect(() => apoLoss(t1([1]), t1([1]), t1([1]), t1([1]), -1)).toThrow(/beta2/);
      expect(() => apoLoss(t1([1]), t1([1]), t1([1]), t1([1]), Number.NaN)).toThrow(/beta2/);
    });
  });
});

describe('apoPgLoss (policy-gradient variant)', () => {
  // Batch of 2, beta = 0.5, klCoeff = 0.1, clip = 1:
  //   b=0: logp -4, ref -6, len 2, r 1, V* 0.3:
  //        lp = -2, lpRef = -3; A = 1 + 0.5 * (-3 + 2) - 0.3 = 1 - 0.5 - 0.3 = 0.2 (inside the clamp)
  //   b=1: logp -3, ref -1.5, len 3, r 2, V* 0.1:
  //        lp = -1, lpRef = -0.5; A = 2 + 0.5 * (-0.5 + 1) - 0.1 = 2.15 -> clamped to 1
  //   pg   = -((-2)(0.2) + (-1)(1)) / 2 = 1.4 / 2 = 0.7
  //   kl   = ((-2 + 3) + (-1 + 0.5)) / 2 = 0.5 / 2 = 0.25
  //   loss = 0.7 + 0.1 * 0.25 = 0.725
  //   dloss/dlogp_b = (klCoeff - A_b) / (B len_b) = (0.1 - 0.2) / 4 = -0.025, (0.1 - 1) / 6 = -0.15
  const base = (): ApoPgInputs => ({
    logProb: t1([-4, -3]),
    refLogProb: t1([-6, -1.5]),
    length: t1([2, 3]),
    reward: t1([1, 2]),
    vStar: t1([0.3, 0.1]),
    beta: 0.5,
    klCoeff: 0.1,
    clip: 1,
  });

  it('matches the hand arithmetic (loss, clamped advantage, KL)', async () => {
    const out = await assertNoLeak('apoPgLoss', () =>
      tf.tidy(() => {
        const { loss, advantage, kl } = apoPgLoss(base());
        return { loss: loss.arraySync() as number, advantage: advantage.arraySync() as number[], kl: kl.arraySync() as number };
      }),
    );
    expect(out.loss).toBeCloseTo(0.725, 6);
    expect(out.advantage[0]).toBeCloseTo(0.2, 6);
    expect(out.advantage[1]).toBeCloseTo(1, 6);
    expect(out.kl).toBeCloseTo(0.25, 6);
  });

  it('clamps on both sides, and clip = Infinity disables clamping', () => {
    tf.tidy(() => {
      // b=1 unclamped: 2.15 (see above). A third sample: logp -1, ref -5, len 1, r 0, V* 1:
      //   A = 0 + 0.5 * (-5 + 1) - 1 = -3 -> clamped to -1 with clip 1
      const inputs = {
        ...base(),
        logProb: t1([-4, -3, -1]),
        refLogProb: t1([-6, -1.5, -5]),
        length: t1([2, 3, 1]),
        reward: t1([1, 2, 0]),
        vStar: t1([0.3, 0.1, 1]),
      };
      close(apoPgLoss(inputs).advantage, [0.2, 1, -1]);
      close(apoPgLoss({ ...inputs, clip: 0.1 }).advantage, [0.1, 0.1, -0.1]);
      close(apoPgLoss({ ...inputs, clip: Infinity }).advantage, [0.2, 2.15, -3]);
      // unclamped 3-batch: pg = -((-2)(0.2) + (-1)(2.15) + (-1)(-3)) / 3 = -(-0.4 - 2.15 + 3) / 3 = -0.15
      //   kl = (1 - 0.5 + 4) / 3 = 1.5; loss = -0.15 + 0.1 * 1.5 = 0
      close(apoPgLoss({ ...inputs, clip: Infinity }).loss, 0);
    });
  });

  it('KL term: klCoeff * mean(lp - lpRef), exactly the difference between two klCoeff values', () => {
    tf.tidy(() => {
      const a = apoPgLoss({ ...base(), klCoeff: 0 });
      const b = apoPgLoss({ ...base(), klCoeff: 2 });
      close(a.loss, 0.7); // pg alone
      close(b.loss, 0.7 + 2 * 0.25); // = 1.2
      close(a.kl, 0.25);
      // pi = pi_ref: kl = 0 and the advantage is r - V*
      const same = apoPgLoss({ ...base(), refLogProb: t1([-4, -3]), clip: Infinity });
      close(same.kl, 0);
      close(same.advantage, [0.7, 1.9]);
    });
  });

  it('normalises by length: scaling log-probs and lengths together changes nothing; zero length counts as 1', () => {
    tf.tidy(() => {
      const scaled = apoPgLoss({ ...base(), logProb: t1([-40, -30]), refLogProb: t1([-60, -15]), length: t1([20, 30]) });
      close(scaled.loss, 0.725);
      close(scaled.advantage, [0.2, 1]);
      close(scaled.kl, 0.25);
      // lengths [1, 1] = sequence log-probs: lp = (-4, -3), lpRef = (-6, -1.5)
      //   A = (1 + 0.5 * (-2) - 0.3, 2 + 0.5 * 1.5 - 0.1) = (-0.3, 2.65) -> (-0.3, 1)
      //   pg = -((-4)(-0.3) + (-3)(1)) / 2 = -(1.2 - 3) / 2 = 0.9; kl = (2 - 1.5) / 2 = 0.25
      //   loss = 0.9 + 0.025 = 0.925; length 0 is raised to 1, so [0, 1] gives the same numbers
      close(apoPgLoss({ ...base(), length: t1([1, 1]) }).loss, 0.925);
      const zero = apoPgLoss({ ...base(), length: t1([0, 1]) });
      close(zero.loss, 0.925);
      close(zero.advantage, [-0.3, 1]);
      // an empty response (logp 0, ref 0, len 0): lp = 0, no NaN
      const empty = apoPgLoss({ ...base(), logProb: t1([0, -3]), refLogProb: t1([0, -1.5]), length: t1([0, 3]) });
      expect(Number.isFinite(empty.loss.arraySync() as number)).toBe(true);
    });
  });

  it('gradient flows through logProb only: (klCoeff - A_b) / (B len_b)', async () => {
    const grads = await assertNoLeak('apoPgLoss grads', () =>
      tf.tidy(() => {
        const inp = base();
        const f = (lp: tf.Tensor, ref: tf.Tensor, len: tf.Tensor, r: tf.Tensor, v: tf.Tensor): tf.Scalar =>
          apoPgLoss({
            ...inp,
            logProb: lp as tf.Tensor1D,
            refLogProb: ref as tf.Tensor1D,
            length: len as tf.Tensor1D,
            reward: r as tf.Tensor1D,
            vStar: v as tf.Tensor1D,
          }).loss;
        const gs = tf.grads(f)([inp.logProb, inp.refLogProb, inp.length, inp.reward, inp.vStar]);
        // unclamped (clip = Infinity): b=1 has A = 2.15 -> (0.1 - 2.15) / 6 = -0.341667
        const gOpen = tf.grad((lp: tf.Tensor) => apoPgLoss({ ...inp, logProb: lp as tf.Tensor1D, clip: Infinity }).loss)(inp.logProb);
        return [...gs, gOpen].map((g) => g.arraySync() as number[]);
      }),
    );
    const [gLp, gRef, gLen, gR, gV, gOpen] = grads;
    expect(gLp![0]).toBeCloseTo(-0.025, 6);
    expect(gLp![1]).toBeCloseTo(-0.15, 6);
    expect(gOpen![0]).toBeCloseTo(-0.025, 6);
    expect(gOpen![1]).toBeCloseTo((0.1 - 2.15) / 6, 6);
    for (const g of [gRef!, gLen!, gR!, gV!]) expect(g.map(Math.abs)).toEqual([0, 0]);
  });

  it('rejects bad hyperparameters and shapes', () => {
    tf.tidy(() => {
      expect(() => apoPgLoss({ ...base(), clip: 0 })).toThrow(/clip/);
      expect(() => apoPgLoss({ ...base(), clip: Number.NaN })).toThrow(/clip/);
      expect(() => apoPgLoss({ ...base(), beta: -1 })).toThrow(/beta/);
      expect(() => apoPgLoss({ ...base(), klCoeff: Infinity })).toThrow(/klCoeff/);
      expect(() => apoPgLoss({ ...base(), length: t1([1, 2, 3]) })).toThrow(/length/);
    });
  });

  it('exports the reference constants', () => {
    expect(APO_PG_GRAD_CLIP).toBe(0.5);
    expect(APO_DEFAULTS).toEqual({ beta1: 0.5, beta2: 1e-3, numSamples: 8 });
  });

  it('leaves no tensors behind, also inside optimizer.minimize', async () => {
    const init = t1([-4, -3]);
    const w = tf.variable(init);
    init.dispose();
    const after = await assertNoLeak('minimize', () => {
      const opt = tf.train.sgd(0.1);
      const inp = base();
      // step 1, pg loss: w -= 0.1 * (-0.025, -0.15) -> (-3.9975, -2.985)
      opt.minimize(() => apoPgLoss({ ...inp, logProb: w as unknown as tf.Tensor1D }).loss);
      const w1 = w.arraySync() as number[];
      // step 2, apoLoss with beta2 0.1 on ref (-6, -1.5), r - V* = (0.7, 1.9):
      //   residual = (0.1 * 2.0025 - 0.7, 0.1 * (-1.485) - 1.9) = (-0.49975, -2.0485)
      //   grad = (2/2) * 0.1 * residual = (-0.049975, -0.20485); w -= 0.1 * grad -> (-3.9925025, -2.964515)
      opt.minimize(() => apoLoss(w as unknown as tf.Tensor1D, inp.refLogProb, inp.reward, inp.vStar, 0.1));
      const w2 = w.arraySync() as number[];
      tf.dispose([inp.logProb, inp.refLogProb, inp.length, inp.reward, inp.vStar]);
      opt.dispose();
      return { w1, w2 };
    });
    expect(after.w1[0]).toBeCloseTo(-3.9975, 5);
    expect(after.w1[1]).toBeCloseTo(-2.985, 5);
    expect(after.w2[0]).toBeCloseTo(-3.9925025, 5);
    expect(after.w2[1]).toBeCloseTo(-2.964515, 5);
    w.dispose();
  });
});
