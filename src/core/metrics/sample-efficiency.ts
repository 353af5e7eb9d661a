/**
 * Sample efficiency from training curves, as pure functions: how many trajectories a run needed
 * before its return reached a threshold, and the return it had at fixed budgets.
 *
 * The return is that of the run's own training rollouts, smoothed over the most recent `window`
 * rollouts (each iteration's mean weighted by the episodes it played), so no extra evaluation
 * episodes are spent and every algorithm is measured on the same thing; a threshold counts only
 * once a whole window of rollouts is behind it. "Trajectories" are every
 * episode the method played, including A*PO's stage-1 reference samples.
 */

export interface CurvePoint {
  /** Trajectories played so far (after this iteration): the x axis. */
  trajectories: number;
  /** Mean return of this iteration's rollouts. */
  returnMean: number;
  /**
   * How many rollouts that mean is over (its weight in the window); default: the growth in
   * trajectories. A*PO's first point counts its stage-1 reference episodes in `trajectories` but
   * its mean is over its own rollouts only.
   */
  episodes?: number;
  /** Training seconds so far (the iterations' own step times, summed): the wall-clock axis. */
  seconds?: number;
}

export interface SmoothedPoint {
  trajectories: number;
  /** Training seconds so far, when the curve had them. */
  seconds?: number;
  /** Mean return over the last `window` rollouts (fewer at the start). */
  smoothed: number;
  /** Whether a whole window of rollouts is behind this point (only those count for the threshold). */
  full: boolean;
}

/**
 * A run's training curve from its metrics rows (one per iteration): x = trajectories plus A*PO's
 * stage-1 reference episodes, the iteration's mean rollout return, weighted by its own rollouts.
 * Rows without a rollout return (an evaluation-only row) are skipped. Seconds: the sum of the
 * iterations' perf/step_ms so far (evaluations excluded), when every row has it.
 */
export function curveFromRows(rows: readonly Record<string, number | undefined>[]): (CurvePoint & { episodes: number })[] {
  let prev = 0;
  let ms = 0;
  const kept = rows.filter((r) => Number.isFinite(r.trajectories) && Number.isFinite(r['rollout/return/mean']));
  const timed = kept.every((r) => Number.isFinite(r['perf/step_ms']));
  return kept.map((r) => {
    const episodes = r.trajectories! - prev;
    prev = r.trajectories!;
    ms += r['perf/step_ms'] ?? 0;
    const point = { trajectories: r.trajectories! + (r['apo/reference_episodes'] ?? 0), returnMean: r['rollout/return/mean']!, episodes };
    return timed ? { ...point, seconds: ms / 1000 } : point;
  });
}

/** Each point's return averaged over the most recent `window` rollouts. */
export function smoothedCurve(points: readonly CurvePoint[], window: number): SmoothedPoint[] {
  if (!(Number.isInteger(window) && window >= 1)) throw new Error(`smoothing window must be a positive integer, got ${window}`);
  const chunks: { n: number; mean: number }[] = [];
  let prev = 0;
  let seen = 0;
  return points.map((p) => {
    const grew = p.trajectories - prev;
    if (!(grew > 0)) throw new Error(`trajectories must grow from point to point (got ${prev} then ${p.trajectories})`);
    prev = p.trajectories;
    const n = p.episodes ?? grew;
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`a point's episodes must be a positive integer, got ${n}`);
    seen += n;
    chunks.push({ n, mean: p.returnMean });
    let left = window;
    let sum = 0;
    for (let i = chunks.length - 1; i >= 0 && left > 0; i--) {
      const take = Math.min(left, chunks[i]!.n);
      sum += take * chunks[i]!.mean;
      left -= take;
    }
    const point: SmoothedPoint = { trajectories: p.trajectories, smoothed: sum / (window - left), full: seen >= window };
    if (p.seconds !== undefined) point.seconds = p.seconds;
    return point;
  });
}

/**
 * The first trajectory count at which the smoothed return, over a whole window, is at least
 * `threshold`, or null. (A mean over the first few rollouts alone is too noisy to count.)
 */
export function trajectoriesToThreshold(curve: readonly SmoothedPoint[], threshold: number): number | null {
  for (const p of curve) if (p.full !== false && p.smoothed >= threshold) return p.trajectories;
  return null;
}

/** The training seconds at which the smoothed return, over a whole window, first reaches `threshold`; null if never or untimed. */
export function secondsToThreshold(curve: readonly SmoothedPoint[], threshold: number): number | null {
  for (const p of curve) if (p.full !== false && p.smoothed >= threshold) return p.seconds ?? null;
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
  /** Per seed: training seconds to the threshold (null: not reached, or the run kept no step times). */
  secondsToThreshold: (number | null)[];
  medianSecondsToThreshold: number | null;
  /** Mean over seeds of the whole run's training seconds (NaN when untimed). */
  meanSeconds: number;
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
  const seconds = curves.map((c) => secondsToThreshold(c, threshold));
  const totals = curves.map((c) => c[c.length - 1]?.seconds ?? Number.NaN);
  return {
    algorithm,
    seeds: curves.length,
    toThreshold,
    reached: toThreshold.filter((x) => x !== null).length,
    medianToThreshold: censoredMedian(toThreshold),
    secondsToThreshold: seconds,
    medianSecondsToThreshold: censoredMedian(seconds),
    meanSeconds: totals.reduce((a, b) => a + b, 0) / totals.length,
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
