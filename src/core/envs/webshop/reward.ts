/**
 * WebShop's reward on Buy Now, as the reference computes it (princeton-nlp/WebShop
 * web_agent_site/engine/goal.py, get_reward; normalize.py, normalize_color):
 *
 *   r = r_type * (attribute matches + option matches + 1[price <= price_upper]) / (|U_att| + |U_opt| + 1)
 *
 * r_type (get_type_reward), from the bought product and the goal's product:
 *  - query_match: the two products came from the same search query;
 *  - category_match: their category paths (split on '›', trimmed) share at least 2 parts;
 *  - title_score: the share of the goal title's nouns (part-of-speech NOUN or PROPN, lower case,
 *    counted with repeats) that are among the bought title's nouns; 0.2 when the goal title has none.
 *  r_type = 1; 0.5 when none of query_match, category_match, title_score > 0.2 holds; then 0.1 when
 *  title_score < 0.1, and 0 when title_score = 0.
 *  The reference tags parts of speech with spaCy (en_core_web_sm); the lab uses wink-nlp's English
 *  lite model, which runs in the browser. The two taggers disagree on some words, so a title score
 *  can differ from the reference's (reward.test.ts names the one reference case where it does).
 *
 * Attributes (get_attribute_reward): an asked attribute matches when thefuzz's token_set_ratio
 * (fuzzball's port) with one of the product's attributes is above 85, else when it is a substring
 * of the lower-cased title, bullet points (the lab's features, joined by spaces) or description.
 *
 * Options (get_option_reward as get_reward calls it): every chosen option value, colour-normalised
 * (the first colour of COLOR_SET that it contains), against every asked (group, value) pair; a pair
 * matches when token_set_ratio with one chosen value is above 85. The reference passes the pairs
 * themselves (Python tuples): normalize_color of a tuple is the colour equal to one of its two
 * strings, else the tuple, whose text reads "group value" once thefuzz has processed it. So an asked
 * "size: x-large" is met by a chosen "x-large", and also (token sets: one inside the other) by "large".
 *
 * Price: the bought product's price <= goal.priceUpper.
 *
 * success = (reward === 1).
 */
import { token_set_ratio } from 'fuzzball';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Goal, Product } from './types';

export interface Purchase {
  product: Product;
  /** The chosen value per option group; groups not chosen are absent. */
  options: Record<string, string>;
}

export interface TypeMatch {
  /** r_type: 1, 0.5, 0.1 or 0. */
  rType: number;
  queryMatch: boolean;
  categoryMatch: boolean;
  titleScore: number;
}

export interface RewardParts {
  reward: number;
  typeFactor: number;
  /** How r_type came about (the reference's verbose info). */
  type: Omit<TypeMatch, 'rType'>;
  /** `matched`: the asked attributes that matched, in the goal's order. */
  attributes: { asked: number; matched: string[] };
  /** `matched`: the option groups whose asked value was met, in the goal's order. */
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

/** A fuzzy match counts when token_set_ratio is above this (goal.py: `score > 85`). */
export const FUZZY_THRESHOLD = 85;

/** normalize.py COLOR_SET, in its order (normalize_color returns the first one found). */
export const COLOR_SET: readonly string[] = [
  'alabaster', 'apricot', 'aqua', 'ash', 'asphalt', 'azure',
  'banana', 'beige', 'black', 'blue', 'blush', 'bordeaux', 'bronze',
  'brown', 'burgundy', 'camel', 'camo', 'caramel', 'champagne',
  'charcoal', 'cheetah', 'chestnut', 'chocolate', 'christmas', 'coffee',
  'cognac', 'copper', 'coral', 'cranberry', 'cream', 'crystal', 'dark',
  'denim', 'eggplant', 'elephant', 'espresso', 'fuchsia', 'gold', 'granite',
  'grape', 'graphite', 'grass', 'gray', 'green', 'grey', 'heather', 'indigo',
  'ivory', 'ivy', 'khaki', 'lavender', 'lemon', 'leopard', 'light', 'lilac',
  'lime', 'magenta', 'maroon', 'mauve', 'merlot', 'midnight', 'mint', 'mocha',
  'multicolor', 'mushroom', 'mustard', 'natural', 'navy', 'nude', 'olive',
  'orange', 'peach', 'pewter', 'pink', 'plum', 'purple', 'rainbow', 'red',
  'rose', 'royal', 'rust', 'sand', 'sapphire', 'seashell', 'silver', 'skull',
  'slate', 'steel', 'stone', 'stonewash', 'sunflower', 'tan', 'taupe', 'teal',
  'tiger', 'turquoise', 'violet', 'walnut', 'wheat', 'white', 'wine', 'yellow',
];

/** thefuzz's token_set_ratio (0-100, rounded; full processing and ASCII folding on, as thefuzz's defaults). */
export function tokenSetRatio(a: string, b: string): number {
  return token_set_ratio(a, b);
}

/** normalize_color: the first colour of COLOR_SET that occurs in the string, else the string. */
export function normalizeColor(s: string): string {
  for (const c of COLOR_SET) if (s.includes(c)) return c;
  return s;
}

/** normalize_color of an asked (group, value) pair, as get_reward hands it a Python tuple (see the module comment). */
export function normalizeGoalOption(group: string, value: string): string {
  for (const c of COLOR_SET) if (c === group || c === value) return c;
  return `${group} ${value}`;
}

let nlp: ReturnType<typeof winkNLP> | undefined;
const nounCache = new Map<string, string[]>();

/** The title's nouns (NOUN and PROPN), lower case, with repeats, in order (the reference: spaCy's `t.pos_ in ('PNOUN', 'NOUN', 'PROPN')`). */
export function titleNouns(title: string): string[] {
  const hit = nounCache.get(title);
  if (hit) return hit;
  nlp ??= winkNLP(model);
  const its = nlp.its;
  const tokens = nlp.readDoc(title).tokens();
  const words = tokens.out();
  const tags = tokens.out(its.pos);
  const nouns = words.filter((_, i) => tags[i] === 'NOUN' || tags[i] === 'PROPN').map((w) => w.toLowerCase());
  if (nounCache.size > 10_000) nounCache.clear();
  nounCache.set(title, nouns);
  return nouns;
}

/** title_score: the share of the goal title's nouns found among the bought title's nouns (0.2 when the goal title has none). */
export function titleScore(goalTitle: string, boughtTitle: string): number {
  const desired = titleNouns(goalTitle);
  if (desired.length === 0) return 0.2;
  const bought = new Set(titleNouns(boughtTitle));
  const shared = new Set(desired.filter((n) => bought.has(n)));
  return shared.size / desired.length;
}

/** category_match: the two '›'-separated paths share at least 2 parts (order and repeats ignored). */
export function categoryMatch(a: string, b: string): boolean {
  const parts = (p: string) => new Set(p.split('›').map((x) => x.trim()));
  const pa = parts(a);
  let shared = 0;
  for (const x of parts(b)) if (pa.has(x)) shared++;
  return shared >= 2;
}

/** get_type_reward's rule, from its three parts. */
export function rTypeOf(queryMatch: boolean, catMatch: boolean, score: number): number {
  let r = 1;
  if (!(queryMatch || catMatch || score > 0.2)) r = 0.5;
  if (score < 0.1) r = 0.1;
  if (score === 0) r = 0;
  return r;
}

/** get_type_reward: the bought product against the goal's product (its query, category path and title). */
export function typeMatch(bought: Pick<Product, 'query' | 'categoryPath' | 'title'>, goalProduct: Pick<Product, 'query' | 'categoryPath' | 'title'>): TypeMatch {
  const queryMatch = bought.query === goalProduct.query;
  const catMatch = categoryMatch(bought.categoryPath, goalProduct.categoryPath);
  const score = titleScore(goalProduct.title, bought.title);
  return { rType: rTypeOf(queryMatch, catMatch, score), queryMatch, categoryMatch: catMatch, titleScore: score };
}

/** get_attribute_reward: the asked attributes the bought product meets (fuzzy against its attribute list, else as a substring of its text). */
export function matchedAttributes(asked: readonly string[], bought: Pick<Product, 'attributes' | 'title' | 'features' | 'description'>): string[] {
  return asked.filter((g) => {
    if (bought.attributes.some((p) => tokenSetRatio(p, g) > FUZZY_THRESHOLD)) return true;
    return bought.title.toLowerCase().includes(g) || bought.features.join(' ').toLowerCase().includes(g) || bought.description.toLowerCase().includes(g);
  });
}

/**
 * get_option_reward's count: each (already normalised) asked option matches when one chosen value,
 * colour-normalised, scores above 85 with it. Returns the indices of the asked options that matched.
 */
export function matchedOptionIndices(chosen: readonly string[], askedNormalised: readonly string[]): number[] {
  const purchased = chosen.map(normalizeColor);
  const out: number[] = [];
  askedNormalised.forEach((g, i) => {
    if (purchased.some((p) => tokenSetRatio(p, g) > FUZZY_THRESHOLD)) out.push(i);
  });
  return out;
}

/** The option groups whose asked value the chosen options meet (get_reward's option count, by group). */
export function matchedOptions(asked: Readonly<Record<string, string>>, chosen: Readonly<Record<string, string>>): string[] {
  const groups = Object.keys(asked);
  const normalised = groups.map((g) => normalizeGoalOption(g, asked[g]!));
  return matchedOptionIndices(Object.values(chosen), normalised).map((i) => groups[i]!);
}

export function webshopReward(goal: Goal, goalProduct: Product, purchase: Purchase): RewardParts {
  const bought = purchase.product;
  const { rType, ...type } = typeMatch(bought, goalProduct);
  const attMatched = matchedAttributes(goal.attributes, bought);
  const optMatched = matchedOptions(goal.options, purchase.options);
  const optAsked = Object.keys(goal.options).length;
  const priceOk = bought.price <= goal.priceUpper;
  const numerator = attMatched.length + optMatched.length + (priceOk ? 1 : 0);
  const denominator = goal.attributes.length + optAsked + 1;
  const reward = (numerator / denominator) * rType;
  return {
    reward,
    typeFactor: rType,
    type,
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
