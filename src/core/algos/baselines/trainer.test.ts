import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createActor, createCritic } from '../../agents/models';
import { twentyQuestionsTokenizer } from '../../envs/twenty-questions/corpus';
import { FULL_KB } from '../../envs/twenty-questions/kb';
import { TwentyQuestionsEnv } from '../../envs/twenty-questions/env';
import type { Config } from '../../config';
import { tinyConfig } from '../archer/test-support';
import { OnPolicyTrainer, onPolicyConfigError } from './trainer';

await tf.setBackend('cpu');

function build(config: Config): OnPolicyTrainer {
  const tok = twentyQuestionsTokenizer(FULL_KB);
  const { subset } = config.env;
  const maxTurns = config.agent_proxy.max_turn;
  return new OnPolicyTrainer({
    config,
    actor: createActor(config, tok, 11),
    valueNet: config.algorithm.name === 'ppo' ? createCritic(config, tok, 12) : undefined,
    makeEnv: () => new TwentyQuestionsEnv({ subset, maxTurns }),
  });
}

function dispose(t: OnPolicyTrainer): void {
  t.dispose();
  t.actor.dispose();
  t.valueNet?.dispose();
}

async function snapshot(vars: readonly tf.Variable[]): Promise<Float32Array[]> {
  return Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
}

function changed(a: Float32Array[], b: Float32Array[]): boolean {
  return a.some((x, i) => x.some((v, j) => v !== b[i]![j]));
}

const CASES: [string, string[], string[]][] = [
  ['ppo with GAE', ['algorithm.name=ppo', 'algorithm.adv_estimator=gae'], ['actor/pg_loss', 'actor/clip_frac', 'actor/approx_kl', 'critic/value_loss', 'critic/value/mean', 'actor/advantage/mean']],
  ['ppo with bi-level GAE', ['algorithm.name=ppo', 'algorithm.adv_estimator=bi_level_gae'], ['actor/pg_loss', 'critic/value_loss', 'actor/turn_advantage/mean']],
  ['ppo with the archer estimator', ['algorithm.name=ppo', 'algorithm.adv_estimator=archer'], ['actor/pg_loss', 'critic/value_loss', 'actor/turn_advantage/mean']],
  ['grpo', ['algorithm.name=grpo', 'grpo.group_size=2', 'algorithm.rollout_size=4'], ['actor/pg_loss', 'actor/clip_frac', 'actor/advantage/mean']],
  ['filtered BC', ['algorithm.name=filtered_bc', 'algorithm.rollout_size=4'], ['actor/bc_loss', 'filtered_bc/threshold', 'filtered_bc/kept_episodes']],
];

describe('OnPolicyTrainer', () => {
  it.each(CASES)('%s: an iteration plays rollout_size episodes, moves the actor and reports its numbers', async (_name, overrides, keys) => {
    const t = build(tinyConfig(overrides));
    const before = await snapshot(t.actorVariables());
    const valueBefore = t.valueNet ? await snapshot(t.valueNet.valueVariables()) : [];
    const r = await t.step();
    expect(r.episodes).toHaveLength(t.config.algorithm.rollout_size);
    expect(t.trajectories).toBe(t.config.algorithm.rollout_size);
    expect(r.metrics.iteration).toBe(1);
    for (const k of keys) expect(Number.isFinite(r.metrics[k]), k).toBe(true);
    expect(changed(before, await snapshot(t.actorVariables()))).toBe(true);
    if (t.valueNet) expect(changed(valueBefore, await snapshot(t.valueNet.valueVariables()))).toBe(true);
    dispose(t);
  });

  it('the first clipped step sees ratio 1: no clipping, approximate KL 0 (old log-probs match the policy that played)', async () => {
    const t = build(tinyConfig(['algorithm.name=ppo', 'algorithm.actor_epochs=1', 'algorithm.batch_size=4096']));
    const r = await t.step();
    expect(r.metrics['actor/clip_frac']).toBe(0);
    expect(Math.abs(r.metrics['actor/approx_kl']!)).toBeLessThan(1e-5);
    dispose(t);
  });

  it('GRPO plays group_size episodes from each start', async () => {
    const t = build(tinyConfig(['algorithm.name=grpo', 'grpo.group_size=3', 'algorithm.rollout_size=6']));
    const { episodes } = await t.step();
    const seeds = episodes.map((e) => e.seed);
    expect(new Set(seeds).size).toBe(2);
    expect(seeds.slice(0, 3).every((s) => s === seeds[0])).toBe(true);
    dispose(t);
  });

  it('filtered BC imitates the top share of every return seen so far', async () => {
    const t = build(tinyConfig(['algorithm.name=filtered_bc', 'algorithm.rollout_size=10', 'filtered_bc.top_fraction=0.2']));
    const a = await t.step();
    const b = await t.step();
    const all = [...a.episodes, ...b.episodes].map((e) => e.return).sort((x, y) => y - x);
    expect(b.metrics['filtered_bc/seen_episodes']).toBe(20);
    expect(b.metrics['filtered_bc/threshold']).toBe(all[3]); // the 4th best of 20 (top 20%)
    dispose(t);
  });

  it('refuses settings it cannot run, with the reason', () => {
    expect(onPolicyConfigError(tinyConfig(['algorithm.name=ppo', 'algorithm.adv_estimator=grpo']))).toMatch(/adv_estimator must be gae, bi_level_gae or archer.*algorithm.name=grpo/);
    expect(onPolicyConfigError(tinyConfig(['algorithm.name=grpo', 'grpo.group_size=4', 'algorithm.rollout_size=6']))).toMatch(/multiple of it/);
    expect(onPolicyConfigError(tinyConfig(['algorithm.name=archer']))).toMatch(/not an on-policy baseline/);
    expect(() => build(tinyConfig(['algorithm.name=grpo', 'grpo.group_size=4', 'algorithm.rollout_size=6']))).toThrow(/multiple/);
  });

  it('applies live settings and refuses restart ones', async () => {
    const t = build(tinyConfig(['algorithm.name=ppo']));
    expect(t.updateConfig(tinyConfig(['algorithm.name=ppo', 'ppo.clip_ratio=0.1']))).toEqual(['ppo.clip_ratio']);
    expect(() => t.updateConfig(tinyConfig(['algorithm.name=ppo', 'ppo.clip_ratio=0.1', 'grpo.group_size=8']))).toThrow(/grpo.group_size cannot change/);
    dispose(t);
  });

  it.each(['ppo', 'grpo', 'filtered_bc'])('%s: no tensor growth across iterations', async (name) => {
    const t = build(tinyConfig([`algorithm.name=${name}`, 'algorithm.rollout_size=4', 'grpo.group_size=2']));
    await t.step(); // optimiser slots are created on the first step
    const n0 = tf.memory().numTensors;
    await t.step();
    await t.step();
    expect(tf.memory().numTensors).toBe(n0);
    dispose(t);
  });
});
