import { describe, expect, it } from 'vitest';
import { byLength, lengthGroups } from './batch';

describe('byLength', () => {
  it('orders rows by length, ties in the given order', () => {
    expect(byLength([3, 1, 2, 1, 0])).toEqual([4, 1, 3, 2, 0]);
    expect(byLength([])).toEqual([]);
  });
});

describe('lengthGroups', () => {
  it('keeps a few rows, or rows of like length, as one group in their own order', () => {
    expect(lengthGroups([9, 1, 5])).toEqual([[0, 1, 2]]);
    expect(lengthGroups([10, 11, 10, 12, 11, 10, 12, 11])).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]);
  });

  it('cuts the sorted rows once where that saves the most padding, at least 4 rows a side', () => {
    // four short rows (2) and four long ones (100): padded together 8 x 100, apart 4 x 2 + 4 x 100
    expect(lengthGroups([100, 2, 100, 2, 2, 100, 2, 100])).toEqual([[1, 3, 4, 6], [0, 2, 5, 7]]);
  });
});
