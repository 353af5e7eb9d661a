import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { flattenConfig, getValue, unflatten } from './flat';
import { FIELDS, FIELD_KEYS, defaultConfig } from './schema';
import { everyFieldChanged } from './test-fixtures';
import { validateConfig } from './validate';

describe('flattenConfig / unflatten', () => {
  it('flattens to one dotted key per field, in table order', () => {
    const flat = flattenConfig(defaultConfig());
    expect(Object.keys(flat)).toEqual(FIELD_KEYS);
    expect(flat['algorithm.tau']).toBe(0.1);
    expect(flat['actor_rollout_ref.rollout.temperature']).toBe(1);
  });

  it('round-trips every field', () => {
    const changed = everyFieldChanged();
    const flat = flattenConfig(changed);
    for (const f of FIELDS) expect(flat[f.key], f.key).not.toBe(f.default);
    expect(unflatten(flat)).toEqual(changed);
    expect(validateConfig(unflatten(flat))).toEqual(changed);
  });

  it('unflattens dotted keys into nested sections', () => {
    expect(unflatten({ 'a.b.c': 1, 'a.d': 2, e: 3 })).toEqual({ a: { b: { c: 1 }, d: 2 }, e: 3 });
  });

  it('throws on clashing keys instead of silently dropping one', () => {
    expect(() => unflatten({ a: 1, 'a.b': 2 })).toThrow(/'a' is a value/);
    expect(() => unflatten({ 'a.b': 2, a: 1 })).toThrow(/'a' is a section/);
    expect(() => unflatten({ 'a..b': 1 })).toThrow(/empty segment/);
  });

  it('keeps __proto__ as a plain own key (no prototype pollution)', () => {
    const out = unflatten({ '__proto__.polluted': 1 });
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => validateConfig(out)).toThrow(ConfigError);
  });
});

describe('getValue', () => {
  it('reads a field by dotted key', () => {
    const c = everyFieldChanged();
    expect(getValue(c, 'algorithm.tau')).toBe(c.algorithm.tau);
    expect(getValue(c, 'actor_rollout_ref.actor.grad_clip')).toBe(c.actor_rollout_ref.actor.grad_clip);
    expect(getValue(c, 'env.name')).toBe('webshop');
  });

  it('throws a ConfigError naming an unknown key', () => {
    expect(() => getValue(defaultConfig(), 'algorithm.taux')).toThrow(
      new ConfigError('algorithm.taux', 'unknown key (did you mean algorithm.tau?)'),
    );
  });
});
