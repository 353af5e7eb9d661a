import { describe, expect, expectTypeOf, it } from 'vitest';
import { flattenConfig } from './flat';
import { isPlainObject } from './path';
import { FIELDS, FIELD_KEYS, GROUPS, SECTION_KEYS, defaultConfig, getField, type Config } from './schema';
import { checkValue } from './validate';

/** The spec the lab was asked for: key, kind, default, range, scale. */
const SPEC: readonly [string, string, unknown, number?, number?, string?][] = [
  ['seed', 'int', 0, 0, 2 ** 31 - 1],
  ['trainer.total_training_steps', 'int', 200, 1, 1000000],
  ['trainer.save_freq', 'int', 5, 1, 100000],
  ['trainer.diagnostics', 'boolean', true],
  ['env.name', 'enum', 'twenty-questions'],
  ['env.subset', 'enum', 'full'],
  ['agent_proxy.max_turn', 'int', 20, 1, 50],
  ['agent_proxy.use_turn_scores', 'boolean', true],
  ['algorithm.name', 'enum', 'archer'],
  ['algorithm.replay_buffer_capacity', 'int', 100000, 1, 1e6],
  ['algorithm.rollout_size', 'int', 50, 1, 1024],
  ['algorithm.critic_epochs', 'int', 3, 0, 200],
  ['algorithm.actor_epochs', 'int', 3, 0, 200],
  ['algorithm.warmup_iterations', 'int', 20, 0, 10000],
  ['algorithm.tau', 'number', 0.1, 0, 1],
  ['algorithm.batch_size', 'int', 32, 1, 4096],
  ['algorithm.gamma', 'number', 0.99, 0, 1],
  ['algorithm.lm_lr', 'number', 1e-5, 1e-8, 1, 'log'],
  ['algorithm.critic_lr', 'number', 1e-3, 1e-8, 1, 'log'],
  ['algorithm.adv_estimator', 'enum', 'gae'],
  ['algorithm.high_level_gamma', 'number', 0.95, 0, 1],
  ['archer.alpha', 'number', 0.1, 0, 1],
  ['archer.token_level', 'boolean', false],
  ['archer.kl_coeff', 'number', 0, 0, 10],
  ['archer.turn_aware', 'boolean', false],
  ['archer.cut_is_done', 'boolean', false],
  ['archer.warmup_targets', 'enum', 'td'],
  ['archer.loo_samples', 'int', 0, 0, 16],
  ['actor_rollout_ref.actor.grad_clip', 'number', 1.0, 0, 100],
  ['actor_rollout_ref.actor.entropy_coeff', 'number', 0.001, 0, 1],
  ['actor_rollout_ref.rollout.temperature', 'number', 1.0, 0.01, 5],
  ['algorithm.critic_grad_clip', 'number', 1.0, 0, 100],
  ['model.d_model', 'int', 64, 16, 512],
  ['model.n_layers', 'int', 2, 1, 8],
  ['model.n_heads', 'int', 4, 1, 16],
  ['model.max_len', 'int', 192, 32, 1024],
  ['critic.d_model', 'int', 64, 16, 512],
  ['critic.n_layers', 'int', 1, 1, 8],
  ['critic.init_from_actor', 'boolean', false],
  ['critic.joint_encoding', 'boolean', false],
  ['critic.encoder', 'enum', 'tokens'],
  ['ppo.clip_ratio', 'number', 0.2, 0.01, 0.99],
  ['ppo.lam', 'number', 0.95, 0, 1],
  ['grpo.group_size', 'int', 4, 2, 64],
  ['filtered_bc.top_fraction', 'number', 0.1, 0.001, 1],
  ['apo.beta1', 'number', 0.5, 1e-3, 100, 'log'],
  ['apo.beta2', 'number', 1e-3, 1e-6, 10, 'log'],
  ['apo.num_ref_samples', 'int', 8, 1, 64],
  ['apo.num_prompts', 'int', 64, 1, 4096],
  ['apo.objective', 'enum', 'ls'],
  ['apo.pg_beta', 'number', 0.05, 0, 10],
  ['apo.kl_coeff', 'number', 0.01, 0, 10],
  ['apo.adv_clip', 'number', 2, 0.01, 1000, 'log'],
];

function leafPaths(node: unknown, prefix = ''): string[] {
  if (!isPlainObject(node)) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('field table', () => {
  it('holds exactly the specified fields with their kinds, defaults, ranges and scales', () => {
    expect([...FIELD_KEYS].sort()).toEqual(SPEC.map((s) => s[0]).sort());
    for (const [key, kind, def, min, max, scale] of SPEC) {
      const f = getField(key);
      expect(f, key).toBeDefined();
      expect({ key, kind: f?.kind, default: f?.default }).toEqual({ key, kind, default: def });
      if (min !== undefined) expect({ key, min: f && 'min' in f ? f.min : undefined }).toEqual({ key, min });
      if (max !== undefined) expect({ key, max: f && 'max' in f ? f.max : undefined }).toEqual({ key, max });
      expect({ key, scale: f && 'scale' in f ? f.scale : 'linear' }).toEqual({ key, scale: scale ?? 'linear' });
    }
    expect(getField('algorithm.name').options).toEqual(['archer', 'apo', 'ppo', 'grpo', 'filtered_bc']);
    expect(getField('algorithm.adv_estimator').options).toEqual(['archer', 'gae', 'bi_level_gae', 'grpo', 'apo']);
    expect(getField('env.name').options).toEqual(['twenty-questions', 'webshop']);
    expect(getField('env.subset').options).toEqual(['full', 'subset10', 'archer10', 'archer157']);
    expect(getField('archer.warmup_targets').options).toEqual(['td', 'mc']);
  });

  it('is internally consistent: unique keys, valid defaults, slider hints on every numeric field', () => {
    expect(new Set(FIELD_KEYS).size).toBe(FIELDS.length);
    for (const f of FIELDS) {
      expect(checkValue(f, f.default), f.key).toBeUndefined();
      // No key is both a value and a section.
      expect(SECTION_KEYS.has(f.key), f.key).toBe(false);
      if (f.kind === 'int' || f.kind === 'number') {
        expect(f.min, f.key).toBeLessThan(f.max);
        const log = 'scale' in f && f.scale === 'log';
        if (log) expect(f.min, f.key).toBeGreaterThan(0);
        else expect('step' in f && f.step > 0, `${f.key} needs a step`).toBe(true);
        if (f.kind === 'int') {
          expect(Number.isInteger(f.min) && Number.isInteger(f.max), f.key).toBe(true);
          expect('step' in f && Number.isInteger(f.step), f.key).toBe(true);
        }
      }
    }
  });

  it('gives every field a one-line help text and a group', () => {
    for (const f of FIELDS) {
      expect(f.help.length, f.key).toBeGreaterThan(30);
      expect(f.help.length, f.key).toBeLessThanOrEqual(200);
      expect(f.help, f.key).not.toMatch(/[\r\n]/);
      expect(f.group.length, f.key).toBeGreaterThan(0);
    }
    expect(getField('actor_rollout_ref.actor.grad_clip').help).toMatch(/0\.01.*RAGEN.*1\.0.*/);
    expect(GROUPS).toEqual([...new Set(FIELDS.map((f) => f.group))]);
  });

  it('getField finds known keys and nothing else', () => {
    expect(getField('algorithm.tau').default).toBe(0.1);
    expect(getField('algorithm.taux')).toBeUndefined();
    expect(getField('algorithm')).toBeUndefined();
    expect(getField('toString')).toBeUndefined();
  });
});

describe('defaultConfig', () => {
  it('matches the table, nested by dotted key', () => {
    const c = defaultConfig();
    expect(c.algorithm.tau).toBe(0.1);
    expect(c.actor_rollout_ref.actor.grad_clip).toBe(1);
    expect(c.actor_rollout_ref.rollout.temperature).toBe(1);
    expect(c.env.name).toBe('twenty-questions');
    expect(c.seed).toBe(0);
    expect(flattenConfig(c)).toEqual(Object.fromEntries(FIELDS.map((f) => [f.key, f.default])));
  });

  it('has exactly one leaf per field (the nested shape is in sync with the table)', () => {
    expect(leafPaths(defaultConfig()).sort()).toEqual([...FIELD_KEYS].sort());
  });

  it('returns a fresh object on every call', () => {
    const a = defaultConfig();
    a.algorithm.tau = 0.5;
    a.env.name = 'webshop';
    expect(defaultConfig().algorithm.tau).toBe(0.1);
    expect(defaultConfig().env.name).toBe('twenty-questions');
    expect(defaultConfig().algorithm).not.toBe(defaultConfig().algorithm);
  });

  it('derives the Config type from the table', () => {
    const c = defaultConfig();
    expectTypeOf(c.algorithm.tau).toEqualTypeOf<number>();
    expectTypeOf(c.agent_proxy.use_turn_scores).toEqualTypeOf<boolean>();
    expectTypeOf(c.env.name).toEqualTypeOf<'twenty-questions' | 'webshop'>();
    expectTypeOf(c.algorithm.name).toEqualTypeOf<'archer' | 'apo' | 'ppo' | 'grpo' | 'filtered_bc'>();
    expectTypeOf(c.actor_rollout_ref.actor.grad_clip).toEqualTypeOf<number>();
    expectTypeOf<keyof Config>().toEqualTypeOf<'seed' | 'trainer' | 'env' | 'agent_proxy' | 'algorithm' | 'archer' | 'actor_rollout_ref' | 'ppo' | 'grpo' | 'filtered_bc' | 'apo' | 'model' | 'critic'>();
    expectTypeOf<keyof Config['actor_rollout_ref']>().toEqualTypeOf<'actor' | 'rollout'>();
    expectTypeOf<keyof Config['apo']>().toEqualTypeOf<'beta1' | 'beta2' | 'num_ref_samples' | 'num_prompts' | 'objective' | 'pg_beta' | 'kl_coeff' | 'adv_clip'>();
    // @ts-expect-error -- not a field
    void c.algorithm.taux;
  });
});
