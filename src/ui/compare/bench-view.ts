/**
 * The sample-efficiency benchmark as the lab shows it: reading a `sample-efficiency.json` written
 * by `npm run bench -- sample-efficiency` (checked, with a plain reason when it is not one) and
 * turning its runs into overlaid chart series: per algorithm, the mean over seeds of the smoothed
 * training return against trajectories (or training seconds), with the seeds' min-max as a band.
 */
import { curveFromRows, smoothedCurve, type SmoothedPoint } from '../../core/metrics/sample-efficiency';
import type { ChartSeries } from '../charts/LineChartSvg';

export interface BenchSummary {
  algorithm: string;
  label: string;
  seeds: number;
  reached: number;
  medianToThreshold: number | null;
  toThreshold: (number | null)[];
  atBudget: Record<string, number | null>;
  finalEval: number | null;
  /** Training seconds to the threshold (median over seeds) and per run (mean); files before the seconds axis lack them. */
  medianSecondsToThreshold?: number | null;
  meanSeconds?: number;
}

/** --tune: each algorithm's settings tried (final eval, mean over the tuning seeds) and the one chosen. */
export interface BenchTuning {
  seeds: number[];
  grid: { settings: string[]; evals: (number | null)[]; mean: number | null }[];
  chosen: string[];
}

export interface SampleEfficiencyFile {
  bench: 'sample-efficiency';
  subset: string;
  threshold: number;
  window: number;
  budget: number;
  budgets: number[];
  seeds: number;
  reference: { return: number; se: number; success: number } | null;
  summaries: BenchSummary[];
  /** What each algorithm trained with (shared settings, its own, the tuned ones last). */
  variants?: Record<string, { label: string; settings: string[] }>;
  tuning?: Record<string, BenchTuning> | null;
  headline: { archerOverPpo: number | null; text: string; secondsText?: string | null } | null;
  runs: { variant: string; seed: number; smoothed: SmoothedPoint[] }[];
  command: string;
  date: string;
}

const COLORS: Record<string, string> = {
  archer: '#1e7b34',
  ppo: '#8c2f39',
  'ppo-bilevel': '#c0622f',
  'ppo-archer': '#b8860b',
  grpo: '#2f6690',
  filtered_bc: '#5a3d7a',
  apo: '#1f3b5c',
};

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Parses and checks a benchmark file; throws an Error saying what is wrong. */
export function parseSampleEfficiency(text: string): SampleEfficiencyFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('not JSON: choose the sample-efficiency.json that `npm run bench -- sample-efficiency` wrote');
  }
  const d = data as Partial<SampleEfficiencyFile>;
  if (typeof data !== 'object' || data === null || d.bench !== 'sample-efficiency') throw new Error('not a sample-efficiency benchmark (its "bench" field is not "sample-efficiency")');
  if (!isNum(d.threshold) || !isNum(d.window) || !isNum(d.budget)) throw new Error('the file lacks its threshold, window or budget');
  if (!Array.isArray(d.runs) || d.runs.length === 0) throw new Error('the file holds no runs');
  if (!Array.isArray(d.summaries)) throw new Error('the file holds no summaries');
  d.runs.forEach((r, i) => {
    if (typeof r?.variant !== 'string' || !Array.isArray(r.smoothed) || r.smoothed.some((p) => !isNum(p?.trajectories) || !isNum(p?.smoothed))) {
      throw new Error(`run ${i + 1} has no readable curve (variant and smoothed points of trajectories and return)`);
    }
  });
  return d as SampleEfficiencyFile;
}

function labelOf(file: SampleEfficiencyFile, variant: string): string {
  return file.summaries.find((s) => s.algorithm === variant)?.label ?? variant;
}

export type BenchAxis = 'trajectories' | 'seconds';

/** Whether every run's curve carries training seconds (files written before the seconds axis do not). */
export function hasSeconds(file: SampleEfficiencyFile): boolean {
  return file.runs.every((r) => r.smoothed.every((p) => isNum(p.seconds)));
}

/** A curve's smoothed return at time t: its last point at or before t (undefined before its first). */
function valueAt(curve: readonly SmoothedPoint[], t: number): number | undefined {
  let v: number | undefined;
  for (const p of curve) {
    if ((p.seconds as number) > t) break;
    v = p.smoothed;
  }
  return v;
}

/**
 * One series per algorithm: the mean over its seeds, min-max band. Against trajectories, at every
 * trajectory count all seeds have; against training seconds, on a grid of `steps` times up to the
 * shortest seed's end, each seed read at its last point by then (seeds do not share times).
 */
export function overlaySeries(file: SampleEfficiencyFile, axis: BenchAxis = 'trajectories', steps = 60): ChartSeries[] {
  if (axis === 'seconds' && !hasSeconds(file)) throw new Error('this benchmark file has no training seconds (written before the seconds axis)');
  const variants = [...new Set(file.runs.map((r) => r.variant))];
  return variants.map((variant, k) => {
    const runs = file.runs.filter((r) => r.variant === variant);
    let xs: number[];
    let at: (run: (typeof runs)[number], x: number) => number | undefined;
    if (axis === 'trajectories') {
      const maps = new Map(runs.map((r) => [r, new Map(r.smoothed.map((p) => [p.trajectories, p.smoothed]))]));
      xs = [...maps.get(runs[0]!)!.keys()].filter((x) => runs.every((r) => maps.get(r)!.has(x))).sort((a, b) => a - b);
      at = (r, x) => maps.get(r)!.get(x);
    } else {
      const start = Math.max(...runs.map((r) => r.smoothed[0]!.seconds as number));
      const end = Math.min(...runs.map((r) => r.smoothed[r.smoothed.length - 1]!.seconds as number));
      xs = end > start ? Array.from({ length: steps + 1 }, (_, i) => +(start + ((end - start) * i) / steps).toFixed(3)) : [end];
      at = (r, x) => valueAt(r.smoothed, x);
    }
    const rows = xs.map((x) => runs.map((r) => at(r, x)!));
    const points = xs.map((x, i) => ({ x, y: rows[i]!.reduce((a, y) => a + y, 0) / runs.length }));
    const band = rows.map((ys) => ({ lo: Math.min(...ys), hi: Math.max(...ys) }));
    return {
      name: `${labelOf(file, variant)} (${runs.length} seed${runs.length === 1 ? '' : 's'})`,
      color: COLORS[variant] ?? ['#444', '#777', '#999'][k % 3]!,
      points,
      bands: runs.length > 1 ? [{ name: 'seeds min–max', values: band, opacity: 0.12 }] : undefined,
    };
  });
}

/** The lab's own run on the same axes: its rollout returns smoothed over the file's window. */
export function labRunSeries(rows: readonly Record<string, number | undefined>[], window: number, label: string, axis: BenchAxis = 'trajectories'): ChartSeries | undefined {
  const points = curveFromRows(rows);
  if (points.length === 0) return undefined;
  const smoothed = smoothedCurve(points, window);
  if (axis === 'seconds' && smoothed.some((p) => p.seconds === undefined)) return undefined;
  return { name: label, color: '#222', dashed: true, points: smoothed.map((p) => ({ x: axis === 'seconds' ? p.seconds! : p.trajectories, y: p.smoothed })) };
}
