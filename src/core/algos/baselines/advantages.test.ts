import { describe, expect, it } from 'vitest';
import { archerAdvantages, biLevelGae, discountedReturns, gaeAdvantages, groupNormalised, topFraction, whiten } from './advantages';

describe('gaeAdvantages (token level, discount at turn boundaries)', () => {
  // Two turns: turn 0 has two tokens (values 0.5, 0.4) and reward -1; turn 1 one token (0.2), reward 0.
  const values = [[0.5, 0.4], [0.2]];
  const rewards = [-1, 0];

  it('matches the hand-computed recursion', () => {
    const { advantages, returns } = gaeAdvantages(values, rewards, 0.9, 0.8);
    // turn 1, last token: delta = 0 + 0.9 * 0 - 0.2 = -0.2
    expect(advantages[1]![0]).toBeCloseTo(-0.2, 10);
    // turn 0, last token: delta = -1 + 0.9 * 0.2 - 0.4 = -1.22; A = -1.22 + 0.9 * 0.8 * (-0.2) = -1.364
    expect(advantages[0]![1]).toBeCloseTo(-1.364, 10);
    // turn 0, first token (no discount inside an utterance): delta = 0.4 - 0.5; A = -0.1 + 0.8 * (-1.364) = -1.1912
    expect(advantages[0]![0]).toBeCloseTo(-1.1912, 10);
    expect(returns[0]![0]).toBeCloseTo(-1.1912 + 0.5, 10);
    expect(returns[1]![0]).toBeCloseTo(0, 10);
  });

  it('with lambda = 1 the value targets are the discounted Monte Carlo returns', () => {
    const { returns } = gaeAdvantages(values, [-1, -1], 0.9, 1);
    // G_0 = -1 + 0.9 * (-1) = -1.9 for both tokens of turn 0; G_1 = -1.
    expect(returns[0]![0]).toBeCloseTo(-1.9, 10);
    expect(returns[0]![1]).toBeCloseTo(-1.9, 10);
    expect(returns[1]![0]).toBeCloseTo(-1, 10);
  });

  it('refuses mismatched or empty turns', () => {
    expect(() => gaeAdvantages(values, [1], 0.9, 0.9)).toThrow(/2 turns of values but 1 rewards/);
    expect(() => gaeAdvantages([[]], [1], 0.9, 0.9)).toThrow(/turn 0 has no tokens/);
  });
});

describe('discountedReturns', () => {
  it('sums discounted rewards from each turn on', () => {
    expect(discountedReturns([1, 2, 3], 0.5)).toEqual([1 + 0.5 * 2 + 0.25 * 3, 2 + 0.5 * 3, 3]);
  });
});

describe('archerAdvantages', () => {
  it('mixes the turn-level advantage G_t - V(s_t) into GAE with alpha', () => {
    const values = [[0.5, 0.4], [0.2]];
    const out = archerAdvantages(values, [-1, 0], 0.9, 0.8, 0.5, 0.1);
    // G = [-1 + 0.5 * 0, 0]; turn advantages = G - value at the turn's first token = [-1.5, -0.2]
    expect(out.turnAdvantages[0]).toBeCloseTo(-1.5, 10);
    expect(out.turnAdvantages[1]).toBeCloseTo(-0.2, 10);
    expect(out.advantages[0]![0]).toBeCloseTo(0.9 * -1.1912 + 0.1 * -1.5, 10);
    expect(out.advantages[0]![1]).toBeCloseTo(0.9 * -1.364 + 0.1 * -1.5, 10);
    // value targets stay GAE's lambda-returns
    expect(out.returns[0]![0]).toBeCloseTo(-0.6912, 10);
  });

  it('alpha = 0 is GAE and alpha = 1 the turn-level advantage alone', () => {
    const values = [[0.1, 0.3, 0.2], [0.4, 0.1]];
    const gae = gaeAdvantages(values, [0.5, 1], 0.95, 0.9);
    expect(archerAdvantages(values, [0.5, 1], 0.95, 0.9, 0.8, 0).advantages).toEqual(gae.advantages);
    const one = archerAdvantages(values, [0.5, 1], 0.95, 0.9, 0.8, 1);
    expect(one.advantages[0]).toEqual([0.5 + 0.8 - 0.1, 0.5 + 0.8 - 0.1, 0.5 + 0.8 - 0.1].map((x) => expect.closeTo(x, 10)));
    expect(() => archerAdvantages(values, [0.5, 1], 0.95, 0.9, 0.8, 1.5)).toThrow(/alpha/);
  });
});

describe("biLevelGae (RAGEN's bi-level GAE)", () => {
  it("reproduces RAGEN's own example: rewards [0,0,0,0,1 | 0,0,0,0,1], values 0.1..1.0, gamma 1, lam 1, high_level_gamma 0.95", () => {
    // ragen/trainer/core_algos.py's __main__ (before masked_whiten), worked by hand:
    // turn 1: delta = 1 + 0 - 1.0 = 0; turn 0: delta = 1 + 0.95 * 1.0 - 0.5 = 1.45. Turn returns 1.95 and 1.0.
    const values = [[0.1, 0.2, 0.3, 0.4, 0.5], [0.6, 0.7, 0.8, 0.9, 1.0]];
    const out = biLevelGae(values, [1, 1], 1, 1, 0.95);
    expect(out.turnAdvantages.map((x) => +x.toFixed(6))).toEqual([1.45, 0]);
    expect(out.advantages.map((r) => r.map((x) => +x.toFixed(6)))).toEqual([[1.85, 1.75, 1.65, 1.55, 1.45], [0.4, 0.3, 0.2, 0.1, 0]]);
    expect(out.returns.map((r) => r.map((x) => +x.toFixed(6)))).toEqual([[1.95, 1.95, 1.95, 1.95, 1.95], [1, 1, 1, 1, 1]]);
  });

  it('discounts across turns by high_level_gamma and inside a turn by the token gamma, lambda at both levels', () => {
    const values = [[1, 2], [3]];
    const g = 0.9, lam = 0.5, hg = 0.8;
    const out = biLevelGae(values, [-1, 0], g, lam, hg);
    const a1 = 0 + 0 - 3; // last turn: r + 0 - V(eos)
    const a0 = -1 + hg * 3 - 2 + hg * lam * a1;
    expect(out.turnAdvantages[0]).toBeCloseTo(a0, 10);
    expect(out.turnAdvantages[1]).toBeCloseTo(a1, 10);
    // Turn 0's first token: delta = g V(next token) - V = 0.9 * 2 - 1, plus g lam A(eos).
    expect(out.advantages[0]![0]).toBeCloseTo(g * 2 - 1 + g * lam * a0, 10);
    expect(out.returns[0]![1]).toBeCloseTo(a0 + 2, 10);
    expect(() => biLevelGae([[1]], [0, 1], 1, 1, 0.95)).toThrow(/1 turns of values but 2 rewards/);
  });
});

describe('groupNormalised (GRPO)', () => {
  it('normalises within each start group; a one-member group gets 0', () => {
    const a = groupNormalised([1, 0, 0, 1, 5], ['a', 'a', 'b', 'b', 'c']);
    expect(a.map((x) => Number(x.toFixed(5)))).toEqual([1, -1, -1, 1, 0]);
  });

  it('uses the population std', () => {
    const a = groupNormalised([0, 1, 2], [7, 7, 7]);
    const std = Math.sqrt(2 / 3);
    expect(a[0]).toBeCloseTo(-1 / std, 5);
  });

  it('refuses mismatched lengths', () => {
    expect(() => groupNormalised([1, 2], [1])).toThrow(/2 returns but 1 group keys/);
  });
});

describe('whiten', () => {
  it('centres and scales', () => {
    const w = whiten([1, 2, 3]);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    expect(Math.sqrt(w.reduce((a, b) => a + b * b, 0) / 3)).toBeCloseTo(1, 6);
    expect(whiten([4])).toEqual([0]);
  });
});

describe('topFraction (online filtered BC)', () => {
  it('keeps the top 10% by return (at least one), later ones first among ties', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ id: i, r: i % 5 === 0 ? 1 : 0 }));
    const { kept, threshold } = topFraction(items, (x) => x.r, 0.1);
    expect(kept.map((k) => k.id)).toEqual([15, 10]);
    expect(threshold).toBe(1);
    expect(topFraction([{ r: 3 }], (x) => x.r, 0.1).kept).toHaveLength(1);
    expect(topFraction([], (x: { r: number }) => x.r, 0.1).kept).toHaveLength(0);
    expect(() => topFraction(items, (x) => x.r, 0)).toThrow(/fraction/);
  });
});
