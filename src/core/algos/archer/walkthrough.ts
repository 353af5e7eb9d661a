/**
 * The teaching walk-through of one ArCHer update on a live run: the trainer's own critic and
 * actor steps run with `explain`, and this turns their per-sample intermediates into the numbers
 * of one chosen transition plus the batch-level losses. Pure: no tfjs.
 */
import type { ActorExplain, CriticExplain } from './trainer';

export interface CriticWalk {
  batchSize: number;
  index: number;
  state: string;
  action: string;
  reward: number;
  nextState: string;
  done: boolean;
  gamma: number;
  tau: number;
  q1: number;
  q2: number;
  v1: number;
  v2: number;
  vbar1Next: number;
  vbar2Next: number;
  /** a_pi sampled at s for the V targets. */
  aPi: string;
  qbar1Pi: number;
  qbar2Pi: number;
  qTarget1: number;
  qTarget2: number;
  vTarget1: number;
  vTarget2: number;
  /** This transition's squared errors. */
  sqErr: { q1: number; q2: number; v1: number; v2: number };
  /** Batch means, as the optimiser used them. */
  losses: { q1: number; q2: number; v1: number; v2: number; total: number };
  gradNorm: number;
  polyak: { name: string; targetBefore: number; onlineAfterStep: number; targetAfter: number };
}

export interface ActorWalk {
  batchSize: number;
  index: number;
  state: string;
  aPi: string;
  tokens: { token: string; logProb: number }[];
  logProb: number;
  q1: number;
  q2: number;
  v1: number;
  v2: number;
  advantage: number;
  /** Batch-level: the policy-gradient loss, entropy, the loss minimised, and the gradient norm. */
  pgLoss: number;
  entropy: number;
  entropyCoeff: number;
  loss: number;
  gradNorm: number;
  tokenLevel: boolean;
  /** -mean(logProb * advantage) over the batch, recomputed from the per-sample numbers (utterance level). */
  pgLossFromSamples: number;
  /** archer.loo_samples (0: A = min Q - min V), and with it min(Q1, Q2) of the other utterances sampled at this state. */
  looSamples: number;
  looOthers: number[];
}

export interface Walkthrough {
  critic?: CriticWalk;
  actor?: ActorWalk;
}

function pick(n: number, index: number): number {
  if (n === 0) throw new Error('the walk-through needs a non-empty batch');
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new Error(`transition ${index} is not in the batch of ${n}`);
  return index;
}

export function criticWalk(e: CriticExplain, index = 0): CriticWalk {
  const i = pick(e.batch.length, index);
  const t = e.batch[i]!;
  const at = (a: ArrayLike<number>) => Number(a[i]);
  const q1 = at(e.pred.q1);
  const q2 = at(e.pred.q2);
  const v1 = at(e.pred.v1);
  const v2 = at(e.pred.v2);
  const qTarget1 = at(e.targets.q1);
  const qTarget2 = at(e.targets.q2);
  const vTarget1 = at(e.targets.v1);
  const vTarget2 = at(e.targets.v2);
  return {
    batchSize: e.batch.length,
    index: i,
    state: t.state,
    action: t.action,
    reward: t.reward,
    nextState: t.nextState,
    done: t.done,
    gamma: e.gamma,
    tau: e.tau,
    q1,
    q2,
    v1,
    v2,
    vbar1Next: at(e.vbarNext.v1),
    vbar2Next: at(e.vbarNext.v2),
    aPi: e.aPi[i] ?? '',
    qbar1Pi: at(e.qbarPi.q1),
    qbar2Pi: at(e.qbarPi.q2),
    qTarget1,
    qTarget2,
    vTarget1,
    vTarget2,
    sqErr: { q1: (q1 - qTarget1) ** 2, q2: (q2 - qTarget2) ** 2, v1: (v1 - vTarget1) ** 2, v2: (v2 - vTarget2) ** 2 },
    losses: { ...e.losses },
    gradNorm: e.gradNorm,
    polyak: { ...e.polyak },
  };
}

/** With the leave-one-out advantage: min(Q1, Q2) of the other samples of row i's state (its group of looSamples rows). */
function looOthers(e: ActorExplain, i: number): number[] {
  const k = e.looSamples;
  if (k < 2) return [];
  const start = i - (i % k);
  return Array.from({ length: k }, (_, j) => start + j).filter((j) => j !== i).map((j) => Math.min(e.q1[j]!, e.q2[j]!));
}

export function actorWalk(e: ActorExplain, index = 0): ActorWalk {
  const i = pick(e.states.length, index);
  const n = e.states.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += e.logProb[k]! * e.advantage[k]!;
  return {
    batchSize: n,
    index: i,
    state: e.states[i]!,
    aPi: e.aPi[i] ?? '',
    tokens: (e.tokens[i] ?? []).map((t) => ({ ...t })),
    logProb: e.logProb[i]!,
    q1: e.q1[i]!,
    q2: e.q2[i]!,
    v1: e.v1[i]!,
    v2: e.v2[i]!,
    advantage: e.advantage[i]!,
    pgLoss: e.pgLoss,
    entropy: e.entropy,
    entropyCoeff: e.entropyCoeff,
    loss: e.loss,
    gradNorm: e.gradNorm,
    tokenLevel: e.tokenLevel,
    pgLossFromSamples: -sum / n,
    looSamples: e.looSamples,
    looOthers: looOthers(e, i),
  };
}
