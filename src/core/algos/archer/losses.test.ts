import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeak } from '../../util/tf-memory';
import {
  criticLoss,
  entropyFromLogits,
  klFromLogits,
  maskedSum,
  pgLoss,
  polyakUpdate,
  qTargets,
  stopGradient,
  tokenAdvantages,
  tokenBaselineLoss,
  tokenLevelPgLoss,
  tokenLogProbsFromLogits,
  utteranceAdvantage,
  leaveOneOutAdvantage,
  vTargets,
} from './losses';
import {
  WORKED_EXAMPLE_EXPECTED,
  WORKED_EXAMPLE_INPUT,
  computeWorkedExample,
  printWorkedExample,
  workedExampleMismatches,
} from './worked-example';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const t1 = (xs: number[]): tf.Tensor1D => tf.tensor1d(xs, 'float32');
const t2 = (xs: number[][]): tf.Tensor2D => tf.tensor2d(xs, undefined, 'float32');

function close(actual: tf.Tensor, expected: number | number[] | number[][], digits = 5): void {
  const got = actual.arraySync() as number | number[] | number[][];
  const flat = (x: number | number[] | number[][]): number[] => (Array.isArray(x) ? (x as unknown[]).flat(2) as number[] : [x]);
  const g = flat(got);
  const e = flat(expected);
  expect(g.length).toBe(e.length);
  g.forEach((v, i) => expect(v).toBeCloseTo(e[i] as number, digits));
}

describe('worked example', () => {
  it('reproduces every printed digit with the real loss functions', async () => {
    const r = await assertNoLeak('computeWorkedExample', () => computeWorkedExample());
    const p = printWorkedExample(r);
    expect(p.qTarget1).toBe('-0.685');
    expect(p.qTarget2).toBe('-0.640');
    expect(p.vTarget1).toBe('0.450');
    expect(p.vTarget2).toBe('0.500');
    expect(p.lossQ1).toBe('0.874');
    expect(p.lossQ2).toBe('0.884');
    expect(p.lossV1).toBe('0.090');
    expect(p.lossV2).toBe('0.090');
    expect(p.total).toBe('1.938');
    expect(p.advantage).toBe('0.100');
    expect(p.logProb).toBe('-2.300');
    expect(p.pgLoss).toBe('0.230');
    expect(r.vbar1Next).toBeCloseTo(0.318182, 5);
    expect(r.vbar2Next).toBeCloseTo(0.363636, 5);
    // Exact values before rounding: 0.935^2, 0.94^2, 0.3^2, 0.3^2.
    expect(r.lossQ1).toBeCloseTo(0.874225, 5);
    expect(r.lossQ2).toBeCloseTo(0.8836, 5);
    expect(r.total).toBeCloseTo(1.937825, 5);
  });

  it('matches the expected table, and flags a changed input as a mismatch', async () => {
    expect(workedExampleMismatches(printWorkedExample(await computeWorkedExample()))).toEqual([]);
    expect(printWorkedExample(await computeWorkedExample())).toEqual(WORKED_EXAMPLE_EXPECTED);
    const changed = await computeWorkedExample({ ...WORKED_EXAMPLE_INPUT, v2: 0.1 });
    expect(workedExampleMismatches(printWorkedExample(changed))).toEqual(['lossV2', 'total', 'advantage', 'pgLoss']);
  });

  it('derives Vbar(s\') from the stated Q targets', () => {
    const { reward, gamma, vbar1Next, vbar2Next } = WORKED_EXAMPLE_INPUT;
    expect(reward + gamma * vbar1Next).toBeCloseTo(-0.685, 12);
    expect(reward + gamma * vbar2Next).toBeCloseTo(-0.64, 12);
  });

  it('with done = true the Q targets are just r', async () => {
    const r = await computeWorkedExample({ ...WORKED_EXAMPLE_INPUT, done: true });
    expect(r.qTarget1).toBe(-1);
    expect(r.qTarget2).toBe(-1);
    expect(r.lossQ1).toBeCloseTo(1.25 ** 2, 5);
    expect(r.lossQ2).toBeCloseTo(1.3 ** 2, 5);
  });
});

describe('critic targets and loss', () => {
  it('computes Q targets per head on a batch, with done removing the bootstrap', () => {
    tf.tidy(() => {
      const { t1: a, t2: b } = qTargets(t1([1, 0, -1]), t1([0, 1, 0]), t1([2, 3, 4]), t1([-1, -2, -3]), 0.9);
      close(a, [2.8, 0, 2.6]);
      close(b, [0.1, 0, -3.7]);
      // bool dones work too
      close(qTargets(t1([1]), tf.tensor1d([true], 'bool') as tf.Tensor1D, t1([5]), t1([5]), 0.5).t1, [1]);
    });
  });

  it('pairs Q1 with Vbar1 and Q2 with Vbar2 (no min inside the targets)', () => {
    tf.tidy(() => {
      const q = qTargets(t1([0]), t1([0]), t1([10]), t1([-10]), 1);
      close(q.t1, [10]);
      close(q.t2, [-10]);
    });
  });

  it('V targets are the target Qs at (s, a_pi)', () => {
    tf.tidy(() => {
      const v = vTargets(t1([0.45, -2]), t1([0.5, 3]));
      close(v.t1, [0.45, -2]);
      close(v.t2, [0.5, 3]);
    });
  });

  it('computes per-head MSE and their sum on a batch', () => {
    tf.tidy(() => {
      const l = criticLoss(
        { q1: t1([1, 2, 3]), q2: t1([0.5, 0.5, 0.5]), v1: t1([0, 0, 0]), v2: t1([1, 1, 1]) },
        { qt1: t1([0, 0, 0]), qt2: t1([1, 1, 1]), vt1: t1([1, -1, 2]), vt2: t1([1, 1, 1]) },
      );
      close(l.q1, 14 / 3);
      close(l.q2, 0.25);
      close(l.v1, 2);
      close(l.v2, 0);
      close(l.total, 14 / 3 + 0.25 + 2);
    });
  });

  it('d total / d q1 = 2 (q1 - target) / n, and the other heads likewise', () => {
    tf.tidy(() => {
      const q1 = t1([1, -2, 0.5, 3]);
      const q2 = t1([0, 0, 0, 0]);
      const v1 = t1([0.1, 0.2, 0.3, 0.4]);
      const v2 = t1([1, 1, 1, 1]);
      const qt1 = t1([0.5, 0.5, -1, 2]);
      const qt2 = t1([1, 2, 3, 4]);
      const vt1 = t1([0, 0, 0, 0]);
      const vt2 = t1([2, 0, 2, 0]);
      const targets = { qt1, qt2, vt1, vt2 };
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
        criticLoss({ q1: a as tf.Tensor1D, q2: b as tf.Tensor1D, v1: c as tf.Tensor1D, v2: d as tf.Tensor1D }, targets).total,
      )([q1, q2, v1, v2]);
      close(g[0]!, [0.25, -1.25, 0.75, 0.5]);
      close(g[1]!, [-0.5, -1, -1.5, -2]);
      close(g[2]!, [0.05, 0.1, 0.15, 0.2]);
      close(g[3]!, [-0.5, 0.5, -0.5, 0.5]);
      const gq1 = tf.grad((a: tf.Tensor) => criticLoss({ q1: a as tf.Tensor1D, q2, v1, v2 }, targets).total)(q1);
      close(gq1, tf.div(tf.mul(2, tf.sub(q1, qt1)), 4).arraySync() as number[]);
    });
  });

  it('lets no gradient reach the targets, even when they are built inside the gradient function', () => {
    tf.tidy(() => {
      const q1 = t1([1, 2]);
      const rest = t1([0, 0]);
      const vbar = t1([3, -1]);
      const qbar = t1([0.5, 0.7]);
      const [gq1, gVbar, gQbar] = tf.grads((a: tf.Tensor, vb: tf.Tensor, qb: tf.Tensor) => {
        const q = qTargets(t1([1, 1]), t1([0, 0]), vb as tf.Tensor1D, vb as tf.Tensor1D, 0.9);
        const v = vTargets(qb as tf.Tensor1D, qb as tf.Tensor1D);
        return criticLoss({ q1: a as tf.Tensor1D, q2: rest, v1: rest, v2: rest }, { qt1: q.t1, qt2: q.t2, vt1: v.t1, vt2: v.t2 }).total;
      })([q1, vbar, qbar]);
      close(gq1!, [(1 - 3.7) * 1, (2 - 0.1) * 1]);
      close(gVbar!, [0, 0]);
      close(gQbar!, [0, 0]);
      // and directly on passed-in targets
      const [, gT] = tf.grads((a: tf.Tensor, t: tf.Tensor) =>
        criticLoss({ q1: a as tf.Tensor1D, q2: rest, v1: rest, v2: rest }, { qt1: t as tf.Tensor1D, qt2: rest, vt1: rest, vt2: rest }).total,
      )([q1, t1([0, 0])]);
      close(gT!, [0, 0]);
    });
  });

  it('moves only the online critic inside optimizer.minimize, never the target variables', () => {
    const online = tf.variable(t1([0, 0]), true, 'online_q');
    const target = tf.variable(t1([1, 2]), true, 'target_v');
    const opt = tf.train.sgd(0.25);
    const zero = t1([0, 0]);
    for (let i = 0; i < 3; i++) {
      opt.minimize(() => {
        const q = qTargets(t1([0, 0]), t1([0, 0]), target, target, 1);
        return criticLoss({ q1: online, q2: online, v1: zero, v2: zero }, { qt1: q.t1, qt2: q.t2, vt1: zero, vt2: zero }).total;
      });
    }
    close(target, [1, 2]);
    // each step: q <- q - 0.25 * 2 * 2 (q - t) / 2 = q - 0.5 (q - t), three times: t (1 - 0.125)
    close(online, [0.875, 1.75]);
    tf.dispose([online, target, zero]);
    opt.dispose();
  });

  it('rejects mismatched shapes and bad gammas', () => {
    tf.tidy(() => {
      expect(() => qTargets(t1([1]), t1([0]), t1([1, 2]), t1([1]), 0.9)).toThrow(/vbar1Next has shape \[2\]/);
      expect(() => qTargets(t1([1]), t1([0]), t1([1]), t1([1]), 1.5)).toThrow(/gamma must lie in \[0, 1\]/);
      expect(() =>
        criticLoss({ q1: t1([1]), q2: t1([1]), v1: t1([1]), v2: t1([1]) }, { qt1: t1([1]), qt2: t1([1, 2]), vt1: t1([1]), vt2: t1([1]) }),
      ).toThrow(/qt2/);
    });
  });
});

describe('actor', () => {
  it('advantage takes the min of both Q heads and of both V heads', () => {
    tf.tidy(() => {
      const a = utteranceAdvantage(t1([0.25, 0.9, 1]), t1([0.3, 0.4, 1]), t1([0.15, 0.5, -1]), t1([0.2, 0.1, 2]));
      close(a, [0.25 - 0.15, 0.4 - 0.1, 1 - -1]);
    });
  });

  it('leave-one-out advantage: min of the Q heads minus the mean of the other samples at the same state', () => {
    tf.tidy(() => {
      // two states, three samples each; min(Q1, Q2) = [1, 2, 6 | -3, -3, 0]
      const a = leaveOneOutAdvantage(t1([1, 2, 6, -3, -1, 0]), t1([4, 2, 7, -2, -3, 5]), 3);
      close(a, [1 - (2 + 6) / 2, 2 - (1 + 6) / 2, 6 - (1 + 2) / 2, -3 - (-3 + 0) / 2, -3 - (-3 + 0) / 2, 0 - (-3 + -3) / 2]);
      // a common offset at a state (Q's scale, a drifting V) leaves it unchanged
      close(leaveOneOutAdvantage(t1([11, 12, 16, 7, 7, 10]), t1([11, 12, 16, 7, 7, 10]), 3), leaveOneOutAdvantage(t1([1, 2, 6, -3, -3, 0]), t1([1, 2, 6, -3, -3, 0]), 3).arraySync());
      // with k = 2 the pair's advantages are +-(difference)
      close(leaveOneOutAdvantage(t1([0.5, -0.5]), t1([0.5, -0.5]), 2), [1, -1]);
      const gQ = tf.grad((x: tf.Tensor) => tf.sum(leaveOneOutAdvantage(x as tf.Tensor1D, x as tf.Tensor1D, 2)))(t1([1, 2]));
      close(gQ, [0, 0]);
    });
    expect(() => leaveOneOutAdvantage(t1([1, 2, 3]), t1([1, 2, 3]), 2)).toThrow(/not whole groups of 2/);
    expect(() => leaveOneOutAdvantage(t1([1, 2]), t1([1, 2]), 1)).toThrow(/k must be an integer >= 2/);
  });

  it('pg loss is -mean(sumLogProbs * advantage), with no gradient into the advantage', () => {
    tf.tidy(() => {
      close(pgLoss(t1([-2.3]), t1([0.1])), 0.23);
      close(pgLoss(t1([-1, -2, -4]), t1([1, -0.5, 0.25])), -(-1 - -1 + -1) / 3);
      const lp = t1([-1, -2]);
      const adv = t1([0.5, -1]);
      const [gLp, gAdv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => pgLoss(a as tf.Tensor1D, b as tf.Tensor1D))([lp, adv]);
      close(gLp!, [-0.25, 0.5]);
      close(gAdv!, [0, 0]);
      // advantage from the online critic carries no gradient into the critic
      const q = t1([1, 2]);
      const gQ = tf.grad((x: tf.Tensor) => pgLoss(lp, utteranceAdvantage(x as tf.Tensor1D, x as tf.Tensor1D, t1([0, 0]), t1([0, 0]))))(q);
      close(gQ, [0, 0]);
    });
  });

  it('maskedSum and tokenLogProbsFromLogits give an utterance log-probability', () => {
    tf.tidy(() => {
      close(maskedSum(t2([[-1, -2, -3], [-0.5, -9, -9]]), t2([[1, 1, 1], [1, 0, 0]])), [-6, -0.5]);
      const logits = tf.tensor3d([[[0, Math.log(3)], [Math.log(4), 0]]]);
      const lp = tokenLogProbsFromLogits(logits, tf.tensor2d([[1, 1]], undefined, 'int32'));
      close(lp, [[Math.log(0.75), Math.log(0.2)]]);
    });
  });
});

describe('token-level variant', () => {
  // Row 0: full mask; row 1: right padding; row 2: left padding. Garbage in masked slots.
  const mask = [[1, 1, 1], [1, 1, 0], [0, 1, 1]];
  const adv = [2, -1, 1];
  const base = [[0.5, 1.0, 1.5], [0.2, -0.4, 9], [7, 0.25, 0.5]];
  const logp = [[-1, -2, -0.5], [-0.3, -0.7, -5], [-8, -0.1, -0.2]];
  const expected: Record<string, number[][]> = {
    // lambda = 1: A_t = A_utt - b_t
    '1': [[1.5, 1.0, 0.5], [-1.2, -0.6, 0], [0, 0.75, 0.5]],
    // lambda = 0: A_t = b_{t+1} - b_t, with b_{L+1} = A_utt
    '0': [[0.5, 0.5, 0.5], [-0.6, -0.6, 0], [0, 0.25, 0.5]],
    // lambda = 0.5: A_t = delta_t + 0.5 A_{t+1}
    '0.5': [[0.875, 0.75, 0.5], [-0.9, -0.6, 0], [0, 0.5, 0.5]],
  };

  for (const [lambda, want] of Object.entries(expected)) {
    it(`gives hand-computed per-token advantages and loss (lambda = ${lambda})`, () => {
      tf.tidy(() => {
        const l = Number(lambda);
        close(tokenAdvantages(t2(mask), t1(adv), t2(base), l), want);
        const perRow = want.map((row, b) => row.reduce((s, a, t) => s + (mask[b]![t] as number) * (logp[b]![t] as number) * a, 0));
        const loss = tokenLevelPgLoss({ logProbs: t2(logp), mask: t2(mask), advantage: t1(adv), baselines: t2(base), lambda: l });
        close(loss, -(perRow[0]! + perRow[1]! + perRow[2]!) / 3);
      });
    });
  }

  it('sums to A_utt - b_1 over the utterance at lambda = 0 (telescoping)', () => {
    tf.tidy(() => {
      close(tf.sum(tokenAdvantages(t2(mask), t1(adv), t2(base), 0), 1), [2 - 0.5, -1 - 0.2, 1 - 0.25]);
    });
  });

  it('equals the utterance-level pg loss with zero baselines and lambda = 1', () => {
    tf.tidy(() => {
      const zeros = tf.zeros([3, 3]) as tf.Tensor2D;
      const tok = tokenLevelPgLoss({ logProbs: t2(logp), mask: t2(mask), advantage: t1(adv), baselines: zeros });
      const utt = pgLoss(maskedSum(t2(logp), t2(mask)), t1(adv));
      close(tok, utt.arraySync() as number);
    });
  });

  it('handles one-token utterances, and sends gradient only into the log-probs', () => {
    tf.tidy(() => {
      close(tokenAdvantages(t2([[1], [1]]), t1([3, -2]), t2([[1], [0.5]]), 0), [[2], [-2.5]]);
      const [gLp, gB, gA] = tf.grads((lp: tf.Tensor, b: tf.Tensor, a: tf.Tensor) =>
        tokenLevelPgLoss({ logProbs: lp as tf.Tensor2D, mask: t2(mask), advantage: a as tf.Tensor1D, baselines: b as tf.Tensor2D }),
      )([t2(logp), t2(base), t1(adv)]);
      close(gLp!, expected['1']!.map((row) => row.map((a) => -a / 3)));
      close(gB!, [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
      close(gA!, [0, 0, 0]);
    });
  });

  it('trains the baseline toward A_utt over valid tokens', () => {
    tf.tidy(() => {
      // squared errors: row0 (1.5^2 + 1 + 0.5^2), row1 (1.2^2 + 0.6^2), row2 (0.75^2 + 0.5^2); 7 valid tokens
      const want = (2.25 + 1 + 0.25 + 1.44 + 0.36 + 0.5625 + 0.25) / 7;
      close(tokenBaselineLoss(t2(base), t2(mask), t1(adv)), want);
      const g = tf.grad((b: tf.Tensor) => tokenBaselineLoss(b as tf.Tensor2D, t2(mask), t1(adv)))(t2(base));
      close(g, [[-3 / 7, -2 / 7, -1 / 7], [2.4 / 7, 1.2 / 7, 0], [0, -1.5 / 7, -1 / 7]]);
    });
  });

  it('rejects mismatched shapes and bad lambdas', () => {
    tf.tidy(() => {
      expect(() => tokenAdvantages(t2(mask), t1([1, 2]), t2(base))).toThrow(/does not match batch 3/);
      expect(() => tokenAdvantages(t2(mask), t1(adv), t2([[1, 2]]))).toThrow(/baselines has shape/);
      expect(() => tokenAdvantages(t2(mask), t1(adv), t2(base), 2)).toThrow(/lambda must lie in \[0, 1\]/);
    });
  });
});

describe('klFromLogits', () => {
  it('sums the exact per-token KL over each utterance and averages over the batch', () => {
    tf.tidy(() => {
      const p = [0.7, 0.2, 0.1];
      const q = [0.2, 0.5, 0.3];
      const kl = p.reduce((s, x, i) => s + x * Math.log(x / q[i]!), 0); // 0.5946...
      const lp = p.map(Math.log);
      const lq = q.map(Math.log);
      // Row 0: two tokens, p vs q then identical; row 1: one token (p vs q), one masked out.
      const logits = tf.tensor3d([[lp, lp], [lp, lp]]);
      const ref = tf.tensor3d([[lq, lp], [lq, lq]]);
      close(klFromLogits(logits, ref, t2([[1, 1], [1, 0]])), (kl + kl) / 2, 5);
      close(klFromLogits(logits, ref, t2([[1, 1], [1, 1]])), (kl + 2 * kl) / 2, 5);
      close(klFromLogits(logits, logits, t2([[1, 1], [1, 1]])), 0, 6);
      // Logits are only defined up to a constant: shifting either side changes nothing.
      close(klFromLogits(tf.add(logits, 3) as tf.Tensor3D, ref, t2([[1, 0], [0, 0]])), kl / 2, 5);
      expect(() => klFromLogits(logits, ref, t2([[1, 1, 1], [1, 1, 1]]))).toThrow(/mask/);
      expect(() => klFromLogits(logits, tf.zeros([2, 2, 4]) as tf.Tensor3D, t2([[1, 1], [1, 1]]))).toThrow(/shape/);
    });
  });

  it('pulls the actor toward the reference and passes no gradient to the reference', () => {
    tf.tidy(() => {
      const ref = tf.tensor3d([[[2, 0, 0]]]);
      const mask = t2([[1]]);
      const [gActor, gRef] = tf.grads((a: tf.Tensor, r: tf.Tensor) => klFromLogits(a as tf.Tensor3D, r as tf.Tensor3D, mask))([tf.tensor3d([[[0, 0, 0]]]), ref]);
      // d KL / d logit_i = p_i (log p_i - log q_i - KL); at uniform p the first logit (q's favourite) goes up.
      const z = Math.exp(2) + 2;
      const q = [Math.exp(2) / z, 1 / z, 1 / z];
      const kl = q.reduce((s, qi) => s + (1 / 3) * Math.log(1 / 3 / qi), 0);
      const expected = q.map((qi) => (1 / 3) * (Math.log(1 / 3) - Math.log(qi) - kl));
      expect(expected[0]!).toBeLessThan(0);
      close(tf.reshape(gActor!, [3]), expected);
      close(tf.reshape(gRef!, [3]), [0, 0, 0]);
    });
  });
});

describe('entropyFromLogits', () => {
  it('is log V for uniform logits, ~0 for a peaked one, and averages over valid positions only', () => {
    tf.tidy(() => {
      const logits = tf.tensor3d([[[0, 0, 0, 0], [100, 0, 0, 0]], [[1, 1, 1, 1], [5, 5, 5, 5]]]);
      close(entropyFromLogits(logits, t2([[1, 1], [0, 0]])), Math.log(4) / 2, 4);
      close(entropyFromLogits(logits, t2([[1, 0], [1, 1]])), Math.log(4), 4);
      close(entropyFromLogits(logits, t2([[0, 0], [0, 0]])), 0);
      const p = [0.7, 0.2, 0.1];
      close(entropyFromLogits(tf.tensor2d([p.map(Math.log)]), t1([1])), -p.reduce((s, x) => s + x * Math.log(x), 0), 4);
      expect(() => entropyFromLogits(logits, t1([1, 1]))).toThrow(/mask/);
    });
  });

  it('is differentiable in the logits (gradient zero at the uniform maximum)', () => {
    tf.tidy(() => {
      const g = tf.grad((l: tf.Tensor) => entropyFromLogits(l, t1([1])))(tf.tensor2d([[0.3, 0.3, 0.3]]));
      close(g, [[0, 0, 0]]);
      const g2 = tf.grad((l: tf.Tensor) => entropyFromLogits(l, t1([1])))(tf.tensor2d([[2, 0, 0]]));
      expect((g2.arraySync() as number[][])[0]![0]!).toBeLessThan(0);
    });
  });
});

describe('polyakUpdate', () => {
  const make = (): { target: tf.Variable[]; online: tf.Variable[] } => ({
    target: [tf.variable(t1([1, 2])), tf.variable(t2([[0, 10]]))],
    online: [tf.variable(t1([3, 6])), tf.variable(t2([[10, 0]]))],
  });

  it('tau = 0 leaves the target unchanged, tau = 1 copies, tau = 0.1 averages', () => {
    for (const [tau, want0, want1] of [
      [0, [1, 2], [[0, 10]]],
      [1, [3, 6], [[10, 0]]],
      [0.1, [1.2, 2.4], [[1, 9]]],
    ] as const) {
      const { target, online } = make();
      const before = tf.memory().numTensors;
      polyakUpdate(target, online, tau);
      expect(tf.memory().numTensors).toBe(before);
      close(target[0]!, want0 as unknown as number[]);
      close(target[1]!, want1 as unknown as number[][]);
      close(online[0]!, [3, 6]);
      tf.dispose([...target, ...online]);
    }
  });

  it('converges geometrically: after k steps target = online + (1 - tau)^k (target0 - online)', () => {
    const { target, online } = make();
    for (let k = 0; k < 5; k++) polyakUpdate(target, online, 0.1);
    const f = 0.9 ** 5;
    close(target[0]!, [3 + f * (1 - 3), 6 + f * (2 - 6)]);
    // a copy (tau = 1) is independent of later changes to the online variables
    polyakUpdate(target, online, 1);
    online[0]!.assign(t1([0, 0]));
    close(target[0]!, [3, 6]);
    tf.dispose([...target, ...online]);
  });

  it('validates tau, list lengths and shapes', () => {
    const { target, online } = make();
    expect(() => polyakUpdate(target, online, -0.1)).toThrow(/tau must lie in \[0, 1\]/);
    expect(() => polyakUpdate(target, online, Number.NaN)).toThrow(/tau/);
    expect(() => polyakUpdate(target, online.slice(0, 1), 0.5)).toThrow(/2 target variables but 1 online/);
    expect(() => polyakUpdate(target, [online[1]!, online[0]!], 0.5)).toThrow(/variable 0/);
    tf.dispose([...target, ...online]);
  });
});

describe('tensor memory', () => {
  it('every loss leaves tf.memory().numTensors unchanged inside tf.tidy, and creates only its outputs outside', async () => {
    const inputs = {
      r: t1([1, -1]),
      d: t1([0, 1]),
      a: t1([0.1, 0.2]),
      b: t1([0.3, -0.4]),
      c: t1([0.5, 0.6]),
      e: t1([0.7, 0.8]),
      lp2: t2([[-1, -2], [-3, -4]]),
      m2: t2([[1, 1], [1, 0]]),
      logits: tf.tensor3d([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]),
      tokens: tf.tensor2d([[0, 1], [1, 0]], undefined, 'int32'),
    };
    const { r, d, a, b, c, e, lp2, m2, logits, tokens } = inputs;
    const everything = (): tf.Tensor[] => {
      const q = qTargets(r, d, a, b, 0.99);
      const v = vTargets(c, e);
      const l = criticLoss({ q1: a, q2: b, v1: c, v2: e }, { qt1: q.t1, qt2: q.t2, vt1: v.t1, vt2: v.t2 });
      const adv = utteranceAdvantage(a, b, c, e);
      const sumLp = maskedSum(lp2, m2);
      return [
        q.t1, q.t2, v.t1, v.t2, l.total, l.q1, l.q2, l.v1, l.v2, adv, sumLp,
        pgLoss(sumLp, adv),
        tokenLogProbsFromLogits(logits, tokens),
        tokenAdvantages(m2, adv, lp2, 0.5),
        tokenLevelPgLoss({ logProbs: lp2, mask: m2, advantage: adv, baselines: lp2 }),
        tokenBaselineLoss(lp2, m2, adv),
        entropyFromLogits(logits, m2),
        stopGradient(a),
      ];
    };
    await assertNoLeak('every loss inside tf.tidy', () => {
      tf.tidy(() => {
        everything();
      });
    });
    const before = tf.memory().numTensors;
    const outs = everything();
    // each function leaves exactly its outputs alive, no intermediates
    expect(tf.memory().numTensors - before).toBe(outs.length);
    tf.dispose(outs);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(inputs));
  });
});
