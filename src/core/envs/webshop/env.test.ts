import { describe, expect, it } from 'vitest';
import { BUY_NOW, NEXT, PREV, WebShopEnv, clickablesInObs, parseAction, webShopData } from './env';
import { matchedOptions, webshopReward } from './reward';
import type { Goal } from './types';

const env = new WebShopEnv();

/** A goal (of all goals) whose product has at least one option group with 2+ values and whose instruction finds it. */
/** A goal with options whose product the search finds; with `wrongFirstOption`, one whose first option group offers a value the reward does not take for the asked one. */
function purchasable(e: WebShopEnv, wrongFirstOption = false): number {
  for (const g of e.data.goals) {
    if (Object.keys(g.options).length === 0) continue;
    if (wrongFirstOption && wrongValue(e, g) === undefined) continue;
    const hits = e.data.index.search(g.instruction, 50);
    if (hits.includes(g.productId)) return g.index;
  }
  throw new Error('no suitable goal');
}

/** The first value of the goal's first option group that the reference's fuzzy match does not take for the asked one ("5 fl oz" passes for "2.5 fl oz"). */
function wrongValue(e: WebShopEnv, goal: Goal): string | undefined {
  const [group, asked] = Object.entries(goal.options)[0]!;
  return e.product(goal.productId)!.options[group]!.find((v) => v !== asked && matchedOptions({ [group]: asked }, { [group]: v }).length === 0);
}

/** Navigates from a fresh reset to the goal product's item page; returns the last step. */
function openGoalProduct(e: WebShopEnv) {
  const goal = e.currentGoal!;
  let r = e.step(`search[${goal.instruction}]`);
  expect(r.info.page).toBe('results');
  while (!r.info.clickables.includes(goal.productId)) {
    r = e.step(`click[${NEXT}]`);
    expect(r.info.valid).toBe(true);
  }
  r = e.step(`click[${goal.productId}]`);
  expect(r.info.page).toBe('item');
  return r;
}

describe('WebShopEnv', () => {
  it('shares data between environments with the same options', () => {
    expect(new WebShopEnv({ split: 'test' }).data).toBe(env.data);
    expect(webShopData(0, 2000, 1000)).toBe(env.data);
  });

  it('resets by seed, within its split', () => {
    const a = env.reset(7);
    const b = env.reset(7);
    expect(a.obs).toBe(b.obs);
    expect(a.info.goalIndex).toBe(b.info.goalIndex);
    expect(a.info.page).toBe('search');
    expect(a.info.clickables).toEqual([]);
    expect(a.obs.startsWith(`Instruction: [SEP] ${a.info.instruction} [SEP] Search`)).toBe(true);
    expect(a.obs).toContain('Available actions: search[<query>]');
    const test = new WebShopEnv({ split: 'test' });
    const seen = new Set<number>();
    for (let s = 0; s < 200; s++) {
      const tr = env.reset(s).info.goalIndex;
      const te = test.reset(s).info.goalIndex;
      expect(tr % 10).not.toBe(0);
      expect(te % 10).toBe(0);
      seen.add(tr);
    }
    expect(seen.size).toBeGreaterThan(50);
  });

  it('buys the goal product with the right options for reward 1', () => {
    const e = new WebShopEnv({ split: 'all', maxSteps: 20 });
    const gi = purchasable(e);
    e.resetTo(gi);
    const goal = e.currentGoal!;
    let r = openGoalProduct(e);
    expect(r.obs).toContain(`Available actions: click[Back to Search] | click[${PREV}]`);
    for (const v of Object.values(goal.options)) {
      r = e.step(`click[${v.toUpperCase()}]`); // case-insensitive
      expect(r.info.valid).toBe(true);
    }
    expect(r.obs).toContain('Selected: ');
    r = e.step('click[buy now]');
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
    expect(r.reward).toBe(1);
    expect(r.info.purchased).toBe(goal.productId);
    expect(r.info.chosenOptions).toEqual(goal.options);
    expect(r.info.cause).toBe('success');
    expect(r.info.success).toBe(true);
    expect(() => e.step('click[Buy Now]')).toThrow();
  });

  it('a wrong option gets the reward formula value', () => {
    const e = new WebShopEnv({ split: 'all', maxSteps: 20 });
    const gi = purchasable(e, true);
    e.resetTo(gi);
    const goal = e.currentGoal!;
    const product = e.product(goal.productId)!;
    openGoalProduct(e);
    const [group] = Object.entries(goal.options)[0]!;
    const wrong = wrongValue(e, goal)!;
    const chosen: Record<string, string> = { ...goal.options, [group]: wrong };
    for (const v of Object.values(chosen)) e.step(`click[${v}]`);
    const r = e.step(`click[${BUY_NOW}]`);
    const nOpt = Object.keys(goal.options).length;
    const expected = (goal.attributes.length + nOpt - 1 + 1) / (goal.attributes.length + nOpt + 1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBeCloseTo(expected, 12);
    expect(r.reward).toBe(webshopReward(goal, product, { product, options: chosen }).reward);
    expect(r.info.cause).toBe('wrong option');
  });

  it('reports invalid actions, which cost a step', () => {
    const e = new WebShopEnv({ split: 'all', maxSteps: 20 });
    const start = e.reset(3);
    let r = e.step('buy the thing');
    expect(r.info.valid).toBe(false);
    expect(r.info.step).toBe(1);
    expect(r.reward).toBe(0);
    expect(r.obs).toContain('Invalid action:');
    expect(r.obs.split('\n')[0]).toBe(start.obs.split('\n')[0]);
    r = e.step('click[Buy Now]'); // nothing clickable on the search page
    expect(r.info.valid).toBe(false);
    expect(r.info.step).toBe(2);
    r = e.step(`search[${start.info.instruction}]`);
    expect(r.info.valid).toBe(true);
    expect(r.obs).not.toContain('Invalid action:');
    r = e.step('click[B99999x]');
    expect(r.info.valid).toBe(false);
    expect(r.info.page).toBe('results');
    const first = r.info.clickables.find((c) => /^B\d{5}$/.test(c))!;
    r = e.step(`click[${first}]`);
    expect(r.info.page).toBe('item');
    r = e.step('search[anything]');
    expect(r.info.valid).toBe(false);
    expect(r.info.page).toBe('item');
    expect(r.info.step).toBe(6);
    expect(r.obs).toContain('Invalid action: search is only possible on the search page');
    expect(parseAction('  Click[ Buy  Now ] ')).toEqual({ kind: 'click', arg: 'Buy Now' });
  });

  it('truncates after 10 steps with reward 0 and cause "ran out of steps"', () => {
    const e = new WebShopEnv();
    e.reset(1);
    for (let i = 1; i < 10; i++) {
      const r = e.step('nonsense');
      expect(r.truncated).toBe(false);
      expect(r.terminated).toBe(false);
    }
    const r = e.step('nonsense');
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
    expect(r.reward).toBe(0);
    expect(r.info.cause).toBe('ran out of steps');
    expect(r.info.step).toBe(10);
    expect(() => e.step('nonsense')).toThrow();
  });

  it('pages results with Next > and < Prev, and goes back to search', () => {
    const e = new WebShopEnv({ maxSteps: 50 });
    e.reset(0);
    let r = e.step('search[shirt cotton navy small large]');
    expect(r.obs).toContain('Page 1 (Total results: 50)');
    expect(r.info.clickables).not.toContain(PREV);
    expect(r.info.clickables).toContain(NEXT);
    const page1 = r.info.clickables.filter((c) => /^B\d{5}$/.test(c));
    expect(page1).toEqual(e.searchResults.slice(0, 10));
    r = e.step('click[Next >]');
    expect(r.obs).toContain('Page 2 (Total results: 50)');
    expect(r.info.clickables.filter((c) => /^B\d{5}$/.test(c))).toEqual(e.searchResults.slice(10, 20));
    expect(r.info.clickables).toContain(PREV);
    for (let i = 0; i < 3; i++) r = e.step('click[Next >]');
    expect(r.obs).toContain('Page 5 (Total results: 50)');
    expect(r.info.clickables).not.toContain(NEXT);
    r = e.step('click[Next >]');
    expect(r.info.valid).toBe(false);
    for (let i = 0; i < 4; i++) r = e.step('click[< Prev]');
    expect(r.obs).toContain('Page 1 (Total results: 50)');
    expect(clickablesInObs(r.obs)).toEqual(r.info.clickables);
    r = e.step('click[Back to Search]');
    expect(r.info.page).toBe('search');
    expect(r.info.clickables).toEqual([]);
  });

  it('shows tabs on a detail page and < Prev returns to the item, then to the results', () => {
    const e = new WebShopEnv({ maxSteps: 50 });
    e.reset(2);
    let r = e.step(`search[${e.currentGoal!.instruction}]`);
    r = e.step('click[Next >]');
    const id = r.info.clickables.find((c) => /^B\d{5}$/.test(c))!;
    const p = e.product(id)!;
    r = e.step(`click[${id}]`);
    const itemObs = r.obs;
    expect(itemObs).toContain(`${p.title} [SEP] Price: $${p.price.toFixed(2)}`);
    const value = Object.values(p.options)[0]![0]!;
    r = e.step(`click[${value}]`);
    r = e.step('click[Features]');
    expect(r.info.page).toBe('detail');
    expect(r.info.clickables).toEqual(['Back to Search', PREV]);
    expect(r.obs).toContain(p.features[0]!);
    r = e.step('click[< Prev]');
    expect(r.info.page).toBe('item');
    expect(e.chosenOptions).toEqual({ [Object.keys(p.options)[0]!]: value });
    r = e.step('click[Description]');
    expect(r.obs).toContain(p.description);
    r = e.step('click[< Prev]');
    r = e.step('click[Reviews]');
    expect(r.obs).toContain(p.reviews[0]!);
    r = e.step('click[< Prev]');
    r = e.step('click[Attributes]');
    expect(r.obs).toContain(p.attributes[0]!);
    r = e.step('click[< Prev]');
    r = e.step('click[< Prev]');
    expect(r.info.page).toBe('results');
    expect(r.obs).toContain('Page 2 (Total results:');
  });
});
