/**
 * One ArCHer update worked by hand, reproduced by running the real loss functions of ./losses on
 * 1-element tensors. Used by tests, by `npm run cli -- dry-run`, and anywhere the UI wants to
 * show the numbers behind the formulas.
 *
 * The example (one transition, a non-terminal turn of Twenty Questions costs r = -1):
 *   r = -1, gamma = 0.99, done = false
 *   online critic  Q1(s,a) = 0.25, Q2(s,a) = 0.30, V1(s) = 0.15, V2(s) = 0.20
 *   target critic  Qbar1(s,a_pi) = 0.45, Qbar2(s,a_pi) = 0.50,
 *                  Vbar_i(s') chosen so that the Q targets are -0.685 and -0.640
 *   actor          log pi(a|s) = -2.3, and the sampled a_pi is a itself, so the online
 *                  Q at (s, a_pi) is Q1 = 0.25, Q2 = 0.30
 * gives Q targets -0.685 / -0.640, losses 0.874 + 0.884 + 0.090 + 0.090 = 1.938,
 * advantage min(0.25, 0.30) - min(0.15, 0.20) = 0.100 and pg loss -(-2.3 * 0.1) = 0.230.
 *
 * computeWorkedExample uses whatever tfjs backend is active (in Node set 'cpu' first).
 */
import * as tf from '@tensorflow/tfjs';
import { criticLoss, pgLoss, qTargets, utteranceAdvantage, vTargets } from './losses';

export interface WorkedExampleInput {
  reward: number;
  gamma: number;
  done: boolean;
  /** Online critic at (s, a) and s. */
  q1: number;
  q2: number;
  v1: number;
  v2: number;
  /** Target critic at s' (bootstrap for the Q targets). */
  vbar1Next: number;
  vbar2Next: number;
  /** Target critic at (s, a_pi) (targets for V). */
  qbar1Pi: number;
  qbar2Pi: number;
  /** Online critic at (s, a_pi) (for the advantage). */
  q1Pi: number;
  q2Pi: number;
  /** log pi(a_pi | s): the sum of the utterance's token log-probabilities. */
  logProb: number;
}

const REWARD = -1;
const GAMMA = 0.99;

export const WORKED_EXAMPLE_INPUT: Readonly<WorkedExampleInput> = Object.freeze({
  reward: REWARD,
  gamma: GAMMA,
  done: false,
  q1: 0.25,
  q2: 0.3,
  v1: 0.15,
  v2: 0.2,
  // Derived from the stated Q targets: Vbar_i(s') = (target_i - r) / gamma = 0.31818..., 0.36363...
  vbar1Next: (-0.685 - REWARD) / GAMMA,
  vbar2Next: (-0.64 - REWARD) / GAMMA,
  qbar1Pi: 0.45,
  qbar2Pi: 0.5,
  q1Pi: 0.25,
  q2Pi: 0.3,
  logProb: -2.3,
});

export interface WorkedExampleResult {
  vbar1Next: number;
  vbar2Next: number;
  qTarget1: number;
  qTarget2: number;
  vTarget1: number;
  vTarget2: number;
  lossQ1: number;
  lossQ2: number;
  lossV1: number;
  lossV2: number;
  total: number;
  advantage: number;
  logProb: number;
  pgLoss: number;
}

export type WorkedExampleKey = keyof WorkedExampleResult;

/** Each intermediate with a label and its formula, in the order they are computed. */
export const WORKED_EXAMPLE_STEPS: ReadonlyArray<{ key: WorkedExampleKey; label: string; formula: string }> = [
  { key: 'vbar1Next', label: "Vbar1(s')", formula: "target critic V1 at s'" },
  { key: 'vbar2Next', label: "Vbar2(s')", formula: "target critic V2 at s'" },
  { key: 'qTarget1', label: 'Q1 target', formula: "r + gamma (1 - done) Vbar1(s')" },
  { key: 'qTarget2', label: 'Q2 target', formula: "r + gamma (1 - done) Vbar2(s')" },
  { key: 'vTarget1', label: 'V1 target', formula: 'Qbar1(s, a_pi)' },
  { key: 'vTarget2', label: 'V2 target', formula: 'Qbar2(s, a_pi)' },
  { key: 'lossQ1', label: 'loss Q1', formula: 'mean (Q1(s,a) - Q1 target)^2' },
  { key: 'lossQ2', label: 'loss Q2', formula: 'mean (Q2(s,a) - Q2 target)^2' },
  { key: 'lossV1', label: 'loss V1', formula: 'mean (V1(s) - V1 target)^2' },
  { key: 'lossV2', label: 'loss V2', formula: 'mean (V2(s) - V2 target)^2' },
  { key: 'total', label: 'critic loss', formula: 'loss Q1 + loss Q2 + loss V1 + loss V2' },
  { key: 'advantage', label: 'advantage', formula: 'min(Q1, Q2)(s, a_pi) - min(V1, V2)(s)' },
  { key: 'logProb', label: 'log pi(a|s)', formula: 'sum over the utterance tokens of log pi' },
  { key: 'pgLoss', label: 'pg loss', formula: '-mean(log pi(a|s) * advantage)' },
];

/** Runs the real loss functions on 1-element tensors and reads every intermediate back. Leaks no tensors. */
export async function computeWorkedExample(input: WorkedExampleInput = WORKED_EXAMPLE_INPUT): Promise<WorkedExampleResult> {
  const packed = tf.tidy(() => {
    const t = (x: number): tf.Tensor1D => tf.tensor1d([x], 'float32');
    const vbar1 = t(input.vbar1Next);
    const vbar2 = t(input.vbar2Next);
    const q = qTargets(t(input.reward), t(input.done ? 1 : 0), vbar1, vbar2, input.gamma);
    const v = vTargets(t(input.qbar1Pi), t(input.qbar2Pi));
    const losses = criticLoss(
      { q1: t(input.q1), q2: t(input.q2), v1: t(input.v1), v2: t(input.v2) },
      { qt1: q.t1, qt2: q.t2, vt1: v.t1, vt2: v.t2 },
    );
    const advantage = utteranceAdvantage(t(input.q1Pi), t(input.q2Pi), t(input.v1), t(input.v2));
    const logProb = t(input.logProb);
    const pg = pgLoss(logProb, advantage);
    const parts: Record<WorkedExampleKey, tf.Tensor> = {
      vbar1Next: vbar1,
      vbar2Next: vbar2,
      qTarget1: q.t1,
      qTarget2: q.t2,
      vTarget1: v.t1,
      vTarget2: v.t2,
      lossQ1: losses.q1,
      lossQ2: losses.q2,
      lossV1: losses.v1,
      lossV2: losses.v2,
      total: losses.total,
      advantage,
      logProb,
      pgLoss: pg,
    };
    return tf.concat(WORKED_EXAMPLE_STEPS.map((s) => tf.reshape(parts[s.key], [1])));
  });
  const values = Array.from(await packed.data());
  packed.dispose();
  const keys = WORKED_EXAMPLE_STEPS.map((s) => s.key);
  const result = {} as WorkedExampleResult;
  keys.forEach((k, i) => {
    result[k] = values[i] as number;
  });
  return result;
}

/** Every intermediate as printed in the write-up: toFixed(3). */
export function printWorkedExample(result: WorkedExampleResult): Record<WorkedExampleKey, string> {
  const out = {} as Record<WorkedExampleKey, string>;
  for (const { key } of WORKED_EXAMPLE_STEPS) out[key] = result[key].toFixed(3);
  return out;
}

/** The numbers as printed in the write-up (toFixed(3)); computeWorkedExample must reproduce them. */
export const WORKED_EXAMPLE_EXPECTED: Readonly<Record<WorkedExampleKey, string>> = Object.freeze({
  vbar1Next: '0.318',
  vbar2Next: '0.364',
  qTarget1: '-0.685',
  qTarget2: '-0.640',
  vTarget1: '0.450',
  vTarget2: '0.500',
  lossQ1: '0.874',
  lossQ2: '0.884',
  lossV1: '0.090',
  lossV2: '0.090',
  total: '1.938',
  advantage: '0.100',
  logProb: '-2.300',
  pgLoss: '0.230',
});

/** Keys whose printed value differs from WORKED_EXAMPLE_EXPECTED (empty when all match). */
export function workedExampleMismatches(printed: Record<WorkedExampleKey, string>): WorkedExampleKey[] {
  return WORKED_EXAMPLE_STEPS.map((s) => s.key).filter((k) => printed[k] !== WORKED_EXAMPLE_EXPECTED[k]);
}
