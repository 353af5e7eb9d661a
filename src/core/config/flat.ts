import { unknownKeyError } from './errors';
import { getPath, setPath } from './path';
import { FIELDS, isFieldKey, type Config, type ConfigValue, type FieldKey, type FlatConfig } from './schema';

/** `{ 'algorithm.tau': 0.1, ... }` with every field, in table order. */
export function flattenConfig(config: Config): Record<string, ConfigValue> {
  const flat: Record<string, ConfigValue> = {};
  for (const f of FIELDS) flat[f.key] = getPath(config, f.key) as ConfigValue;
  return flat;
}

/**
 * Nests dotted keys: `{ 'a.b': 1, c: 2 }` -> `{ a: { b: 1 }, c: 2 }`. No validation of names or
 * values (pass the result to validateConfig); throws when one key is a prefix of another.
 */
export function unflatten(flat: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) setPath(out, key, value);
  return out;
}

/** The value of one field; throws ConfigError for an unknown key. */
export function getValue<K extends FieldKey>(config: Config, key: K): FlatConfig[K];
export function getValue(config: Config, key: string): ConfigValue;
export function getValue(config: Config, key: string): ConfigValue {
  if (!isFieldKey(key)) throw unknownKeyError(key);
  return getPath(config, key) as ConfigValue;
}
