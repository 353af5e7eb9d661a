/**
 * Pure measures of how good a critic is and what the policy does, logged every iteration (issue
 * "Make ArCHer learn": instruments first):
 *   returnsToGo        - the discounted Monte Carlo return from each turn of an episode;
 *   explainedVariance  - 1 - Var(target - prediction) / Var(target): 1 is a perfect critic, 0 one
 *                        no better than the targets' mean, negative worse than that;
 *   spearman           - rank correlation (ties get their average rank), for "does Q order the
 *                        candidate questions as the expert's information gain does".
 * (The policy's share of repeated utterances, rollout/repeat_rate, is stats.ts's repeatRate.)
 */
import { stats } from './stats';

/** G_t = sum_{k >= t} gamma^(k - t) r_k for one episode's rewards (nothing bootstrapped past its end). */
export function returnsToGo(rewards: readonly number[], gamma: number): number[] {
  const out = new Array<number>(rewards.length);
  let g = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    g = (rewards[t] as number) + gamma * g;
    out[t] = g;
  }
  return out;
}

/** 1 - Var(target - pred) / Var(target); NaN when the targets have no variance or the lists are empty. */
export function explainedVariance(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  if (pred.length !== target.length) throw new Error(`explainedVariance: ${pred.length} predictions for ${target.length} targets`);
  const n = target.length;
  if (n === 0) return Number.NaN;
  const varTarget = stats(target).std ** 2;
  if (!(varTarget > 0)) return Number.NaN;
  const residual = Array.from({ length: n }, (_, i) => (target[i] as number) - (pred[i] as number));
  return 1 - stats(residual).std ** 2 / varTarget;
}

/** Ranks 1..n, tied values sharing the mean of their ranks. */
export function ranks(values: ArrayLike<number>): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]!] = rank;
    i = j + 1;
  }
  return out;
}

/** Pearson correlation of the ranks; NaN when either side is constant or shorter than 2. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`spearman: ${a.length} values against ${b.length}`);
  if (a.length < 2) return Number.NaN;
  const ra = ranks(a);
  const rb = ranks(b);
  const sa = stats(ra);
  const sb = stats(rb);
  if (!(sa.std > 0 && sb.std > 0)) return Number.NaN;
  let cov = 0;
  for (let i = 0; i < ra.length; i++) cov += (ra[i]! - sa.mean) * (rb[i]! - sb.mean);
  return cov / ra.length / (sa.std * sb.std);
}
