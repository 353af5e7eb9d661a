import { describe, expect, it } from 'vitest';
import { hasSeconds, labRunSeries, overlaySeries, parseSampleEfficiency } from './bench-view';

const file = {
  bench: 'sample-efficiency', subset: 'subset10', threshold: -13.5, window: 4, budget: 8, budgets: [3, 5, 8], seeds: 2,
  reference: { return: -14.8, se: 0.4, success: 0.5 },
  summaries: [{ algorithm: 'archer', label: 'ArCHer', seeds: 2, reached: 1, medianToThreshold: 8, toThreshold: [8, null], atBudget: {}, finalEval: -13 }],
  headline: null,
  runs: [
    { variant: 'archer', seed: 1, smoothed: [{ trajectories: 4, smoothed: -15 }, { trajectories: 8, smoothed: -13 }] },
    { variant: 'archer', seed: 2, smoothed: [{ trajectories: 4, smoothed: -14 }, { trajectories: 8, smoothed: -12 }, { trajectories: 12, smoothed: -11 }] },
    { variant: 'grpo', seed: 1, smoothed: [{ trajectories: 4, smoothed: -16 }] },
  ],
  command: 'npm run bench -- sample-efficiency', date: '2026-11-25T00:00:00Z',
};

describe('parseSampleEfficiency', () => {
  it('accepts a benchmark file', () => {
    expect(parseSampleEfficiency(JSON.stringify(file)).runs).toHaveLength(3);
  });

  it('says why a file is not one', () => {
    expect(() => parseSampleEfficiency('{')).toThrow(/not JSON/);
    expect(() => parseSampleEfficiency(JSON.stringify({ bench: 'throughput' }))).toThrow(/not a sample-efficiency benchmark/);
    expect(() => parseSampleEfficiency(JSON.stringify({ ...file, runs: [] }))).toThrow(/no runs/);
    expect(() => parseSampleEfficiency(JSON.stringify({ ...file, runs: [{ variant: 'x', smoothed: [{ trajectories: 'a' }] }] }))).toThrow(/run 1 has no readable curve/);
  });
});

describe('overlaySeries', () => {
  it('averages the seeds where all have a point, with their min-max band', () => {
    const [archer, grpo] = overlaySeries(parseSampleEfficiency(JSON.stringify(file)));
    expect(archer!.name).toBe('ArCHer (2 seeds)');
    expect(archer!.points).toEqual([{ x: 4, y: -14.5 }, { x: 8, y: -12.5 }]); // 12 only in seed 2: left out
    expect(archer!.bands![0]!.values).toEqual([{ lo: -15, hi: -14 }, { lo: -13, hi: -12 }]);
    expect(grpo!.name).toBe('grpo (1 seed)');
    expect(grpo!.bands).toBeUndefined();
  });
});

describe('the training-seconds axis', () => {
  const timed = {
    ...file,
    runs: [
      { variant: 'archer', seed: 1, smoothed: [{ trajectories: 4, smoothed: -15, seconds: 10 }, { trajectories: 8, smoothed: -13, seconds: 20 }] },
      { variant: 'archer', seed: 2, smoothed: [{ trajectories: 4, smoothed: -14, seconds: 12 }, { trajectories: 8, smoothed: -12, seconds: 30 }] },
    ],
  };

  it('reads each seed at its last point by then, from the latest first point to the earliest end', () => {
    const f = parseSampleEfficiency(JSON.stringify(timed));
    expect(hasSeconds(f)).toBe(true);
    const [archer] = overlaySeries(f, 'seconds', 4); // 12, 14, 16, 18, 20 s
    expect(archer!.points.map((p) => p.x)).toEqual([12, 14, 16, 18, 20]);
    expect(archer!.points.map((p) => p.y)).toEqual([-14.5, -14.5, -14.5, -14.5, -13.5]); // at 20 s seed 1 is at -13, seed 2 still -14
    expect(archer!.bands![0]!.values[4]).toEqual({ lo: -14, hi: -13 });
  });

  it('is refused for a file written before the bench kept seconds, and the lab run follows the axis', () => {
    const old = parseSampleEfficiency(JSON.stringify(file));
    expect(hasSeconds(old)).toBe(false);
    expect(() => overlaySeries(old, 'seconds')).toThrow(/no training seconds/);
    const rows = [{ iteration: 1, trajectories: 4, 'rollout/return/mean': -10, 'perf/step_ms': 2000 }, { iteration: 2, trajectories: 8, 'rollout/return/mean': -6, 'perf/step_ms': 3000 }];
    expect(labRunSeries(rows, 4, 'run', 'seconds')!.points).toEqual([{ x: 2, y: -10 }, { x: 5, y: -6 }]);
    expect(labRunSeries(rows.map(({ iteration, trajectories, 'rollout/return/mean': r }) => ({ iteration, trajectories, 'rollout/return/mean': r })), 4, 'run', 'seconds')).toBeUndefined();
  });
});

describe('labRunSeries', () => {
  it('smooths the lab run like the benchmark did, counting A*PO reference episodes', () => {
    const s = labRunSeries([{ iteration: 1, trajectories: 2, 'rollout/return/mean': -10, 'apo/reference_episodes': 2 }, { iteration: 2, trajectories: 4, 'rollout/return/mean': -6, 'apo/reference_episodes': 2 }], 4, 'this run');
    expect(s!.points).toEqual([{ x: 4, y: -10 }, { x: 6, y: -8 }]);
    expect(labRunSeries([], 4, 'x')).toBeUndefined();
  });
});
