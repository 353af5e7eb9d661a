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
