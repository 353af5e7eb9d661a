import { describe, expect, it } from 'vitest';
import { roundOrder, summariseRounds, workOf, type Timing } from './bench-baseline';

const t = (iterationMs: number, criticStepMs = 1, actorStepMs = 1, tokenMs = 1): Timing => ({ iterationMs, criticStepMs, actorStepMs, tokenMs });

describe('bench throughput --baseline: the arithmetic', () => {
  it('alternates which side runs first (base, head | head, base | ...)', () => {
    expect([0, 1, 2, 3].map(roundOrder)).toEqual([['base', 'head'], ['head', 'base'], ['base', 'head'], ['head', 'base']]);
  });

  it('takes each side\'s median and the median of the paired ratios, not the ratio of medians', () => {
    // Round 2 ran on a loaded machine: both sides slow, its ratio is still 0.5.
    const rounds = [{ base: t(100), head: t(50) }, { base: t(300), head: t(150) }, { base: t(110), head: t(90) }];
    const it = summariseRounds(rounds).find((s) => s.metric === 'iterationMs')!;
    expect(it.baseMedian).toBe(110);
    expect(it.headMedian).toBe(90);
    expect(it.ratios).toEqual([0.5, 0.5, 90 / 110]);
    expect(it.ratio).toBe(0.5);
    expect(() => summariseRounds([])).toThrow(/no rounds/);
  });

  it('compares the settings that decide the work, not keys one revision lacks', () => {
    const a = { subset: 'subset10', rolloutSize: 16, batchSize: 32, criticEpochs: 10, actorEpochs: 2, maxTurns: 20, critic: { encoder: 'tokens' } };
    const b = { subset: 'subset10', rolloutSize: 16, batchSize: 32, criticEpochs: 10, actorEpochs: 2, maxTurns: 20, critic: {} };
    expect(workOf(a)).toEqual(workOf(b));
    expect(workOf({ ...a, criticEpochs: 20 })).not.toEqual(workOf(b));
  });
});
