import { describe, expect, it } from 'vitest';
import type { Episode } from '../../rollout/episode';
import type { RewardParts } from './reward';
import { auditRecord, failureAnalysis, failureCause, pairedDifference, summarise, summaryCsv } from './report';

function parts(p: Partial<RewardParts> & { reward: number }): RewardParts {
  return { typeFactor: 1, type: { queryMatch: true, categoryMatch: true, titleScore: 1 }, attributes: { asked: 2, matched: ['a', 'b'] }, options: { asked: 1, matched: ['size'] }, priceOk: true, success: p.reward === 1, ...p };
}

function bought(p: RewardParts, cause: string, steps = 4, invalid = 0): Episode {
  const s = Array.from({ length: steps }, (_, i) => ({ action: i === steps - 1 ? 'click[buy now]' : `a${i}`, obs: `o${i}`, reward: 0, info: { valid: i >= invalid } as Record<string, unknown> }));
  s[steps - 1]!.reward = p.reward;
  s[steps - 1]!.info = { valid: true, parts: p, cause, purchased: 'B00001', chosenOptions: { size: 'large' } };
  return { seed: 1, initialObs: 'start', steps: s, return: p.reward, success: p.success, invalidActions: invalid, terminated: true, truncated: false, info: { goalIndex: 7, instruction: 'i need a t-shirt' } };
}

function ranOut(invalid: number): Episode {
  const steps = Array.from({ length: 10 }, (_, i) => ({ action: `x${i}`, obs: 'o', reward: 0, info: { valid: i >= invalid } as Record<string, unknown> }));
  return { seed: 2, initialObs: 'start', steps, return: 0, success: false, invalidActions: invalid, terminated: false, truncated: true, info: { goalIndex: 8, instruction: 'i want a lamp' } };
}

const perfect = bought(parts({ reward: 1 }), 'success');
const wrongOption = bought(parts({ reward: 0.75, options: { asked: 1, matched: [] } }), 'wrong option');
const wrongType = bought(parts({ reward: 0.5, typeFactor: 0.5 }), 'wrong type');
const overPrice = bought(parts({ reward: 0.75, priceOk: false }), 'over price');

describe('WebShop report', () => {
  it('scores like WebShop: 100 x mean reward, success rate, and the components', () => {
    const s = summarise('rule', [perfect, wrongOption, wrongType, ranOut(0)]);
    expect(s.score).toBeCloseTo((100 * (1 + 0.75 + 0.5 + 0)) / 4, 10);
    expect(s.successRate).toBe(0.25);
    expect(s.option).toBeCloseTo((1 + 0 + 1 + 0) / 4, 10);
    expect(s.type).toBeCloseTo((1 + 1 + 0.5 + 0) / 4, 10);
    expect(s.price).toBeCloseTo(3 / 4, 10);
    expect(s.meanSteps).toBeCloseTo((4 + 4 + 4 + 10) / 4, 10);
    expect(() => summarise('x', [])).toThrow(/no episodes/);
  });

  it('names each failure cause and sorts them by count', () => {
    expect(failureCause(perfect)).toBeUndefined();
    expect(failureCause(wrongOption)).toBe('wrong option');
    expect(failureCause(overPrice)).toBe('over price');
    expect(failureCause(ranOut(0))).toBe('ran out of steps');
    expect(failureCause(ranOut(6))).toBe('invalid actions');
    const fa = failureAnalysis([perfect, wrongType, ranOut(0), wrongType, ranOut(0), ranOut(0)]);
    expect(fa.map((f) => [f.cause, f.count])).toEqual([['ran out of steps', 3], ['wrong type', 2]]);
    expect(fa[0]!.examples).toEqual([2, 4, 5]);
    expect(fa[1]!.share).toBeCloseTo(2 / 6, 10);
  });

  it('writes summary.csv and an audit record per episode', () => {
    const csv = summaryCsv([summarise('rule', [perfect, wrongOption]), summarise('expert, v2', [perfect])]);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('policy,episodes,score,scoreSe,successRate,attribute,option,type,price,meanSteps,invalidRate');
    expect(lines[1]).toBe('rule,2,87.5000,12.5000,0.5000,1,0.5000,1,1,4,0');
    expect(lines[2]!.startsWith('"expert, v2",1,100,0,1,')).toBe(true);
    const a = auditRecord('rule', 3, wrongOption);
    expect(a).toMatchObject({ policy: 'rule', index: 3, goalIndex: 7, instruction: 'i need a t-shirt', purchased: 'B00001', cause: 'wrong option', reward: 0.75 });
    expect((a.observations as string[])[0]).toBe('start');
    expect((a.actions as string[]).at(-1)).toBe('click[buy now]');
  });

  it('gives the score a standard error, and two policies on the same seeds a paired difference', () => {
    // rewards 1, 0.75, 0.5, 0: mean 0.5625, sample variance (0.4375^2 + 0.1875^2 + 0.0625^2 + 0.5625^2) / 3 = 0.546875 / 3
    const s = summarise('rule', [perfect, wrongOption, wrongType, ranOut(0)]);
    expect(s.scoreSe).toBeCloseTo(100 * Math.sqrt(0.546875 / 3 / 4), 10);
    expect(summarise('one', [perfect]).scoreSe).toBe(0);
    const withSeed = (e: Episode, seed: number): Episode => ({ ...e, seed });
    const a = [withSeed(perfect, 1), withSeed(wrongOption, 2), withSeed(ranOut(0), 3)];
    const b = [withSeed(wrongOption, 1), withSeed(wrongOption, 2), withSeed(wrongType, 3)];
    // per-seed differences x 100: 25, 0, -50 -> mean -25/3, sample variance (33.33^2 + 8.33^2 + 41.67^2) / 2 = 1458.33
    const d = pairedDifference('a', a, 'b', b);
    expect(d).toMatchObject({ policy: 'a', baseline: 'b', episodes: 3 });
    expect(d.diff).toBeCloseTo(-25 / 3, 10);
    expect(d.se).toBeCloseTo(Math.sqrt(((100 / 3) ** 2 + (25 / 3) ** 2 + (125 / 3) ** 2) / 2 / 3), 10);
    expect(() => pairedDifference('a', a, 'b', b.slice(1))).toThrow(/same seeds/);
    expect(() => pairedDifference('a', a, 'b', [b[0]!, withSeed(wrongOption, 9), b[2]!])).toThrow(/seed 2 for a but 9 for b/);
  });
});
