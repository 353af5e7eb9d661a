/**
 * Scripted WebShop policies:
 *   rule   - WebShop's rule baseline, from the observation only: search[instruction], click the first
 *            result, Buy Now (no options chosen);
 *   expert - knows the goal (env.currentGoal): search[instruction], then the result (of all, at most
 *            50) that best matches the goal — type equal, then most asked attributes, then every asked
 *            option offered, then price within the bound, ties to the better rank; first result as a
 *            fallback — paging to it with Next > / < Prev, chooses every asked option value, Buy Now.
 */
import type { ActingPolicy } from '../../rollout/episode';
import { BACK_TO_SEARCH, BUY_NOW, NEXT, PREV, RESULTS_PER_PAGE, clickablesInObs, type WebShopEnv } from './env';
import { matchedAttributes } from './reward';
import type { Goal, Product } from './types';

export const POLICY_NAMES = ['rule', 'expert'] as const;
export type WebShopPolicyName = (typeof POLICY_NAMES)[number];

export interface WebShopPolicy extends ActingPolicy {
  readonly name: WebShopPolicyName;
}

const PRODUCT_ID = /^B\d{5}$/;

/** The instruction in an observation ("Instruction: [SEP] <instruction> [SEP] ..."). */
export function instructionInObs(obs: string): string {
  const m = /^Instruction: \[SEP\] (.*?) \[SEP\]/.exec(obs);
  return m ? m[1]! : '';
}

function isSearchPage(obs: string): boolean {
  return /^Available actions: search\[/m.test(obs);
}

export function rulePolicy(_env?: WebShopEnv): WebShopPolicy {
  return {
    name: 'rule',
    reset(_seed: number): void {},
    act(obs: string): string {
      if (isSearchPage(obs)) return `search[${instructionInObs(obs)}]`;
      const clickables = clickablesInObs(obs);
      if (clickables.includes(BUY_NOW)) return `click[${BUY_NOW}]`;
      const first = clickables.find((c) => PRODUCT_ID.test(c));
      if (first) return `click[${first}]`;
      if (clickables.includes(PREV)) return `click[${PREV}]`;
      return `click[${BACK_TO_SEARCH}]`;
    },
  };
}

/** How well a product matches a goal, compared lexicographically (higher is better). */
export function matchScore(goal: Goal, p: Product): number[] {
  const offered = Object.entries(goal.options).filter(([g, v]) => p.options[g]?.includes(v)).length;
  return [
    p.type.toLowerCase() === goal.type.toLowerCase() ? 1 : 0,
    matchedAttributes(goal.attributes, p).length,
    offered,
    p.price <= goal.priceUpper ? 1 : 0,
  ];
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/** The best-matching product id of a result list (the first on ties); undefined when empty. */
export function bestResult(env: WebShopEnv, goal: Goal, results: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore: number[] = [];
  for (const id of results) {
    const p = env.product(id);
    if (!p) continue;
    const s = matchScore(goal, p);
    if (best === undefined || better(s, bestScore)) {
      best = id;
      bestScore = s;
    }
  }
  return best ?? results[0];
}

export function expertPolicy(env: WebShopEnv): WebShopPolicy {
  let target: string | undefined;
  return {
    name: 'expert',
    reset(_seed: number): void {
      target = undefined;
    },
    act(obs: string): string {
      const goal = env.currentGoal;
      if (!goal) throw new Error('expertPolicy: the environment has no goal (call reset first)');
      if (isSearchPage(obs)) {
        target = undefined;
        return `search[${goal.instruction}]`;
      }
      const clickables = clickablesInObs(obs);
      switch (env.page) {
        case 'results': {
          target ??= bestResult(env, goal, env.searchResults);
          if (target === undefined) return `click[${BACK_TO_SEARCH}]`;
          if (clickables.includes(target)) return `click[${target}]`;
          const targetPage = Math.floor(env.searchResults.indexOf(target) / RESULTS_PER_PAGE) + 1;
          if (targetPage > env.currentResultsPage && clickables.includes(NEXT)) return `click[${NEXT}]`;
          if (clickables.includes(PREV)) return `click[${PREV}]`;
          return `click[${BACK_TO_SEARCH}]`;
        }
        case 'item': {
          const p = env.product(env.currentProductId);
          const chosen = env.chosenOptions;
          for (const [g, v] of Object.entries(goal.options)) {
            if (chosen[g] !== v && p?.options[g]?.includes(v) && clickables.includes(v)) return `click[${v}]`;
          }
          return `click[${BUY_NOW}]`;
        }
        case 'detail':
          return `click[${PREV}]`;
        default:
          return `search[${goal.instruction}]`;
      }
    },
  };
}

export function makeWebShopPolicy(name: WebShopPolicyName, env: WebShopEnv): WebShopPolicy {
  switch (name) {
    case 'rule':
      return rulePolicy(env);
    case 'expert':
      return expertPolicy(env);
  }
}
