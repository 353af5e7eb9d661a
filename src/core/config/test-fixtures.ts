/** Shared by the config tests: a valid config in which every field differs from its default. */
import { unflatten } from './flat';
import { FIELDS, type Config, type ConfigValue, type Field } from './schema';
import { validateConfig } from './validate';

function otherValue(f: Field): ConfigValue {
  switch (f.kind) {
    case 'boolean':
      return !f.default;
    case 'enum':
      return f.options.find((o) => o !== f.default) ?? f.default;
    case 'int': {
      const v = Math.floor(f.min + (f.max - f.min) * 0.37);
      return v === f.default ? v + 1 : v;
    }
    case 'number':
      // Awkward binary fractions, to prove values survive text round trips bit for bit.
      return 'scale' in f && f.scale === 'log'
        ? Math.sqrt(f.min * f.max) * 1.2345678901234567
        : f.min + (f.max - f.min) * 0.3712345678901234;
  }
}

export function everyFieldChanged(): Config {
  return validateConfig(unflatten(Object.fromEntries(FIELDS.map((f) => [f.key, otherValue(f)]))));
}
