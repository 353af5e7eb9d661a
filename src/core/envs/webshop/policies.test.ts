import { describe, expect, it } from 'vitest';
import { runEpisode } from '../../rollout/episode';
import { WebShopEnv } from './env';
import { POLICY_NAMES, makeWebShopPolicy, type WebShopPolicyName } from './policies';

function evaluate(name: WebShopPolicyName, episodes = 100): { score: number; success: number; invalid: number } {
  const env = new WebShopEnv({ split: 'test' });
  const policy = makeWebShopPolicy(name, env);
  let total = 0;
  let wins = 0;
  let invalid = 0;
  for (let seed = 0; seed < episodes; seed++) {
    const ep = runEpisode(env, policy, 1000 + seed, 50);
    total += ep.return;
    if (ep.success) wins++;
    invalid += ep.invalidActions;
  }
  return { score: (100 * total) / episodes, success: wins / episodes, invalid };
}

describe('WebShop policies', () => {
  it('the expert beats the rule baseline on 100 test goals', () => {
    const results = Object.fromEntries(POLICY_NAMES.map((n) => [n, evaluate(n)]));
    for (const n of POLICY_NAMES) {
      const r = results[n]!;
      console.log(`webshop ${n}: score ${r.score.toFixed(1)}, success ${(100 * r.success).toFixed(0)}%, invalid actions ${r.invalid}`);
    }
    expect(results.rule!.invalid).toBe(0);
    expect(results.expert!.invalid).toBe(0);
    expect(results.expert!.score).toBeGreaterThan(results.rule!.score);
    expect(results.expert!.success).toBeGreaterThanOrEqual(0.8);
  });
});
