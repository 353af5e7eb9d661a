/**
 * Scripted policies in the agent's action language (agent-env.ts), for behaviour cloning the
 * WebShop reference policy and as baselines the trained agents are compared with:
 *   rule  - search, click item 1, buy now (WebShop's rule baseline on the agent's view);
 *   noisy - the expert (it knows the goal: the best-matching shown result, every asked option the
 *           product offers, then buy now) that, with probability epsilon at each decision, takes the
 *           rule's move instead (item 1; buy now without the remaining options).
 * epsilon 0 is the expert (within what the agent can see: the first SHOWN results).
 */
import { Rng } from '../../util/rng';
import type { ActingPolicy } from '../../rollout/episode';
import { SHOWN, type WebShopAgentEnv } from './agent-env';
import { bestResult } from './policies';

export const AGENT_POLICY_NAMES = ['rule', 'noisy', 'expert'] as const;
export type AgentPolicyName = (typeof AGENT_POLICY_NAMES)[number];

export interface AgentPolicy extends ActingPolicy {
  readonly name: AgentPolicyName;
}

export function agentRulePolicy(env: WebShopAgentEnv): AgentPolicy {
  return {
    name: 'rule',
    reset(): void {},
    act(): string {
      switch (env.inner.page) {
        case 'search':
          return 'search';
        case 'results':
          return 'click item 1';
        default:
          return 'buy now';
      }
    },
  };
}

export function agentNoisyExpertPolicy(env: WebShopAgentEnv, epsilon: number, name: AgentPolicyName = 'noisy'): AgentPolicy {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new Error(`epsilon must lie in [0, 1], got ${epsilon}`);
  let rng = new Rng(0);
  const noisy = () => epsilon > 0 && rng.next() < epsilon;
  return {
    name,
    reset(seed: number): void {
      rng = new Rng(seed ^ 0x5b0b);
    },
    act(): string {
      const shop = env.inner;
      const goal = shop.currentGoal;
      if (!goal) throw new Error('agent policy: the environment has no goal (call reset first)');
      switch (shop.page) {
        case 'search':
          return 'search';
        case 'results': {
          const view = env.view();
          const shown = (view.results ?? []).slice(0, SHOWN);
          if (shown.length === 0) return 'click back to search';
          if (noisy()) return 'click item 1';
          const ids = shown.map((r) => r.id);
          const best = ids.indexOf(bestResult(shop, goal, ids)!);
          return `click item ${best + 1}`;
        }
        case 'item': {
          const p = shop.product(shop.currentProductId)!;
          const chosen = shop.chosenOptions;
          const missing = Object.entries(goal.options).filter(([g, v]) => chosen[g] !== v && p.options[g]?.includes(v));
          if (missing.length === 0 || noisy()) return 'buy now';
          return `click ${missing[0]![1]}`;
        }
        default:
          return 'click prev';
      }
    },
  };
}

export function makeAgentPolicy(name: AgentPolicyName, env: WebShopAgentEnv, epsilon = 0.5): AgentPolicy {
  switch (name) {
    case 'rule':
      return agentRulePolicy(env);
    case 'noisy':
      return agentNoisyExpertPolicy(env, epsilon);
    case 'expert':
      return agentNoisyExpertPolicy(env, 0, 'expert');
  }
}
