/**
 * WebShop as the lab's small language-model agents see it: a compact text view of the shop's page
 * and a short action language, over the real WebShopEnv (every agent action becomes one real
 * `search[...]` / `click[...]`, so rewards, step limits and invalid actions are WebShop's own).
 *
 * Why a compact view: the lab's actors are ~100k-parameter word-level transformers with a 192-token
 * window; WebShop's raw page (ten results with ids, titles and prices) is 300+ words. The view keeps
 * what a shopper needs: the instruction, the page, the first SHOWN results (title and whole-dollar
 * price, rounded UP so "price <= bound" reads the same), an item's title, price, option groups and
 * what is selected. Tabs (Description ...) are left out (they never change the reward).
 *
 * Agent actions (case and spacing ignored, a final '.' ignored):
 *   search            - search[<the instruction>] (a small actor cannot type queries; WebShop's rule
 *                       baseline searches the instruction too)
 *   click item K      - the K-th shown result (1..SHOWN) on a results page
 *   click next / click back to search / click prev - those buttons
 *   click <value>     - an option value on an item page (click 6.5, click extra wide)
 *   buy now           - click[Buy Now]
 * Anything else is invalid: it is passed to WebShop as it is, which reports it and charges a step.
 *
 * Step info: WebShop's own (page, parts, cause ...) plus `envAction` (what was sent) and `view`
 * (the page as data, for the lab's visual replay).
 */
import type { ResetResult, StepResult, TextEnv } from '../types';
import { BUY_NOW, NEXT, PREV, RESULTS_PER_PAGE, WebShopEnv, type WebShopInfo, type WebShopOptions, type WebShopPage } from './env';

/** Results shown to the agent per page. */
export const SHOWN = 3;

export interface ShopResultView {
  id: string;
  title: string;
  price: number;
}

/** A page as data, enough to draw it. */
export interface ShopPageView {
  page: WebShopPage;
  instruction: string;
  query?: string;
  resultsPage?: number;
  totalResults?: number;
  /** The page's results (up to 10; the agent sees the first SHOWN). */
  results?: ShopResultView[];
  product?: { id: string; title: string; price: number; options: Record<string, string[]>; selected: Record<string, string> };
}

export interface ShopAgentInfo extends WebShopInfo {
  /** The WebShop action the agent's utterance became. */
  envAction?: string;
  view: ShopPageView;
}

/** Whole dollars, rounded up: price <= an integer bound exactly when this is. */
export function viewPrice(price: number): number {
  return Math.ceil(price - 1e-9);
}

/** Lower case, every space removed: "Extra  Wide" and "extra wide" and "6. 5" vs "6.5" compare equal. */
export function actionKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

export class WebShopAgentEnv implements TextEnv<ShopAgentInfo> {
  readonly name = 'webshop';
  readonly inner: WebShopEnv;

  constructor(options: WebShopOptions = {}) {
    this.inner = new WebShopEnv(options);
  }

  reset(seed: number): ResetResult<ShopAgentInfo> {
    const r = this.inner.reset(seed);
    return { obs: this.observation(), info: { ...r.info, view: this.view() } };
  }

  resetTo(goalIndex: number): ResetResult<ShopAgentInfo> {
    const r = this.inner.resetTo(goalIndex);
    return { obs: this.observation(), info: { ...r.info, view: this.view() } };
  }

  step(actionText: string): StepResult<ShopAgentInfo> {
    const envAction = this.translate(actionText);
    const r = this.inner.step(envAction);
    const done = r.terminated || r.truncated;
    return {
      obs: done ? this.finalObservation(r.info) : this.observation(r.info.valid ? undefined : actionText),
      reward: r.reward,
      terminated: r.terminated,
      truncated: r.truncated,
      info: { ...r.info, envAction, view: this.view() },
    };
  }

  /** The WebShop action for an agent utterance (an unknown one is passed through, and WebShop rejects it). */
  translate(actionText: string): string {
    const key = actionKey(actionText).replace(/\.$/, '');
    const env = this.inner;
    if (key === 'search') return env.page === 'search' ? `search[${env.currentGoal?.instruction ?? ''}]` : 'search[]';
    if (key === 'buynow') return `click[${BUY_NOW}]`;
    if (!key.startsWith('click')) return actionText;
    const arg = key.slice('click'.length);
    const item = /^item(\d+)$/.exec(arg);
    if (item && env.page === 'results') {
      const k = Number(item[1]);
      const shown = this.pageResults().slice(0, SHOWN);
      return k >= 1 && k <= shown.length ? `click[${shown[k - 1]}]` : `click[item ${k}]`;
    }
    const button = env.clickables.find((b) => actionKey(b) === arg || (b === PREV && arg === 'prev') || (b === NEXT && arg === 'next'));
    return `click[${button ?? actionText.trim().slice(5).trim()}]`;
  }

  private pageResults(): string[] {
    const env = this.inner;
    const start = (env.currentResultsPage - 1) * RESULTS_PER_PAGE;
    return env.searchResults.slice(start, start + RESULTS_PER_PAGE);
  }

  view(): ShopPageView {
    const env = this.inner;
    const base: ShopPageView = { page: env.page, instruction: env.currentGoal?.instruction ?? '' };
    if (env.page === 'results') {
      return {
        ...base,
        query: env.lastQuery,
        resultsPage: env.currentResultsPage,
        totalResults: env.searchResults.length,
        results: this.pageResults().map((id) => {
          const p = env.product(id)!;
          return { id, title: p.title, price: p.price };
        }),
      };
    }
    if (env.page === 'item' || env.page === 'detail') {
      const p = env.product(env.currentProductId)!;
      return { ...base, query: env.lastQuery, product: { id: p.id, title: p.title, price: p.price, options: p.options, selected: env.chosenOptions } };
    }
    return base;
  }

  /** The agent's view of the current page. */
  observation(invalid?: string): string {
    const env = this.inner;
    const goal = env.currentGoal;
    if (!goal) throw new Error('WebShopAgentEnv: call reset first');
    const lines = [`Instruction: ${goal.instruction}.`];
    switch (env.page) {
      case 'search':
        lines.push('Page: search.');
        break;
      case 'results': {
        lines.push('Page: results.');
        const shown = this.pageResults().slice(0, SHOWN);
        if (shown.length === 0) lines.push('No results.');
        shown.forEach((id, i) => {
          const p = env.product(id)!;
          lines.push(`Item ${i + 1}: ${p.title.toLowerCase()}, ${viewPrice(p.price)} dollars.`);
        });
        break;
      }
      case 'item':
      case 'detail': {
        const p = env.product(env.currentProductId)!;
        lines.push('Page: item.', `Title: ${p.title.toLowerCase()}, ${viewPrice(p.price)} dollars.`);
        for (const [g, vs] of Object.entries(p.options)) lines.push(`${g[0]!.toUpperCase()}${g.slice(1)}: ${vs.join(', ')}.`);
        const chosen = Object.entries(env.chosenOptions);
        lines.push(chosen.length ? `Selected: ${chosen.map(([g, v]) => `${g} ${v}`).join(', ')}.` : 'Selected: none.');
        break;
      }
    }
    if (invalid !== undefined) lines.push('Invalid action.');
    return `${lines.join('\n')}\n`;
  }

  private finalObservation(info: WebShopInfo): string {
    const goal = this.inner.currentGoal!;
    const end = info.purchased ? `Bought. Reward: ${(info.parts?.reward ?? 0).toFixed(2)}.` : 'Out of steps.';
    return `Instruction: ${goal.instruction}.\n${end}\n`;
  }
}

/** Every text the agent view and action language use, for the word-level tokenizer's vocabulary. */
export function webShopAgentCorpus(env: WebShopAgentEnv): string[] {
  const data = env.inner.data;
  const texts = [
    'Page: search.', 'Page: results.', 'Page: item.', 'No results.', 'Selected: none.', 'Invalid action.', 'Out of steps.', 'Bought. Reward: 0.00.',
    'search', 'buy now', 'click next', 'click prev', 'click back to search',
  ];
  for (let k = 1; k <= SHOWN; k++) texts.push(`Item ${k}: x, 1 dollars.`, `click item ${k}`);
  for (let d = 0; d <= 1000; d++) texts.push(`${d}`);
  for (let c = 0; c < 100; c++) texts.push(String(c).padStart(2, '0'));
  for (const g of data.goals) texts.push(`Instruction: ${g.instruction}.`);
  const groups = new Set<string>();
  for (const p of data.products) {
    texts.push(`Title: ${p.title.toLowerCase()}, 1 dollars.`);
    for (const [g, vs] of Object.entries(p.options)) {
      groups.add(g);
      for (const v of vs) texts.push(`click ${v}`, `Selected: ${g} ${v}.`);
    }
  }
  for (const g of groups) texts.push(`${g[0]!.toUpperCase()}${g.slice(1)}: x.`);
  return texts;
}
