import { FIELD_KEYS, SECTION_KEYS } from './schema';

/** A config problem tied to one dotted key; the message always starts with `key: `. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly key: string,
    /** The message without the `key: ` prefix. */
    readonly detail: string,
  ) {
    super(`${key || '(config)'}: ${detail}`);
  }
}

/** How a value reads in an error message: strings quoted, objects named. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a section (object)';
  return String(value);
}

/** `algorithm.taux: unknown key (did you mean algorithm.tau?)` */
export function unknownKeyError(key: string): ConfigError {
  if (SECTION_KEYS.has(key)) {
    const example = FIELD_KEYS.find((k) => k.startsWith(`${key}.`));
    return new ConfigError(key, `is a section, not a setting (set one of its keys, e.g. ${example})`);
  }
  const guess = suggestKey(key);
  return new ConfigError(key, guess ? `unknown key (did you mean ${guess}?)` : 'unknown key');
}

/**
 * The known key (field or section) the user most likely meant: the only field with the same last
 * segment (`tau` -> `algorithm.tau`), else the closest by edit distance when that is small.
 */
export function suggestKey(key: string): string | undefined {
  const last = key.split('.').pop() ?? key;
  const sameLeaf = FIELD_KEYS.filter((k) => k.split('.').pop() === last);
  if (sameLeaf.length === 1 && sameLeaf[0] !== key) return sameLeaf[0];

  const limit = key.length >= 6 ? 2 : 1;
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const candidate of [...FIELD_KEYS, ...SECTION_KEYS]) {
    if (candidate === key) continue;
    const d = editDistance(key, candidate);
    if (d < bestDist) [best, bestDist] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
