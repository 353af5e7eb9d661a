import { describe, expect, it } from 'vitest';
import { runEpisode } from '../../core/rollout/episode';
import { WebShopAgentEnv } from '../../core/envs/webshop/agent-env';
import { makeAgentPolicy } from '../../core/envs/webshop/agent-policies';
import { shopEpisode } from '../../core/envs/webshop/replay';
import { actionTarget, rewardArithmetic, stepCaption, typeExplanation } from './shop-view';

describe('shop view', () => {
  const env = new WebShopAgentEnv({ split: 'test' });
  const ep = shopEpisode(runEpisode(env, makeAgentPolicy('expert', env), 7));

  it('points every action of an expert episode at the element it clicks', () => {
    const targets = ep.frames.slice(1).map((f, i) => actionTarget(f.action, ep.frames[i]!));
    expect(targets[0]).toEqual({ kind: 'search' });
    expect(targets[1]!.kind).toBe('result');
    expect(targets.at(-1)).toEqual({ kind: 'buy' });
    for (const t of targets.slice(2, -1)) {
      expect(t.kind).toBe('option');
      if (t.kind === 'option') expect(Object.values(ep.frames.at(-1)!.view.product!.options).flat()).toContain(t.value);
    }
    expect(actionTarget('Click 6. 5', { view: { page: 'item', instruction: '', product: { id: 'B1', title: '', price: 1, options: { size: ['6.5'] }, selected: {} } }, valid: true, reward: 0 })).toEqual({ kind: 'option', value: '6.5' });
    expect(actionTarget('dance', ep.frames[0]!)).toEqual({ kind: 'none' });
  });

  it('writes the reward formula with the purchase numbers and captions each step', () => {
    expect(rewardArithmetic({ reward: 0.5, typeFactor: 1, type: { queryMatch: true, categoryMatch: true, titleScore: 1 }, attributes: { asked: 2, matched: ['a'] }, options: { asked: 1, matched: [] }, priceOk: true, success: false })).toBe('1 × (1 + 0 + 1) / (2 + 1 + 1) = 1 × 2/4 = 0.500');
    const base = { reward: 0.5, attributes: { asked: 0, matched: [] }, options: { asked: 0, matched: [] }, priceOk: true, success: false };
    expect(typeExplanation({ ...base, typeFactor: 1, type: { queryMatch: true, categoryMatch: false, titleScore: 0.5 } })).toBe('factor 1: same search query, category paths differ, title nouns 50% shared');
    expect(typeExplanation({ ...base, typeFactor: 0.5, type: { queryMatch: false, categoryMatch: false, titleScore: 0.15 } })).toBe('factor 0.5: other search query, category paths differ, title nouns 15% shared (no query, path or 20% title match: 0.5)');
    expect(typeExplanation({ ...base, typeFactor: 0, type: { queryMatch: true, categoryMatch: true, titleScore: 0 } })).toBe('factor 0: same search query, category paths share 2+ parts, title nouns 0% shared (no shared noun: 0)');
    // A purchase stored before the parts were kept.
    expect(typeExplanation({ ...base, typeFactor: 0.1 } as unknown as Parameters<typeof typeExplanation>[0])).toBe('factor 0.1');
    expect(stepCaption(ep, 0)).toBe(`Agent: “search” → search[${ep.instruction}]`);
    expect(stepCaption(ep, ep.frames.length - 1)).toMatch(/^Bought B\d{5}: reward 1\.000/);
  });
});
