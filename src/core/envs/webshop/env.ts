/**
 * WebShop (Yao et al. 2022) as a text environment, in ArCHer's setting (at most 10 steps).
 *
 * Pages and their clickables:
 *   search   - none; the only valid action is `search[query]`.
 *   results  - Back to Search, < Prev (pages > 1), Next > (when more results), the product ids shown
 *              (10 a page, at most 50 results, BM25 best first).
 *   item     - Back to Search, < Prev (back to the results page it came from), every option value,
 *              the tabs Description / Features / Reviews / Attributes, Buy Now.
 *   detail   - Back to Search, < Prev (back to the item, options kept); shows one tab's text.
 *
 * Observation: the page as WebShop's plain-text mode writes it, parts joined by " [SEP] ",
 * starting "Instruction: [SEP] <instruction> [SEP] ...", then (when the last action was invalid)
 * a line "Invalid action: ...", then a line "Available actions: search[<query>]" or
 * "Available actions: click[Back to Search] | click[Next >] | click[B00042] | ...".
 *
 * Rewards: 0 on every step but Buy Now, which ends the episode (terminated) with
 * webshopReward(...).reward. After `maxSteps` steps without a purchase the episode is truncated
 * (reward 0, info.cause 'ran out of steps'). An invalid action costs a step and changes nothing.
 */
import { Rng } from '../../util/rng';
import type { ResetResult, StepResult, TextEnv } from '../types';
import { formatPrice, generateCatalog, generateGoals, splitGoals } from './catalog';
import { rewardCause, webshopReward, type RewardCause, type RewardParts } from './reward';
import { SearchIndex } from './search';
import type { Goal, Product } from './types';

export type WebShopSplit = 'train' | 'test' | 'all';
export type WebShopPage = 'search' | 'results' | 'item' | 'detail';
export type WebShopTab = 'Description' | 'Features' | 'Reviews' | 'Attributes';

export const TABS: readonly WebShopTab[] = ['Description', 'Features', 'Reviews', 'Attributes'];
export const BACK_TO_SEARCH = 'Back to Search';
export const PREV = '< Prev';
export const NEXT = 'Next >';
export const BUY_NOW = 'Buy Now';
export const RESULTS_PER_PAGE = 10;
export const MAX_RESULTS = 50;
export const SEP = ' [SEP] ';

export interface WebShopOptions {
  split?: WebShopSplit;
  maxSteps?: number;
  catalogSeed?: number;
  products?: number;
  goals?: number;
}

export interface WebShopInfo {
  goalIndex: number;
  instruction: string;
  page: WebShopPage;
  /** Whether the action was valid (true on reset). */
  valid: boolean;
  /** The buttons clickable on the page now (search page: none). */
  clickables: string[];
  /** Steps taken so far in the episode. */
  step: number;
  /** Why the last action was invalid. */
  error?: string;
  /** On Buy Now: */
  purchased?: string;
  chosenOptions?: Record<string, string>;
  parts?: RewardParts;
  success?: boolean;
  /** On Buy Now the reward's cause; on the step limit 'ran out of steps'. */
  cause?: RewardCause | 'ran out of steps';
}

/** Catalog, goals, splits and search index shared by every environment with the same data options. */
export interface WebShopData {
  products: Product[];
  byId: Map<string, Product>;
  goals: Goal[];
  train: Goal[];
  test: Goal[];
  index: SearchIndex;
}

const dataCache = new Map<string, WebShopData>();

export function webShopData(catalogSeed = 0, products = 2000, goals = 1000): WebShopData {
  const key = `${catalogSeed}|${products}|${goals}`;
  let data = dataCache.get(key);
  if (!data) {
    const catalog = generateCatalog(catalogSeed, products);
    const allGoals = generateGoals(catalog, catalogSeed, goals);
    const { train, test } = splitGoals(allGoals);
    data = {
      products: catalog,
      byId: new Map(catalog.map((p) => [p.id, p])),
      goals: allGoals,
      train,
      test,
      index: new SearchIndex(catalog),
    };
    dataCache.set(key, data);
  }
  return data;
}

const normKey = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** Parses `search[...]` / `click[...]` (case-insensitive verb, surrounding spaces ignored). */
export function parseAction(text: string): { kind: 'search' | 'click'; arg: string } | undefined {
  const m = /^\s*(search|click)\s*\[(.*)\]\s*$/is.exec(text);
  if (!m) return undefined;
  return { kind: m[1]!.toLowerCase() as 'search' | 'click', arg: m[2]!.replace(/\s+/g, ' ').trim() };
}

/** The buttons listed in an observation's "Available actions:" line. */
export function clickablesInObs(obs: string): string[] {
  const line = obs.split('\n').find((l) => l.startsWith('Available actions:'));
  if (!line) return [];
  return [...line.matchAll(/click\[([^\]]*)\]/g)].map((m) => m[1]!);
}

export class WebShopEnv implements TextEnv<WebShopInfo> {
  readonly name = 'webshop';
  readonly split: WebShopSplit;
  readonly maxSteps: number;
  readonly data: WebShopData;

  private goal: Goal | undefined;
  private _page: WebShopPage = 'search';
  private query = '';
  private results: string[] = [];
  private resultsPage = 1;
  private productId = '';
  private chosen: Record<string, string> = {};
  private tab: WebShopTab = 'Description';
  private steps = 0;
  private done = true;

  constructor(options: WebShopOptions = {}) {
    this.split = options.split ?? 'train';
    this.maxSteps = options.maxSteps ?? 10;
    if (!Number.isInteger(this.maxSteps) || this.maxSteps < 1) {
      throw new Error(`maxSteps must be a positive integer, got ${options.maxSteps}`);
    }
    this.data = webShopData(options.catalogSeed ?? 0, options.products ?? 2000, options.goals ?? 1000);
    if (this.splitGoals.length === 0) throw new Error(`the ${this.split} split has no goals`);
  }

  /** The goals reset(seed) draws from. */
  get splitGoals(): Goal[] {
    return this.split === 'all' ? this.data.goals : this.split === 'test' ? this.data.test : this.data.train;
  }

  get currentGoal(): Goal | undefined {
    return this.goal;
  }

  get goalProduct(): Product | undefined {
    return this.goal ? this.data.byId.get(this.goal.productId) : undefined;
  }

  product(id: string): Product | undefined {
    return this.data.byId.get(id);
  }

  get page(): WebShopPage {
    return this._page;
  }

  /** All results of the last search (at most 50), best first. */
  get searchResults(): readonly string[] {
    return this.results;
  }

  /** The query of the last search ('' on the search page). */
  get lastQuery(): string {
    return this.query;
  }

  get currentResultsPage(): number {
    return this.resultsPage;
  }

  get currentProductId(): string {
    return this.productId;
  }

  get chosenOptions(): Record<string, string> {
    return { ...this.chosen };
  }

  get stepCount(): number {
    return this.steps;
  }

  /** A seeded reset: the same seed always draws the same goal of the split. */
  reset(seed: number): ResetResult<WebShopInfo> {
    const goals = this.splitGoals;
    return this.start(goals[new Rng(seed).int(goals.length)]!);
  }

  /** Reset to a goal by its index among all goals (goal.index), whatever the split. */
  resetTo(goalIndex: number): ResetResult<WebShopInfo> {
    const goal = this.data.goals[goalIndex];
    if (!Number.isInteger(goalIndex) || !goal) {
      throw new Error(`goal index ${goalIndex} is outside 0..${this.data.goals.length - 1}`);
    }
    return this.start(goal);
  }

  /** Back on the search page with nothing searched, viewed or chosen. */
  private toSearchPage(): void {
    this._page = 'search';
    this.query = '';
    this.results = [];
    this.resultsPage = 1;
    this.productId = '';
    this.chosen = {};
  }

  private start(goal: Goal): ResetResult<WebShopInfo> {
    this.goal = goal;
    this.toSearchPage();
    this.tab = 'Description';
    this.steps = 0;
    this.done = false;
    return { obs: this.observation(), info: this.baseInfo(true) };
  }

  private get pageCount(): number {
    return Math.max(1, Math.ceil(this.results.length / RESULTS_PER_PAGE));
  }

  private pageIds(): string[] {
    const start = (this.resultsPage - 1) * RESULTS_PER_PAGE;
    return this.results.slice(start, start + RESULTS_PER_PAGE);
  }

  /** The buttons clickable on the current page. */
  get clickables(): string[] {
    switch (this._page) {
      case 'search':
        return [];
      case 'results': {
        const out = [BACK_TO_SEARCH];
        if (this.resultsPage > 1) out.push(PREV);
        if (this.resultsPage < this.pageCount) out.push(NEXT);
        return [...out, ...this.pageIds()];
      }
      case 'item': {
        const p = this.data.byId.get(this.productId)!;
        return [BACK_TO_SEARCH, PREV, ...Object.values(p.options).flat(), ...TABS, BUY_NOW];
      }
      case 'detail':
        return [BACK_TO_SEARCH, PREV];
    }
  }

  private pageText(): string {
    const goal = this.goal!;
    const head = ['Instruction:', goal.instruction];
    switch (this._page) {
      case 'search':
        return [...head, 'Search'].join(SEP);
      case 'results': {
        const parts = [...head, BACK_TO_SEARCH, `Page ${this.resultsPage} (Total results: ${this.results.length})`];
        if (this.resultsPage > 1) parts.push(PREV);
        if (this.resultsPage < this.pageCount) parts.push(NEXT);
        for (const id of this.pageIds()) {
          const p = this.data.byId.get(id)!;
          parts.push(id, p.title, `$${formatPrice(p.price)}`);
        }
        return parts.join(SEP);
      }
      case 'item': {
        const p = this.data.byId.get(this.productId)!;
        const parts = [...head, BACK_TO_SEARCH, PREV];
        for (const [g, vs] of Object.entries(p.options)) parts.push(g, ...vs);
        const chosen = Object.entries(this.chosen);
        if (chosen.length) parts.push(`Selected: ${chosen.map(([g, v]) => `${g} ${v}`).join(', ')}`);
        parts.push(p.title, `Price: $${formatPrice(p.price)}`, 'Rating: N.A.', ...TABS, BUY_NOW);
        return parts.join(SEP);
      }
      case 'detail': {
        const p = this.data.byId.get(this.productId)!;
        const body =
          this.tab === 'Description'
            ? [p.description]
            : this.tab === 'Features'
              ? p.features
              : this.tab === 'Reviews'
                ? p.reviews
                : p.attributes;
        return [...head, BACK_TO_SEARCH, PREV, this.tab, ...body].join(SEP);
      }
    }
  }

  private observation(error?: string): string {
    const lines = [this.pageText()];
    if (error) lines.push(`Invalid action: ${error}`);
    const c = this.clickables;
    lines.push(`Available actions: ${c.length ? c.map((b) => `click[${b}]`).join(' | ') : 'search[<query>]'}`);
    return lines.join('\n');
  }

  private baseInfo(valid: boolean): WebShopInfo {
    return {
      goalIndex: this.goal!.index,
      instruction: this.goal!.instruction,
      page: this._page,
      valid,
      clickables: this.clickables,
      step: this.steps,
    };
  }

  step(actionText: string): StepResult<WebShopInfo> {
    if (this.done) throw new Error('the episode is over: call reset() before step()');
    this.steps += 1;
    const error = this.apply(actionText);
    if (error === BUY_NOW) return this.buy();
    const truncated = this.steps >= this.maxSteps;
    this.done = truncated;
    const info = this.baseInfo(error === undefined);
    if (error !== undefined) info.error = error;
    if (truncated) {
      info.cause = 'ran out of steps';
      info.success = false;
    }
    return { obs: this.observation(error), reward: 0, terminated: false, truncated, info };
  }

  private buy(): StepResult<WebShopInfo> {
    const goal = this.goal!;
    const product = this.data.byId.get(this.productId)!;
    const parts = webshopReward(goal, this.data.byId.get(goal.productId)!, { product, options: { ...this.chosen } });
    this.done = true;
    const info: WebShopInfo = {
      ...this.baseInfo(true),
      purchased: product.id,
      chosenOptions: { ...this.chosen },
      parts,
      success: parts.success,
      cause: rewardCause(parts),
    };
    const obs = [
      ['Instruction:', goal.instruction, 'Thank you for shopping with us!', `Purchased: ${product.id}`, `Reward: ${parts.reward.toFixed(3)}`].join(SEP),
      'Available actions: none',
    ].join('\n');
    return { obs, reward: parts.reward, terminated: true, truncated: false, info };
  }

  /** Applies an action; returns an error message when it is invalid, BUY_NOW on a purchase. */
  private apply(actionText: string): string | undefined {
    const action = parseAction(actionText);
    if (!action) return `"${actionText.trim()}" is not search[...] or click[...]`;
    if (action.kind === 'search') {
      if (this._page !== 'search') return 'search is only possible on the search page';
      this.query = action.arg;
      this.results = this.data.index.search(action.arg, MAX_RESULTS);
      this.resultsPage = 1;
      this._page = 'results';
      return undefined;
    }
    const button = this.clickables.find((b) => normKey(b) === normKey(action.arg));
    if (button === undefined) return `"${action.arg}" is not clickable on this page`;
    if (button === BACK_TO_SEARCH) {
      this.toSearchPage();
      return undefined;
    }
    switch (this._page) {
      case 'results':
        if (button === PREV) this.resultsPage -= 1;
        else if (button === NEXT) this.resultsPage += 1;
        else {
          this.productId = button;
          this.chosen = {};
          this._page = 'item';
        }
        return undefined;
      case 'item': {
        if (button === PREV) {
          this._page = 'results';
          return undefined;
        }
        if (button === BUY_NOW) return BUY_NOW;
        const tab = TABS.find((t) => t === button);
        if (tab) {
          this.tab = tab;
          this._page = 'detail';
          return undefined;
        }
        const p = this.data.byId.get(this.productId)!;
        const group = Object.keys(p.options).find((g) => p.options[g]!.includes(button));
        if (group !== undefined) this.chosen[group] = button;
        return undefined;
      }
      case 'detail':
        // Only < Prev is left here (Back to Search was handled above).
        this._page = 'item';
        return undefined;
      default:
        return `"${action.arg}" is not clickable on this page`;
    }
  }
}
