import { describe, expect, it } from 'vitest';
import { explainedVariance, ranks, returnsToGo, spearman } from './critic-quality';
import { repeatRate } from './stats';

describe('returnsToGo', () => {
  it('discounts the rewards that follow each turn, and nothing past the end', () => {
    // -1, -1, 0 with gamma 0.5: G2 = 0, G1 = -1 + 0.5 * 0 = -1, G0 = -1 + 0.5 * -1 = -1.5
    expect(returnsToGo([-1, -1, 0], 0.5)).toEqual([-1.5, -1, 0]);
    expect(returnsToGo([], 0.9)).toEqual([]);
    expect(returnsToGo([-1, -1, -1, -1], 1)).toEqual([-4, -3, -2, -1]);
  });
});

describe('explainedVariance', () => {
  it('is 1 for a perfect critic, 0 for the mean, negative for a worse one', () => {
    const target = [-4, -3, -2, -1];
    expect(explainedVariance(target, target)).toBe(1);
    expect(explainedVariance([-2.5, -2.5, -2.5, -2.5], target)).toBeCloseTo(0, 12);
    // a constant offset is forgiven (variance of the residual only): the critic that knows the shape
    expect(explainedVariance([-14, -13, -12, -11], target)).toBeCloseTo(1, 12);
    // the reversed order: residual 3, 1, -1, -3 has variance 5 against the targets' 1.25
    expect(explainedVariance([-1, -2, -3, -4], target)).toBeCloseTo(1 - 5 / 1.25, 12);
  });
  it('is NaN without variance in the targets and refuses mismatched lengths', () => {
    expect(Number.isNaN(explainedVariance([1, 2], [3, 3]))).toBe(true);
    expect(() => explainedVariance([1], [1, 2])).toThrow(/1 predictions for 2 targets/);
  });
});

describe('spearman', () => {
  it('gives tied values their average rank', () => {
    expect(ranks([10, 30, 20, 30])).toEqual([1, 3.5, 2, 3.5]);
  });
  it('is 1 for the same order, -1 for the reverse, whatever the scale', () => {
    expect(spearman([1, 2, 3, 4], [10, 200, 3000, 40000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });
  it('matches a hand-computed value with ties', () => {
    // ranks a: 1 2 3 4; ranks b: 1.5 1.5 3 4 -> Pearson of the ranks
    const ra = [1, 2, 3, 4];
    const rb = [1.5, 1.5, 3, 4];
    const m = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    const cov = ra.reduce((s, v, i) => s + (v - m(ra)) * (rb[i]! - m(rb)), 0);
    const sd = (x: number[]) => Math.sqrt(x.reduce((s, v) => s + (v - m(x)) ** 2, 0));
    expect(spearman([0.1, 0.2, 0.3, 0.4], [5, 5, 6, 7])).toBeCloseTo(cov / (sd(ra) * sd(rb)), 12);
  });
  it('is NaN when one side is constant', () => {
    expect(Number.isNaN(spearman([1, 2, 3], [0, 0, 0]))).toBe(true);
  });
});

describe('repeatRate', () => {
  it('counts the turns that repeat an earlier utterance of the same episode', () => {
    expect(repeatRate([['Is it red?', 'is it red? ', 'Is it a dog?'], ['Is it red?']])).toBeCloseTo(1 / 4, 12);
    expect(repeatRate([['a', 'b'], ['a', 'b']])).toBe(0);
    expect(Number.isNaN(repeatRate([]))).toBe(true);
  });
});
