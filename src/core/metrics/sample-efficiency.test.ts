import { describe, expect, it } from 'vitest';
import { censoredMedian, curveFromRows, efficiencyRatio, returnAtBudget, secondsToThreshold, smoothedCurve, summariseAlgorithm, trajectoriesToThreshold } from './sample-efficiency';

describe('smoothedCurve', () => {
  it('averages over the most recent window of trajectories, weighting each iteration by its episodes', () => {
    const c = smoothedCurve([
      { trajectories: 10, returnMean: -10 },
      { trajectories: 20, returnMean: -8 },
      { trajectories: 40, returnMean: -5 },
    ], 25);
    expect(c[0]!.smoothed).toBe(-10); // fewer than the window so far: all of them
    expect(c[1]!.smoothed).toBe(-9); // 20 trajectories: (10 * -10 + 10 * -8) / 20
    expect(c[2]!.smoothed).toBeCloseTo((20 * -5 + 5 * -8) / 25, 12); // last 25: 20 of -5, 5 of -8
    expect(c.map((p) => p.full)).toEqual([false, false, true]);
  });

  it('weights a point by its own rollouts when given (A*PO: stage-1 episodes move x, not the mean)', () => {
    const c = smoothedCurve([
      { trajectories: 136, returnMean: -10, episodes: 8 },
      { trajectories: 144, returnMean: -14 },
    ], 16);
    expect(c[1]!.smoothed).toBe(-12);
    expect(c[1]!.full).toBe(true);
    expect(c[0]!.full).toBe(false);
  });

  it('refuses a bad window or a curve whose trajectories do not grow', () => {
    expect(() => smoothedCurve([], 0)).toThrow(/window/);
    expect(() => smoothedCurve([{ trajectories: 5, returnMean: 0 }, { trajectories: 5, returnMean: 0 }], 4)).toThrow(/must grow/);
  });
});

describe('threshold and budgets', () => {
  const curve = [
    { trajectories: 16, smoothed: -11, full: false },
    { trajectories: 32, smoothed: -12.4, full: true },
    { trajectories: 48, smoothed: -12.9, full: true },
  ];
  it('finds the first crossing over a whole window and the return at a budget', () => {
    expect(trajectoriesToThreshold(curve, -12.5)).toBe(32); // -11 at 16 is over too few rollouts
    expect(trajectoriesToThreshold(curve, -10)).toBeNull();
    expect(returnAtBudget(curve, 40)).toBe(-12.9);
    expect(returnAtBudget(curve, 64)).toBeNull();
  });

  it('takes medians with "not reached" as larger than any number', () => {
    expect(censoredMedian([100, null, 50])).toBe(100);
    expect(censoredMedian([null, null, 50])).toBeNull();
    expect(censoredMedian([10, 20])).toBe(15);
  });
});

describe('summaries and the headline ratio', () => {
  const pt = (trajectories: number, smoothed: number) => ({ trajectories, smoothed, full: true });
  const fast = [[pt(10, -9)], [pt(10, -13), pt(20, -9)]];
  const slow = [[pt(10, -13), pt(20, -13), pt(40, -11)]];

  it('summarises seeds: reached count, median, mean return at budgets and at the end', () => {
    const s = summariseAlgorithm('archer', fast, -10, [10, 20]);
    expect(s.toThreshold).toEqual([10, 20]);
    expect(s.reached).toBe(2);
    expect(s.medianToThreshold).toBe(15);
    expect(s.atBudget).toEqual({ 10: -11, 20: null }); // the first seed stopped before 20
    expect(s.finalReturn).toBe(-9);
    // Curves without step times: no seconds, and the summary says so with nulls and NaN.
    expect(s.secondsToThreshold).toEqual([null, null]);
    expect(s.meanSeconds).toBeNaN();
  });

  it('puts the runs on the wall-clock axis too: seconds to the threshold and per run', () => {
    const timed = [
      [{ trajectories: 10, smoothed: -13, full: true, seconds: 4 }, { trajectories: 20, smoothed: -9, full: true, seconds: 9 }],
      [{ trajectories: 10, smoothed: -9, full: true, seconds: 6 }],
      [{ trajectories: 10, smoothed: -12, full: true, seconds: 5 }],
    ];
    expect(secondsToThreshold(timed[0]!, -10)).toBe(9);
    const s = summariseAlgorithm('archer', timed, -10, []);
    expect(s.secondsToThreshold).toEqual([9, 6, null]);
    expect(s.medianSecondsToThreshold).toBe(9); // sorted 6, 9, not reached
    expect(s.meanSeconds).toBeCloseTo((9 + 6 + 5) / 3, 12);
  });

  it('gives the ratio, or a bound when one side never got there', () => {
    const a = summariseAlgorithm('archer', fast, -10, []);
    const b = summariseAlgorithm('ppo', slow, -11.5, []);
    expect(efficiencyRatio(a, b, 40).value).toBeCloseTo(15 / 40, 12);
    const never = summariseAlgorithm('ppo', slow, -10, []);
    expect(efficiencyRatio(a, never, 40)).toEqual({ value: null, text: '< 0.38 (archer 15; ppo not within 40)' });
    expect(efficiencyRatio(never, a, 40).text).toBe('> 2.67 (ppo not within 40; archer 15)');
    expect(efficiencyRatio(never, never, 40).text).toMatch(/^n\/a/);
  });
});

describe('curveFromRows', () => {
  it('reads a run\'s metrics rows: skips evaluation-only rows, adds A*PO\'s reference episodes to x, weights by own rollouts', async () => {
    const rows = [
      { iteration: 0, trajectories: 0, 'eval/return/mean': -15 },
      { iteration: 1, trajectories: 16, 'rollout/return/mean': -14, 'apo/reference_episodes': 128 },
      { iteration: 2, trajectories: 32, 'rollout/return/mean': -12, 'apo/reference_episodes': 128 },
    ];
    expect(curveFromRows(rows)).toEqual([
      { trajectories: 144, returnMean: -14, episodes: 16 },
      { trajectories: 160, returnMean: -12, episodes: 16 },
    ]);
  });

  it('sums the iterations\' step times into seconds, and the smoothed curve keeps them', () => {
    const rows = [
      { iteration: 0, trajectories: 0, 'eval/return/mean': -15 },
      { iteration: 1, trajectories: 16, 'rollout/return/mean': -14, 'perf/step_ms': 1500 },
      { iteration: 2, trajectories: 32, 'rollout/return/mean': -12, 'perf/step_ms': 2500 },
    ];
    const curve = curveFromRows(rows);
    expect(curve.map((p) => p.seconds)).toEqual([1.5, 4]);
    expect(smoothedCurve(curve, 16).map((p) => p.seconds)).toEqual([1.5, 4]);
  });
});
