import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { applyOverrides } from './overrides';
import { FIELDS, defaultConfig } from './schema';
import { everyFieldChanged } from './test-fixtures';
import { configFromHash, configToHash } from './url';

describe('configToHash', () => {
  it('is empty for the defaults', () => {
    expect(configToHash(defaultConfig())).toBe('');
  });

  it('lists only non-default values, in table order', () => {
    const c = applyOverrides(defaultConfig(), ['algorithm.tau=0.05', 'seed=3']);
    expect(configToHash(c)).toBe('seed=3&algorithm.tau=0.05');
  });

  it('is URL-safe', () => {
    expect(configToHash(everyFieldChanged())).toMatch(/^[A-Za-z0-9_.\-=&%]+$/);
  });
});

describe('configFromHash', () => {
  it('round-trips every field exactly', () => {
    const changed = everyFieldChanged();
    const hash = configToHash(changed);
    expect(hash.split('&')).toHaveLength(FIELDS.length);
    expect(configFromHash(hash)).toEqual(changed);
    expect(configFromHash(`#${hash}`)).toEqual(changed);
    expect(configFromHash(configToHash(defaultConfig()))).toEqual(defaultConfig());
  });

  it('accepts a leading #, empty parts and percent-encoding', () => {
    expect(configFromHash('')).toEqual(defaultConfig());
    expect(configFromHash('#')).toEqual(defaultConfig());
    const c = configFromHash('#algorithm.tau=0.05&&seed=3&env%2Ename=webshop');
    expect([c.algorithm.tau, c.seed, c.env.name]).toEqual([0.05, 3, 'webshop']);
  });

  it('validates, naming the key', () => {
    expect(() => configFromHash('#algorithm.tau=1.5')).toThrow(new ConfigError('algorithm.tau', '1.5 is above the maximum 1'));
    expect(() => configFromHash('algorithm.taux=0.1')).toThrow('algorithm.taux: unknown key (did you mean algorithm.tau?)');
    expect(() => configFromHash('seed=abc')).toThrow('seed: expected a number, got "abc"');
    expect(() => configFromHash('seed')).toThrow('seed: malformed override "seed": expected key=value');
    expect(() => configFromHash('seed=1&seed=2')).toThrow('seed: given twice in the URL hash');
    expect(() => configFromHash('seed=%E0%A4%A')).toThrow(/^seed: bad percent-encoding/);
  });
});
