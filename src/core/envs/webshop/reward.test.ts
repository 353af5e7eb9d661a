import { describe, expect, it } from 'vitest';
import {
  jaccard,
  rewardCause,
  typeFactor,
  webshopReward,
  type RewardCause,
} from './reward';
import { contentWords } from './text';
import type { Goal, Product } from './types';

function mk(id: string, p: Partial<Product>): Product {
  return {
    id,
    type: 't-shirt',
    category: 'fashion',
    title: 'Classic Cotton Crew Neck T-Shirt for Men',
    description: 'A soft everyday tee made to last.',
    features: ['regular fit', 'tag free collar'],
    reviews: ['machine washable and great'], // reviews never count for attributes
    attributes: ['cotton', 'machine washable'],
    options: { size: ['small', 'medium', 'large'], color: ['navy', 'white'] },
    price: 20,
    ...p,
  };
}

/** The goal's product. Content words of its title: classic cotton crew neck t shirt men (7). */
const TARGET = mk('B00001', {});

/** Asks 2 attributes + 2 options + price: denominator 5. */
const GOAL: Goal = {
  index: 0,
  productId: 'B00001',
  type: 't-shirt',
  instruction: 'i need a cotton machine washable t-shirt, size medium, color navy, under 30 dollars',
  attributes: ['cotton', 'machine washable'],
  options: { size: 'medium', color: 'navy' },
  priceUpper: 30,
};

/** Asks nothing but the price: denominator 1. */
const GOAL_PRICE_ONLY: Goal = { ...GOAL, index: 1, attributes: [], options: {} };

const RIGHT = { size: 'medium', color: 'navy' };

interface Row {
  name: string;
  goal?: Goal;
  bought: Product;
  options: Record<string, string>;
  reward: number;
  typeFactor: number;
  attributes: string[];
  options_: string[];
  priceOk: boolean;
  cause: RewardCause;
}

const ROWS: Row[] = [
  {
    name: 'perfect purchase: 5/5',
    bought: TARGET, options: RIGHT,
    reward: 1, typeFactor: 1, attributes: ['cotton', 'machine washable'], options_: ['size', 'color'],
    priceOk: true, cause: 'success',
  },
  {
    name: 'option values and attribute list compared case-insensitively: 5/5',
    bought: mk('B00002', { attributes: ['Cotton', ' MACHINE WASHABLE '] }), options: { size: 'Medium', color: 'NAVY' },
    reward: 1, typeFactor: 1, attributes: ['cotton', 'machine washable'], options_: ['size', 'color'],
    priceOk: true, cause: 'success',
  },
  {
    name: 'one of two attributes missing (text has "machine" but not "washable"): 4/5',
    bought: mk('B00003', { attributes: ['cotton'], description: 'Wash by hand, never in a machine.' }),
    options: RIGHT,
    reward: 4 / 5, typeFactor: 1, attributes: ['cotton'], options_: ['size', 'color'],
    priceOk: true, cause: 'missing attribute',
  },
  {
    name: 'attribute found only in the text (fuzzy fallback): 5/5',
    bought: mk('B00004', { attributes: ['cotton'], features: ['Machine-washable; tumble dry low'] }),
    options: RIGHT,
    reward: 1, typeFactor: 1, attributes: ['cotton', 'machine washable'], options_: ['size', 'color'],
    priceOk: true, cause: 'success',
  },
  {
    name: 'wrong option value: 4/5',
    bought: TARGET, options: { size: 'large', color: 'navy' },
    reward: 4 / 5, typeFactor: 1, attributes: ['cotton', 'machine washable'], options_: ['color'],
    priceOk: true, cause: 'wrong option',
  },
  {
    name: 'option group not chosen: 4/5',
    bought: TARGET, options: { color: 'navy' },
    reward: 4 / 5, typeFactor: 1, attributes: ['cotton', 'machine washable'], options_: ['color'],
    priceOk: true, cause: 'wrong option',
  },
  {
    name: 'no option chosen at all: 3/5',
    bought: TARGET, options: {},
    reward: 3 / 5, typeFactor: 1, attributes: ['cotton', 'machine washable'], options_: [],
    priceOk: true, cause: 'wrong option',
  },
  {
    name: 'over price: 4/5',
    bought: mk('B00005', { price: 35 }), options: RIGHT,
    reward: 4 / 5, typeFactor: 1, attributes: ['cotton', 'machine washable'], options_: ['size', 'color'],
    priceOk: false, cause: 'over price',
  },
  {
    name: 'price exactly at the limit is fine: 5/5',
    bought: mk('B00006', { price: 30 }), options: RIGHT,
    reward: 1, typeFactor: 1, attributes: ['cotton', 'machine washable'], options_: ['size', 'color'],
    priceOk: true, cause: 'success',
  },
  {
    name: 'attribute, option and price all wrong: (1+1+0)/5, first cause is the attribute',
    bought: mk('B00007', { attributes: ['polyester'], title: 'Cotton Blend T-Shirt', price: 31 }),
    options: { size: 'small', color: 'navy' },
    reward: 2 / 5, typeFactor: 1, attributes: ['cotton'], options_: ['color'],
    priceOk: false, cause: 'missing attribute',
  },
  {
    // classic cotton crew neck polo shirt men vs classic cotton crew neck t shirt men:
    // |∩| = 6, |∪| = 8, J = 0.75 >= 0.5, same category -> 0.5
    name: 'wrong type, similar title, same category: 0.5 x 5/5',
    bought: mk('B00008', { type: 'polo shirt', title: 'Classic Cotton Crew Neck Polo Shirt for Men' }),
    options: RIGHT,
    reward: 0.5, typeFactor: 0.5, attributes: ['cotton', 'machine washable'], options_: ['size', 'color'],
    priceOk: true, cause: 'wrong type',
  },
  {
    name: 'wrong type, similar title, other category: 0.1 x 5/5',
    bought: mk('B00009', { type: 'polo shirt', category: 'sports', title: 'Classic Cotton Crew Neck Polo Shirt for Men' }),
    options: RIGHT,
    reward: 0.1, typeFactor: 0.1, attributes: ['cotton', 'machine washable'], options_: ['size', 'color'],
    priceOk: true, cause: 'wrong type',
  },
  {
    // cotton hoodie men pocket vs the target's 7 words: |∩| = 2 (cotton, men), |∪| = 9, J = 0.222 -> 0.1
    name: 'wrong type, a few shared title words: 0.1 x 3/5',
    bought: mk('B00010', {
      type: 'hoodie', title: 'Cotton Hoodie for Men with Pocket', description: 'Warm hoodie.',
      attributes: ['cotton'], features: ['kangaroo pocket'], price: 25,
    }),
    options: { size: 'medium', color: 'gray' },
    reward: 0.1 * 3 / 5, typeFactor: 0.1, attributes: ['cotton'], options_: ['size'],
    priceOk: true, cause: 'wrong type',
  },
  {
    name: 'unrelated type: 0 x 2/5',
    bought: mk('B00011', {
      type: 'coffee', category: 'grocery', title: 'Organic Ground Coffee', description: 'Dark roast.',
      features: ['fair trade'], attributes: ['organic'], options: { size: ['12 ounce'] }, price: 9,
    }),
    options: { size: '12 ounce', color: 'navy' },
    reward: 0, typeFactor: 0, attributes: [], options_: ['color'],
    priceOk: true, cause: 'wrong type',
  },
  {
    name: 'nothing asked but the price, within it: 1/1',
    goal: GOAL_PRICE_ONLY, bought: mk('B00012', { attributes: [] }), options: {},
    reward: 1, typeFactor: 1, attributes: [], options_: [], priceOk: true, cause: 'success',
  },
  {
    name: 'nothing asked but the price, over it: 0/1',
    goal: GOAL_PRICE_ONLY, bought: mk('B00013', { price: 99.99 }), options: RIGHT,
    reward: 0, typeFactor: 1, attributes: [], options_: [], priceOk: false, cause: 'over price',
  },
];

describe('webshopReward', () => {
  it.each(ROWS)('$name', (row) => {
    const parts = webshopReward(row.goal ?? GOAL, TARGET, { product: row.bought, options: row.options });
    const goal = row.goal ?? GOAL;
    expect(parts.reward).toBeCloseTo(row.reward, 12);
    expect(parts.typeFactor).toBe(row.typeFactor);
    expect(parts.attributes).toEqual({ asked: goal.attributes.length, matched: row.attributes });
    expect(parts.options).toEqual({ asked: Object.keys(goal.options).length, matched: row.options_ });
    expect(parts.priceOk).toBe(row.priceOk);
    expect(parts.success).toBe(row.reward === 1);
    if (row.reward === 1) expect(parts.reward).toBe(1); // exactly, not just close
    expect(rewardCause(parts)).toBe(row.cause);
  });

  it('covers every cause', () => {
    const causes = new Set(ROWS.map((r) => r.cause));
    expect([...causes].sort()).toEqual(['missing attribute', 'over price', 'success', 'wrong option', 'wrong type']);
  });

  it('the fuzzy text match uses stemmed content words (plurals) and needs every word', () => {
    const g: Goal = { ...GOAL, attributes: ['long sleeve', 'button down'], options: {} };
    const bought = mk('B00020', { attributes: [], title: 'Shirt with Long Sleeves', description: 'Buttons down the front.' });
    // "button down" -> button, down; "Buttons down" -> button, down: matched. "long sleeve": matched via plural.
    expect(webshopReward(g, TARGET, { product: bought, options: {} }).attributes.matched)
      .toEqual(['long sleeve', 'button down']);
    const noDown = mk('B00021', { attributes: [], title: 'Shirt with Long Sleeves', description: 'Buttons.' });
    expect(webshopReward(g, TARGET, { product: noDown, options: {} }).attributes.matched).toEqual(['long sleeve']);
  });

  it('an attribute of only stop words never matches through the text', () => {
    const g: Goal = { ...GOAL, attributes: ['for the'], options: {} };
    const parts = webshopReward(g, TARGET, { product: TARGET, options: {} });
    expect(parts.attributes.matched).toEqual([]);
    expect(parts.reward).toBeCloseTo(1 / 2, 12);
  });
});

describe('typeFactor and jaccard', () => {
  it('computes Jaccard of content words', () => {
    expect(jaccard(new Set(), new Set())).toBe(0);
    const a = contentWords('Classic Cotton Crew Neck T-Shirt for Men');
    expect([...a].sort()).toEqual(['classic', 'cotton', 'crew', 'men', 'neck', 'shirt', 't']);
    expect(jaccard(a, contentWords('Classic Cotton Crew Neck Polo Shirt for Men'))).toBeCloseTo(6 / 8, 12);
    expect(jaccard(a, contentWords('Cotton Hoodie for Men with Pocket'))).toBeCloseTo(2 / 9, 12);
  });

  it('is 1 for the same type whatever the titles', () => {
    expect(typeFactor(GOAL, TARGET, mk('X', { title: 'Completely Different Words', type: 'T-Shirt' }))).toBe(1);
  });

  it('thresholds: J >= 0.5 & same category -> 0.5; J >= 0.2 -> 0.1; else 0', () => {
    // target title words: blue ceramic mug
    const small = mk('T', { type: 'mug', category: 'home', title: 'Blue Ceramic Mug' }); // blue ceramic mug
    const g: Goal = { ...GOAL, type: 'mug' };
    const other = (title: string, category = 'home'): Product => mk('O', { type: 'cup', category, title });
    expect(typeFactor(g, small, other('Blue Ceramic Cup'))).toBe(0.5); // 2/4 = 0.5
    expect(typeFactor(g, small, other('Blue Ceramic Cup', 'kitchen'))).toBe(0.1);
    expect(typeFactor(g, small, other('Blue Glass Cup Set'))).toBe(0); // 1/6 < 0.2
    expect(typeFactor(g, small, other('Blue Cup'))).toBe(0.1); // 1/4 = 0.25
    expect(typeFactor(g, small, other('Red Cup'))).toBe(0); // 0
  });
});
