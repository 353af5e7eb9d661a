import { describe, expect, it } from 'vitest';
import { addStats, median, sampleStd, stats } from './stats';

describe('stats', () => {
  it('computes mean, min, max and population std', () => {
    const s = stats([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.min).toBe(1);
    expect(s.max).toBe(4);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12);
  });
  it('gives NaN for an empty list instead of inventing numbers', () => {
    expect(Number.isNaN(stats([]).mean)).toBe(true);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median(new Float32Array([7]))).toBe(7);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('addStats', () => {
  it('writes mean, min, max and std under a prefix', () => {
    const row: Record<string, number> = { keep: 1 };
    addStats(row, 'rollout/return', [1, 3]);
    expect(row).toEqual({ keep: 1, 'rollout/return/mean': 2, 'rollout/return/min': 1, 'rollout/return/max': 3, 'rollout/return/std': stats([1, 3]).std });
  });
});

describe('sampleStd', () => {
  it('divides by n - 1 and needs two values', () => {
    expect(sampleStd([1, 2, 3])).toBeCloseTo(1, 12);
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStd([5])).toBeNaN();
  });
});
