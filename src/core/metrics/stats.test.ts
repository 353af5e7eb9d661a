import { describe, expect, it } from 'vitest';
import { stats } from './stats';

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
