import { describe, expect, it } from 'vitest';
import { UNK } from '../../text/tokenizer';
import { episodeSeeds, runEpisode } from '../../rollout/episode';
import { SHOWN, WebShopAgentEnv, actionKey, viewPrice } from './agent-env';
import { makeAgentPolicy } from './agent-policies';
import { webShopTokenizer } from './corpus';
import { rulePolicy } from './policies';
import { WebShopEnv } from './env';
import { summarise } from './report';

describe('WebShopAgentEnv', () => {
  it('turns the agent language into WebShop actions and shows a compact page', () => {
    const env = new WebShopAgentEnv({ split: 'train' });
    const start = env.reset(3);
    const goal = env.inner.currentGoal!;
    expect(start.obs).toBe(`Instruction: ${goal.instruction}.\nPage: search.\n`);
    const results = env.step('Search');
    expect(results.info.envAction).toBe(`search[${goal.instruction}]`);
    expect(results.info.page).toBe('results');
    const shown = results.info.view.results!.slice(0, SHOWN);
    const lines = results.obs.split('\n');
    expect(lines[1]).toBe('Page: results.');
    shown.forEach((r, i) => expect(lines[2 + i]).toBe(`Item ${i + 1}: ${r.title.toLowerCase()}, ${viewPrice(r.price)} dollars.`));
    const item = env.step('Click item 2');
    expect(item.info.envAction).toBe(`click[${shown[1]!.id}]`);
    expect(item.info.view.product!.id).toBe(shown[1]!.id);
    const [group, values] = Object.entries(item.info.view.product!.options)[0]!;
    // The word tokenizer decodes "6.5" as "6. 5": spacing and case never matter.
    const spaced = values[0]!.replace('.', '. ').toUpperCase();
    const chosen = env.step(`click ${spaced}.`);
    expect(chosen.info.valid).toBe(true);
    expect(chosen.info.view.product!.selected).toEqual({ [group]: values[0] });
    expect(chosen.obs).toContain(`Selected: ${group} ${values[0]}.`);
    const bought = env.step('Buy now');
    expect(bought.terminated).toBe(true);
    expect(bought.info.envAction).toBe('click[Buy Now]');
    expect(bought.obs).toMatch(/Bought\. Reward: \d\.\d\d\.\n$/);
    expect(bought.reward).toBe(bought.info.parts!.reward);
  });

  it('reports an invalid utterance, charges a step, and cuts the episode at the step limit', () => {
    const env = new WebShopAgentEnv({ split: 'test', maxSteps: 3 });
    env.reset(0);
    const bad = env.step('click item 1');
    expect(bad.info.valid).toBe(false);
    expect(bad.obs).toContain('Page: search.\nInvalid action.');
    env.step('search');
    const out = env.step('click item 9');
    expect(out.info.valid).toBe(false);
    expect(out.truncated).toBe(true);
    expect(out.info.cause).toBe('ran out of steps');
    expect(out.obs).toMatch(/Out of steps\.\n$/);
  });

  it('rounds prices up to whole dollars, so price <= an integer bound reads the same', () => {
    expect(viewPrice(86.41)).toBe(87);
    expect(viewPrice(140)).toBe(140);
    expect(viewPrice(139.01)).toBe(140);
    expect(actionKey(' Click  Extra Wide')).toBe('clickextrawide');
  });

  it('agent policies: rule = WebShop rule baseline, expert near 100, noisy in between; tokenizer covers every text', () => {
    const tok = webShopTokenizer();
    const env = new WebShopAgentEnv({ split: 'test' });
    const seeds = episodeSeeds(0, 100);
    const score = (name: 'rule' | 'noisy' | 'expert') => {
      const p = makeAgentPolicy(name, env, 0.5);
      const eps = seeds.map((s) => runEpisode(env, p, s));
      for (const e of eps) {
        for (const text of [e.initialObs, ...e.steps.flatMap((s) => [s.obs, s.action])]) expect(tok.encode(text)).not.toContain(UNK);
      }
      return summarise(name, eps).score;
    };
    const raw = new WebShopEnv({ split: 'test' });
    const rawRule = summarise('rule', seeds.map((s) => runEpisode(raw, rulePolicy(raw), s))).score;
    const rule = score('rule');
    expect(rule).toBeCloseTo(rawRule, 10);
    const noisy = score('noisy');
    const expert = score('expert');
    expect(expert).toBeGreaterThan(95);
    expect(noisy).toBeGreaterThan(rule);
    expect(noisy).toBeLessThan(expert);
  });
});
