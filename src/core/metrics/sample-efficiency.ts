/**
 * Sample efficiency from training curves, as pure functions: how many trajectories a run needed
 * before its return reached a threshold, and the return it had at fixed budgets.
 *
 * The return is that of the run's own training rollouts, smoothed over the most recent `window`
 * trajectories (each iteration's mean weighted by the episodes it played), so no extra evaluation
 * episodes are spent and every algorithm is measured on the same thing. "Trajectories" are every
 * episode the method played, including A*PO's stage-1 reference samples.
 */

export interface CurvePoint {
  /** Trajectories played so far (after this iteration). */
  trajectories: number;
  /** Mean return of this iteration's rollouts. */
  returnMean: number;
}

export interface SmoothedPoint {
  trajectories: number;
  /** Mean return over the last `window` trajectories (fewer at the start). */
  smoothed: number;
}

/** Each point's return averaged over the most recent `window` trajectories. */
export function smoothedCurve(points: readonly CurvePoint[], window: number): SmoothedPoint[] {
  if (!(Number.isInteger(window) && window >= 1)) throw new Error(`smoothing window must be a positive integer, got ${window}`);
  const chunks: { n: number; mean: number }[] = [];
  let prev = 0;
  return points.map((p) => {
    const n = p.trajectories - prev;
    if (!(n > 0)) throw new Error(`trajectories must grow from point to point (got ${prev} then ${p.trajectories})`);
    prev = p.trajectories;
    chunks.push({ n, mean: p.returnMean });
    let left = window;
    let sum = 0;
    for (let i = chunks.length - 1; i >= 0 && left > 0; i--) {
      const take = Math.min(left, chunks[i]!.n);
      sum += take * chunks[i]!.mean;
      left -= take;
    }
    return { trajectories: p.trajectories, smoothed: sum / (window - left) };
  });
}

/** The first trajectory count at which the smoothed return is at least `threshold`, or null. */
export function trajectoriesToThreshold(curve: readonly SmoothedPoint[], threshold: number): number | null {
  for (const p of curve) if (p.smoothed >= threshold) return p.trajectories;
  return null;
}

/** The smoothed return at the first point with at least `budget` trajectories, or null if the run stopped before. */
export function returnAtBudget(curve: readonly SmoothedPoint[], budget: number): number | null {
  for (const p of curve) if (p.trajectories >= budget) return p.smoothed;
  return null;
}

/** Median of numbers where null means "not reached" (larger than any number); null if the median itself was not reached. */
export function censoredMedian(xs: readonly (number | null)[]): number | null {
  if (xs.length === 0) return null;
  const sorted = xs.map((x) => (x === null ? Infinity : x)).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const m = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Number.isFinite(m) ? m : null;
}

export interface AlgorithmSummary {
  algorithm: string;
  seeds: number;
  /** Per seed: trajectories to the threshold (null: not within the budget). */
  toThreshold: (number | null)[];
  reached: number;
  medianToThreshold: number | null;
  /** Per budget: the mean over seeds of the smoothed return there (null where a run stopped short). */
  atBudget: Record<string, number | null>;
  /** The mean over seeds of the final smoothed return. */
  finalReturn: number;
}

export function summariseAlgorithm(algorithm: string, curves: readonly SmoothedPoint[][], threshold: number, budgets: readonly number[]): AlgorithmSummary {
  const toThreshold = curves.map((c) => trajectoriesToThreshold(c, threshold));
  const atBudget: Record<string, number | null> = {};
  for (const b of budgets) {
    const vals = curves.map((c) => returnAtBudget(c, b));
    atBudget[String(b)] = vals.some((v) => v === null) ? null : vals.reduce<number>((a, v) => a + (v as number), 0) / vals.length;
  }
  const finals = curves.map((c) => c[c.length - 1]?.smoothed ?? Number.NaN);
  return {
    algorithm,
    seeds: curves.length,
    toThreshold,
    reached: toThreshold.filter((x) => x !== null).length,
    medianToThreshold: censoredMedian(toThreshold),
    atBudget,
    finalReturn: finals.reduce((a, b) => a + b, 0) / finals.length,
  };
}

export interface Ratio {
  /** numerator / denominator of the median trajectories to the threshold, when both reached it. */
  value: number | null;
  /** The same as words, bounds included when one side did not reach the threshold within `budget`. */
  text: string;
}

/** The headline: (median trajectories of `a`) / (median trajectories of `b`), or a bound, or "n/a". */
export function efficiencyRatio(a: AlgorithmSummary, b: AlgorithmSummary, budget: number): Ratio {
  const x = a.medianToThreshold;
  const y = b.medianToThreshold;
  if (x !== null && y !== null) return { value: x / y, text: `${(x / y).toFixed(2)} (${x} / ${y} trajectories)` };
  if (x !== null && y === null) return { value: null, text: `< ${(x / budget).toFixed(2)} (${a.algorithm} ${x}; ${b.algorithm} not within ${budget})` };
  if (x === null && y !== null) return { value: null, text: `> ${(budget / y).toFixed(2)} (${a.algorithm} not within ${budget}; ${b.algorithm} ${y})` };
  return { value: null, text: `n/a (neither reached the threshold within ${budget})` };
}
