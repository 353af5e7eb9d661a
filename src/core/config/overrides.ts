import { ConfigError, describeValue, unknownKeyError } from './errors';
import { flattenConfig, unflatten } from './flat';
import { getField, type Config, type ConfigValue, type FieldKey, type FieldSpec } from './schema';
import { validateConfig, validateValue } from './validate';

/** A plain decimal or scientific literal: `3`, `-0.5`, `.5`, `1e5`, `2.5E-3`. No hex, no `inf`. */
const NUMBER_LITERAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/**
 * Parses the text of one value by the field's kind (int: integer literal, `1e5` allowed when
 * integral; number: finite literal; boolean: true/false/1/0/yes/no; enum/string: the raw text,
 * one pair of surrounding quotes removed) and validates it, range included.
 */
export function parseFieldValue(field: FieldSpec, text: string): ConfigValue {
  const raw = text.trim();
  let value: unknown = raw;
  if (field.kind === 'number' || field.kind === 'int') {
    if (!NUMBER_LITERAL.test(raw)) throw new ConfigError(field.key, `expected a number, got ${describeValue(raw)}`);
    value = Number(raw);
  } else if (field.kind === 'boolean') {
    const word = raw.toLowerCase();
    if (TRUE_WORDS.has(word)) value = true;
    else if (FALSE_WORDS.has(word)) value = false;
    else throw new ConfigError(field.key, `expected true/false/yes/no/1/0, got ${describeValue(raw)}`);
  } else {
    value = unquote(raw);
  }
  return validateValue(field.key, value);
}

function unquote(s: string): string {
  const q = s[0];
  return s.length >= 2 && (q === '"' || q === "'") && s.endsWith(q) ? s.slice(1, -1) : s;
}

/** `'algorithm.tau=0.05'` -> `{ key: 'algorithm.tau', value: 0.05 }`; throws ConfigError naming the key. */
export function parseOverride(text: string): { key: FieldKey; value: ConfigValue } {
  const eq = text.indexOf('=');
  if (eq < 0) {
    const key = text.trim();
    throw new ConfigError(key, `malformed override ${describeValue(text)}: expected key=value`);
  }
  const key = text.slice(0, eq).trim();
  if (!key) throw new ConfigError('', `malformed override ${describeValue(text)}: missing key before '='`);
  const field = getField(key);
  if (!field) throw unknownKeyError(key);
  return { key: field.key, value: parseFieldValue(field, text.slice(eq + 1)) };
}

/** Applies Hydra-style overrides in order (a later one wins); returns a new validated config. */
export function applyOverrides(config: Config, overrides: readonly string[]): Config {
  const flat = flattenConfig(config);
  for (const text of overrides) {
    const { key, value } = parseOverride(text);
    flat[key] = value;
  }
  return validateConfig(unflatten(flat));
}
