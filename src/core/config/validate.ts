import { ConfigError, describeValue, unknownKeyError } from './errors';
import { flattenConfig, unflatten } from './flat';
import { isPlainObject, setPath } from './path';
import {
  FIELDS,
  SECTION_KEYS,
  getField,
  type Config,
  type ConfigValue,
  type FieldKey,
  type FieldSpec,
  type FlatConfig,
} from './schema';

export { ConfigError } from './errors';

/** Why `value` is not acceptable for `field`, or undefined when it is. Never clamps or coerces. */
export function checkValue(field: FieldSpec, value: unknown): string | undefined {
  switch (field.kind) {
    case 'number':
    case 'int':
      if (typeof value !== 'number') return `expected a number, got ${describeValue(value)}`;
      if (!Number.isFinite(value)) return `expected a finite number, got ${value}`;
      if (field.kind === 'int' && !Number.isInteger(value)) return `expected an integer, got ${value}`;
      if (field.min !== undefined && value < field.min) return `${value} is below the minimum ${field.min}`;
      if (field.max !== undefined && value > field.max) return `${value} is above the maximum ${field.max}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${describeValue(value)}`;
    case 'enum': {
      const options = field.options ?? [];
      if (typeof value === 'string' && options.includes(value)) return undefined;
      const shown = typeof value === 'string' ? `'${value}'` : describeValue(value);
      return `${shown} is not one of ${options.join(', ')}`;
    }
    case 'string':
      return typeof value === 'string' ? undefined : `expected a string, got ${describeValue(value)}`;
  }
}

/** Checks one value for one key; returns it typed, or throws ConfigError naming the key. */
export function validateValue<K extends FieldKey>(key: K, value: unknown): FlatConfig[K];
export function validateValue(key: string, value: unknown): ConfigValue;
export function validateValue(key: string, value: unknown): ConfigValue {
  const field = getField(key);
  if (!field) throw unknownKeyError(key);
  const problem = checkValue(field, value);
  if (problem) throw new ConfigError(key, problem);
  return value as ConfigValue;
}

/**
 * Validates a nested, possibly partial config and fills defaults for missing fields. Collects every
 * problem (unknown keys at any depth, wrong types, out-of-range or non-finite numbers, bad enum
 * values); `config` is set only when there are none. For UI forms.
 */
export function validateConfigAll(input: unknown): { config?: Config; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const given = new Map<string, unknown>();
  if (isPlainObject(input)) walk(input, '', given, errors);
  else errors.push(new ConfigError('', `expected a nested object of settings, got ${describeValue(input)}`));

  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const value = given.has(f.key) ? given.get(f.key) : f.default;
    const problem = checkValue(f, value);
    if (problem) errors.push(new ConfigError(f.key, problem));
    setPath(out, f.key, value);
  }
  return errors.length ? { errors } : { config: out as Config, errors };
}

function walk(node: Record<string, unknown>, prefix: string, given: Map<string, unknown>, errors: ConfigError[]): void {
  for (const [name, value] of Object.entries(node)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (name === '') {
      errors.push(new ConfigError(key, 'empty key'));
    } else if (name.includes('.')) {
      errors.push(new ConfigError(key, `use nested sections instead of the dotted name '${name}'`));
    } else if (getField(key)) {
      given.set(key, value);
    } else if (SECTION_KEYS.has(key)) {
      if (isPlainObject(value)) walk(value, key, given, errors);
      else errors.push(new ConfigError(key, `expected a section (object), got ${describeValue(value)}`));
    } else {
      errors.push(unknownKeyError(key));
    }
  }
}

/** validateConfigAll, throwing the first ConfigError. Returns a fresh object. */
export function validateConfig(input: unknown): Config {
  const { config, errors } = validateConfigAll(input);
  if (!config) throw errors[0] ?? new ConfigError('', 'invalid config');
  return config;
}

/** A new validated config with one field changed; the input is left untouched. */
export function setValue(config: Config, key: string, value: unknown): Config {
  const checked = validateValue(key, value);
  return validateConfig(unflatten({ ...flattenConfig(config), [key]: checked }));
}
