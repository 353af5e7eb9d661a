import { describe, expect, it } from 'vitest';
import { suggestKey } from './errors';
import { flattenConfig } from './flat';
import { defaultConfig } from './schema';
import { everyFieldChanged } from './test-fixtures';
import { ConfigError, setValue, validateConfig, validateConfigAll, validateValue } from './validate';

/** Runs `fn`, expecting a ConfigError; returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('fills defaults for a partial nested object and for an empty one', () => {
    expect(validateConfig({})).toEqual(defaultConfig());
    const c = validateConfig({ algorithm: { tau: 0.05 }, actor_rollout_ref: { rollout: { temperature: 0.7 } } });
    expect(c.algorithm.tau).toBe(0.05);
    expect(c.algorithm.gamma).toBe(0.99);
    expect(c.actor_rollout_ref.rollout.temperature).toBe(0.7);
    expect(c.actor_rollout_ref.actor.grad_clip).toBe(1);
  });

  it('accepts a full config unchanged and returns a fresh object', () => {
    const full = everyFieldChanged();
    const out = validateConfig(full);
    expect(out).toEqual(full);
    expect(out).not.toBe(full);
    expect(out.algorithm).not.toBe(full.algorithm);
  });

  it('accepts values exactly on the bounds', () => {
    const c = validateConfig({ algorithm: { tau: 0, gamma: 1, lm_lr: 1e-8 }, seed: 2 ** 31 - 1 });
    expect([c.algorithm.tau, c.algorithm.gamma, c.algorithm.lm_lr, c.seed]).toEqual([0, 1, 1e-8, 2 ** 31 - 1]);
  });

  it('rejects unknown keys at any depth, suggesting the closest known key', () => {
    expect(configError(() => validateConfig({ algorithm: { taux: 0.1 } })).message).toBe(
      'algorithm.taux: unknown key (did you mean algorithm.tau?)',
    );
    const deep = configError(() => validateConfig({ actor_rollout_ref: { actor: { grad_clp: 1 } } }));
    expect(deep.key).toBe('actor_rollout_ref.actor.grad_clp');
    expect(deep.message).toContain('did you mean actor_rollout_ref.actor.grad_clip?');
    const section = configError(() => validateConfig({ algoritm: { tau: 0.1 } }));
    expect(section.message).toBe('algoritm: unknown key (did you mean algorithm?)');
    const far = configError(() => validateConfig({ learning_rate: 1 }));
    expect(far.message).toBe('learning_rate: unknown key');
  });

  it('suggests the field with the same last name when a key sits in the wrong section', () => {
    expect(configError(() => validateConfig({ tau: 0.1 })).message).toBe('tau: unknown key (did you mean algorithm.tau?)');
    expect(suggestKey('actor.entropy_coeff')).toBe('actor_rollout_ref.actor.entropy_coeff');
    expect(suggestKey('gama')).toBeUndefined();
    expect(suggestKey('algorithm.gama')).toBe('algorithm.gamma');
  });

  it('rejects a section given as a value, a value given as a section, and dotted names', () => {
    expect(configError(() => validateConfig({ algorithm: 3 })).message).toBe('algorithm: expected a section (object), got 3');
    expect(configError(() => validateConfig({ seed: { x: 1 } })).message).toBe('seed: expected a number, got a section (object)');
    const dotted = configError(() => validateConfig({ 'algorithm.tau': 0.1 }));
    expect(dotted.key).toBe('algorithm.tau');
    expect(dotted.message).toMatch(/^algorithm\.tau: use nested sections/);
  });

  it('rejects a non-object input', () => {
    for (const bad of [null, undefined, 3, 'x', [1]]) {
      expect(configError(() => validateConfig(bad)).message).toMatch(/expected a nested object/);
    }
  });

  it('rejects wrong types, naming the key', () => {
    expect(configError(() => validateConfig({ seed: 'abc' })).message).toBe('seed: expected a number, got "abc"');
    expect(configError(() => validateConfig({ algorithm: { tau: '0.1' } })).message).toBe(
      'algorithm.tau: expected a number, got "0.1"',
    );
    expect(configError(() => validateConfig({ agent_proxy: { use_turn_scores: 'yes' } })).message).toBe(
      'agent_proxy.use_turn_scores: expected true or false, got "yes"',
    );
    expect(configError(() => validateConfig({ algorithm: { batch_size: null } })).message).toBe(
      'algorithm.batch_size: expected a number, got null',
    );
    expect(configError(() => validateConfig({ env: { name: 3 } })).message).toBe(
      'env.name: 3 is not one of twenty-questions, webshop',
    );
  });

  it('rejects non-integers for int fields', () => {
    const e = configError(() => validateConfig({ algorithm: { batch_size: 3.5 } }));
    expect(e.key).toBe('algorithm.batch_size');
    expect(e.message).toBe('algorithm.batch_size: expected an integer, got 3.5');
  });

  it('rejects out-of-range values on both sides without clamping', () => {
    expect(configError(() => validateConfig({ algorithm: { tau: 1.5 } })).message).toBe(
      'algorithm.tau: 1.5 is above the maximum 1',
    );
    expect(configError(() => validateConfig({ algorithm: { tau: -0.1 } })).message).toBe(
      'algorithm.tau: -0.1 is below the minimum 0',
    );
    expect(configError(() => validateConfig({ algorithm: { lm_lr: 1e-9 } })).message).toBe(
      'algorithm.lm_lr: 1e-9 is below the minimum 1e-8',
    );
    expect(configError(() => validateConfig({ agent_proxy: { max_turn: 0 } })).message).toBe(
      'agent_proxy.max_turn: 0 is below the minimum 1',
    );
    expect(configError(() => validateConfig({ seed: 2 ** 31 })).message).toBe('seed: 2147483648 is above the maximum 2147483647');
  });

  it('rejects non-finite numbers', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      const e = configError(() => validateConfig({ algorithm: { gamma: v } }));
      expect(e.key).toBe('algorithm.gamma');
      expect(e.message).toBe(`algorithm.gamma: expected a finite number, got ${v}`);
    }
  });

  it('rejects a bad enum value, listing the options', () => {
    const e = configError(() => validateConfig({ env: { name: 'foo' } }));
    expect(e.key).toBe('env.name');
    expect(e.message).toBe("env.name: 'foo' is not one of twenty-questions, webshop");
  });

  it('ignores inherited properties and is not fooled by __proto__', () => {
    const input = JSON.parse('{"__proto__": {"seed": 5}, "seed": 1}') as unknown;
    const e = configError(() => validateConfig(input));
    expect(e.key).toBe('__proto__');
    expect(({} as Record<string, unknown>).seed).toBeUndefined();
  });
});

describe('validateConfigAll', () => {
  it('collects every error instead of stopping at the first', () => {
    const { config, errors } = validateConfigAll({
      seed: -1,
      env: { name: 'foo' },
      algorithm: { taux: 1, batch_size: 3.5, gamma: 'x' },
      bogus: {},
    });
    expect(config).toBeUndefined();
    expect(errors.every((e) => e instanceof ConfigError)).toBe(true);
    expect(errors.map((e) => e.key).sort()).toEqual(
      ['algorithm.batch_size', 'algorithm.gamma', 'algorithm.taux', 'bogus', 'env.name', 'seed'].sort(),
    );
    for (const e of errors) expect(e.message.startsWith(`${e.key}: `)).toBe(true);
  });

  it('returns the config and no errors for valid input', () => {
    const { config, errors } = validateConfigAll({ algorithm: { tau: 0.2 } });
    expect(errors).toEqual([]);
    expect(config?.algorithm.tau).toBe(0.2);
  });
});

describe('validateValue', () => {
  it('checks one key', () => {
    expect(validateValue('algorithm.tau', 0.3)).toBe(0.3);
    expect(configError(() => validateValue('algorithm.tau', 2)).message).toBe('algorithm.tau: 2 is above the maximum 1');
    expect(configError(() => validateValue('algorithm', 2)).message).toBe(
      'algorithm: is a section, not a setting (set one of its keys, e.g. algorithm.name)',
    );
  });
});

describe('setValue', () => {
  it('returns a new validated config and leaves the input alone', () => {
    const base = defaultConfig();
    const next = setValue(base, 'algorithm.tau', 0.05);
    expect(next.algorithm.tau).toBe(0.05);
    expect(base.algorithm.tau).toBe(0.1);
    expect(flattenConfig(next)).toEqual({ ...flattenConfig(base), 'algorithm.tau': 0.05 });
    expect(setValue(base, 'env.name', 'webshop').env.name).toBe('webshop');
  });

  it('never clamps: out-of-range, wrong type and unknown keys throw', () => {
    const base = defaultConfig();
    expect(configError(() => setValue(base, 'algorithm.tau', 1.5)).message).toBe('algorithm.tau: 1.5 is above the maximum 1');
    expect(configError(() => setValue(base, 'algorithm.rollout_size', 0)).message).toBe(
      'algorithm.rollout_size: 0 is below the minimum 1',
    );
    expect(configError(() => setValue(base, 'seed', '3')).message).toBe('seed: expected a number, got "3"');
    expect(configError(() => setValue(base, 'algorithm.taux', 0.1)).message).toBe(
      'algorithm.taux: unknown key (did you mean algorithm.tau?)',
    );
    expect(base).toEqual(defaultConfig());
  });
});
