/**
 * Text normalisation shared by WebShop's search (BM25) and reward (title / attribute matching).
 *
 * tokenize(text):
 *  1. lower-case;
 *  2. split into maximal runs of letters and digits (Unicode \p{L} / \p{N}); everything else
 *     (spaces, punctuation, '-', '.', '$', ...) separates tokens, so "t-shirt" -> "t", "shirt" and
 *     "12.99" -> "12", "99";
 *  3. drop the small English stop-word list below (function words plus the fillers instructions
 *     use: "i need", "looking for", "would like", "please");
 *  4. stem every remaining token with `stem` (plural stripping only, see there).
 *
 * Pure and deterministic; no DOM or Node APIs.
 */

/** Function words and instruction fillers that carry no product information. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'for', 'with', 'without', 'to', 'in', 'on', 'at',
  'by', 'from', 'into', 'as', 'than', 'that', 'this', 'these', 'those', 'it', 'its', 'is', 'are',
  'was', 'were', 'be', 'been', 'am', 'do', 'does', 'did', 'has', 'have', 'had', 'i', 'me', 'my',
  'we', 'our', 'you', 'your', 'he', 'she', 'they', 'them', 'their', 'so', 'if', 'then', 'also',
  'very', 'can', 'will', 'would', 'should', 'could', 'some', 'any', 'all', 'just', 'about',
  'want', 'need', 'looking', 'like', 'please', 'find',
]);

/**
 * Light stemmer: strips English plural endings only, so singular and plural forms meet.
 *  - words of 3 letters or fewer are kept ("gas", "bus");
 *  - "...ss", "...us", "...is" are not plurals: kept ("glass", "cactus", "analysis");
 *  - "...ies" -> "...y" when the word is longer than 4 letters ("batteries" -> "battery");
 *  - "...sses" -> "...ss" ("glasses" -> "glass");
 *  - "...xes", "...ches", "...shes" drop "es" ("boxes" -> "box", "watches" -> "watch");
 *  - any other "...s" drops the "s" ("shirts" -> "shirt", "shoes" -> "shoe", "cases" -> "case").
 * No other suffixes are touched ("washable" stays "washable").
 */
export function stem(word: string): string {
  const w = word;
  if (w.length <= 3 || !w.endsWith('s')) return w;
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w;
  if (w.endsWith('ies')) return w.length > 4 ? `${w.slice(0, -3)}y` : w;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes')) return w.slice(0, -2);
  return w.slice(0, -1);
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased letter/digit runs, without stop-word removal or stemming. */
export function rawTokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Lower-case, split on non letters/digits, drop stop words, stem plurals. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const t of rawTokens(text)) {
    if (STOP_WORDS.has(t)) continue;
    out.push(stem(t));
  }
  return out;
}

/** The set of content words (tokenize's output) of a text. */
export function contentWords(text: string): Set<string> {
  return new Set(tokenize(text));
}
