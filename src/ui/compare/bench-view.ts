/**
 * The sample-efficiency benchmark as the lab shows it: reading a `sample-efficiency.json` written
 * by `npm run bench -- sample-efficiency` (checked, with a plain reason when it is not one) and
 * turning its runs into overlaid chart series: per algorithm, the mean over seeds of the smoothed
 * training return against trajectories, with the seeds' min-max as a band.
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
  headline: { archerOverPpo: number | null; text: string } | null;
  runs: { variant: string; seed: number; smoothed: SmoothedPoint[] }[];
  command: string;
  date: string;
}

const COLORS: Record<string, string> = {
  archer: '#1e7b34',
  ppo: '#8c2f39',
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

/** One series per algorithm: the mean over its seeds at every trajectory count all of them have, min-max band. */
export function overlaySeries(file: SampleEfficiencyFile): ChartSeries[] {
  const variants = [...new Set(file.runs.map((r) => r.variant))];
  return variants.map((variant, k) => {
    const curves = file.runs.filter((r) => r.variant === variant).map((r) => new Map(r.smoothed.map((p) => [p.trajectories, p.smoothed])));
    const xs = [...curves[0]!.keys()].filter((x) => curves.every((c) => c.has(x))).sort((a, b) => a - b);
    const points = xs.map((x) => ({ x, y: curves.reduce((a, c) => a + c.get(x)!, 0) / curves.length }));
    const band = xs.map((x) => {
      const ys = curves.map((c) => c.get(x)!);
      return { lo: Math.min(...ys), hi: Math.max(...ys) };
    });
    return {
      name: `${labelOf(file, variant)} (${curves.length} seed${curves.length === 1 ? '' : 's'})`,
      color: COLORS[variant] ?? ['#444', '#777', '#999'][k % 3]!,
      points,
      bands: curves.length > 1 ? [{ name: 'seeds min–max', values: band, opacity: 0.12 }] : undefined,
    };
  });
}

/** The lab's own run on the same axes: its rollout returns smoothed over the file's window. */
export function labRunSeries(rows: readonly Record<string, number | undefined>[], window: number, label: string): ChartSeries | undefined {
  const points = curveFromRows(rows);
  if (points.length === 0) return undefined;
  const smoothed = smoothedCurve(points, window);
  return { name: label, color: '#222', dashed: true, points: smoothed.map((p) => ({ x: p.trajectories, y: p.smoothed })) };
}
