import { describe, expect, it } from 'vitest';
import { runEpisode } from '../../rollout/episode';
import { WebShopAgentEnv } from './agent-env';
import { makeAgentPolicy } from './agent-policies';
import { causeCounts, shopEpisode } from './replay';

describe('shopEpisode', () => {
  it('gives one frame per page: the start, then the page after each action, with the purchase parts', () => {
    const env = new WebShopAgentEnv({ split: 'test' });
    const e = runEpisode(env, makeAgentPolicy('expert', env), 7);
    const s = shopEpisode(e);
    expect(s.frames).toHaveLength(e.steps.length + 1);
    expect(s.frames.map((f) => f.view.page)).toEqual(['search', 'results', ...Array(e.steps.length - 2).fill('item'), 'item']);
    expect(s.frames[1]!.action).toBe('search');
    expect(s.frames[1]!.view.results!.length).toBeGreaterThan(0);
    expect(s.frames.at(-1)!.envAction).toBe('click[Buy Now]');
    expect(s.purchased).toBe(s.frames.at(-1)!.view.product!.id);
    expect(s.parts!.reward).toBe(e.return);
    expect(s.instruction).toBe(env.inner.currentGoal!.instruction);
    expect(s.cause).toBe(s.success ? undefined : s.cause);
  });

  it('names the failure cause and counts causes', () => {
    const env = new WebShopAgentEnv({ split: 'test' });
    const rule = makeAgentPolicy('rule', env);
    const eps = [1, 2, 3, 4, 5, 6].map((seed) => shopEpisode(runEpisode(env, rule, seed)));
    expect(eps.every((e) => !e.success && e.cause === 'wrong option')).toBe(true);
    expect(causeCounts([...eps, { cause: 'over price' }, {}])).toEqual([
      { cause: 'wrong option', count: 6, share: 6 / 7 },
      { cause: 'over price', count: 1, share: 1 / 7 },
    ]);
  });

  it('refuses an episode without page views', () => {
    expect(() => shopEpisode({ seed: 0, initialObs: '', steps: [], return: 0, success: false, invalidActions: 0, terminated: false, truncated: true, info: {} })).toThrow(/no page view/);
  });
});
