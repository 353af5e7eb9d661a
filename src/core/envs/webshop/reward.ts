/**
 * WebShop's reward on Buy Now (Yao et al. 2022; reference: princeton-nlp/WebShop
 * web_agent_site/engine/goal.py, get_reward):
 *
 *   r = r_type * (|U_att ∩ Y_att| + |U_opt ∩ Y_opt| + 1[y_price <= u_price]) / (|U_att| + |U_opt| + 1)
 *
 * U = what the goal asks, Y = the bought product (and the options chosen on its page).
 *
 * r_type (deterministic stand-in for the reference's spaCy noun matching of titles):
 *  - 1   when the bought product's type equals the goal's type (case-insensitive);
 *  - else let J = Jaccard similarity of the content-word sets (`contentWords`) of the goal
 *    product's title and the bought product's title:
 *      0.5 when J >= 0.5 and both products are in the same category,
 *      0.1 when J >= 0.2 (or J >= 0.5 across categories),
 *      0   otherwise.
 *
 * Attributes: an asked attribute matches when it is one of the bought product's attributes
 * (case-insensitive, trimmed), or — the reference's text fallback — when all of its content words
 * (`tokenize`, at least one) occur among the content words of the bought product's title,
 * description and features.
 *
 * Options: an asked option (group -> value) matches when the purchase chose, for that group, a value
 * equal to the asked one (case-insensitive, trimmed). A group not chosen does not match.
 *
 * Price: the bought product's price <= goal.priceUpper.
 *
 * success = (reward === 1), which needs the right type, every attribute, every option and the price.
 */
import { contentWords, tokenize } from './text';
import type { Goal, Product } from './types';

export interface Purchase {
  product: Product;
  /** The chosen value per option group; groups not chosen are absent. */
  options: Record<string, string>;
}

export interface RewardParts {
  reward: number;
  typeFactor: number;
  /** `matched`: the asked attributes that matched, in the goal's order. */
  attributes: { asked: number; matched: string[] };
  /** `matched`: the option groups whose asked value was chosen, in the goal's order. */
  options: { asked: number; matched: string[] };
  priceOk: boolean;
  success: boolean;
}

export type RewardCause = 'success' | 'wrong type' | 'missing attribute' | 'wrong option' | 'over price';

export const REWARD_CAUSES: readonly RewardCause[] = [
  'success',
  'wrong type',
  'missing attribute',
  'wrong option',
  'over price',
];

/** Title-similarity thresholds of the type factor. */
export const TYPE_JACCARD_HALF = 0.5;
export const TYPE_JACCARD_TENTH = 0.2;

const norm = (s: string): string => s.trim().toLowerCase();

/** Jaccard similarity |A ∩ B| / |A ∪ B| (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : inter / union;
}

/** r_type: 1 / 0.5 / 0.1 / 0 (see the module comment). */
export function typeFactor(goal: Goal, goalProduct: Product, bought: Product): number {
  if (norm(bought.type) === norm(goal.type)) return 1;
  const j = jaccard(contentWords(goalProduct.title), contentWords(bought.title));
  if (j >= TYPE_JACCARD_HALF && norm(bought.category) === norm(goalProduct.category)) return 0.5;
  if (j >= TYPE_JACCARD_TENTH) return 0.1;
  return 0;
}

/** The asked attributes the bought product has (attribute list, else all words in its text). */
export function matchedAttributes(asked: readonly string[], bought: Product): string[] {
  const own = new Set(bought.attributes.map(norm));
  let text: Set<string> | undefined;
  return asked.filter((att) => {
    if (own.has(norm(att))) return true;
    const words = tokenize(att);
    if (words.length === 0) return false;
    text ??= contentWords([bought.title, bought.description, ...bought.features].join(' . '));
    const t = text;
    return words.every((w) => t.has(w));
  });
}

/** The option groups whose asked value was chosen. */
export function matchedOptions(asked: Readonly<Record<string, string>>, chosen: Readonly<Record<string, string>>): string[] {
  const byGroup = new Map<string, string>();
  for (const [g, v] of Object.entries(chosen)) byGroup.set(norm(g), norm(v));
  return Object.entries(asked)
    .filter(([g, v]) => byGroup.get(norm(g)) === norm(v))
    .map(([g]) => g);
}

export function webshopReward(goal: Goal, goalProduct: Product, purchase: Purchase): RewardParts {
  const bought = purchase.product;
  const tf = typeFactor(goal, goalProduct, bought);
  const attMatched = matchedAttributes(goal.attributes, bought);
  const optMatched = matchedOptions(goal.options, purchase.options);
  const optAsked = Object.keys(goal.options).length;
  const priceOk = bought.price <= goal.priceUpper;
  const numerator = attMatched.length + optMatched.length + (priceOk ? 1 : 0);
  const denominator = goal.attributes.length + optAsked + 1;
  const reward = (tf * numerator) / denominator;
  return {
    reward,
    typeFactor: tf,
    attributes: { asked: goal.attributes.length, matched: attMatched },
    options: { asked: optAsked, matched: optMatched },
    priceOk,
    success: reward === 1,
  };
}

/** The first failing part, in the order type, attributes, options, price; 'success' if none. */
export function rewardCause(parts: RewardParts): RewardCause {
  if (parts.success) return 'success';
  if (parts.typeFactor < 1) return 'wrong type';
  if (parts.attributes.matched.length < parts.attributes.asked) return 'missing attribute';
  if (parts.options.matched.length < parts.options.asked) return 'wrong option';
  if (!parts.priceOk) return 'over price';
  return 'success';
}
