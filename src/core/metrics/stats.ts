/** Summary statistics used for every logged metric group (mean/min/max/std). */
export interface Stats {
  mean: number;
  min: number;
  max: number;
  std: number;
}

/** Population statistics of a list of numbers; NaNs for an empty list. */
export function stats(values: ArrayLike<number>): Stats {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, min: Number.NaN, max: Number.NaN, std: Number.NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += ((values[i] as number) - mean) ** 2;
  return { mean, min, max, std: Math.sqrt(sq / n) };
}

export function mean(values: ArrayLike<number>): number {
  return stats(values).mean;
}

/** The sample standard deviation (divided by n - 1, the spread of a few seeds); NaN below two values. */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const { std } = stats(values);
  return std * Math.sqrt(n / (n - 1));
}

/** The median (the mean of the two middle values for an even count); NaN for an empty list. */
export function median(values: ArrayLike<number>): number {
  const s = Array.from(values).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Writes `${prefix}/mean`, `/min`, `/max` and `/std` of `values` into a metrics row. */
export function addStats(out: Record<string, number>, prefix: string, values: ArrayLike<number>): void {
  const s = stats(values);
  out[`${prefix}/mean`] = s.mean;
  out[`${prefix}/min`] = s.min;
  out[`${prefix}/max`] = s.max;
  out[`${prefix}/std`] = s.std;
}

/** Share of turns, over all the episodes, whose utterance was already said earlier in its episode. */
export function repeatRate(episodes: readonly (readonly string[])[]): number {
  let turns = 0;
  let repeats = 0;
  for (const utterances of episodes) {
    const said = new Set<string>();
    for (const u of utterances) {
      const key = u.trim().toLowerCase();
      if (said.has(key)) repeats += 1;
      said.add(key);
      turns += 1;
    }
  }
  return turns === 0 ? Number.NaN : repeats / turns;
}

/** An episode as the rollout metrics read it (structurally rollout/episode.ts's Episode). */
interface PlayedEpisode {
  return: number;
  success: boolean;
  invalidActions: number;
  steps: readonly { action: string }[];
}

/**
 * The rollout metrics every trainer reports for one iteration's episodes: rollout/return/*,
 * success, invalid-action and repeated-utterance rates, turns per episode, rollout time and tokens per second.
 * Returns the number of turns played.
 */
export function addRolloutMetrics(out: Record<string, number>, episodes: readonly PlayedEpisode[], ms: number, tokens: number): number {
  addStats(out, 'rollout/return', episodes.map((e) => e.return));
  out['rollout/success_rate'] = episodes.filter((e) => e.success).length / episodes.length;
  const turns = episodes.reduce((n, e) => n + e.steps.length, 0);
  out['rollout/invalid_rate'] = episodes.reduce((n, e) => n + e.invalidActions, 0) / Math.max(1, turns);
  out['rollout/turns/mean'] = turns / episodes.length;
  out['rollout/repeat_rate'] = repeatRate(episodes.map((e) => e.steps.map((s) => s.action)));
  out['perf/rollout_ms'] = ms;
  out['perf/tokens_per_s'] = tokens / (ms / 1000);
  return turns;
}
