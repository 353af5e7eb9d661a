import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyOverrides } from '../../config';
import { createActor } from '../../agents/models';
import { twentyQuestionsTokenizer } from '../../envs/twenty-questions/corpus';
import { FULL_KB } from '../../envs/twenty-questions/kb';
import { TwentyQuestionsEnv } from '../../envs/twenty-questions/env';
import { ArcherTrainer } from './trainer';
import { tinyConfig, tinyTrainer } from './test-support';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const tiny = tinyConfig(['algorithm.warmup_iterations=1']);

function makeTrainer(config = tiny) {
  const trainer = tinyTrainer(config);
  return { trainer, actor: trainer.actor, critic: trainer.critic };
}

describe('ArcherTrainer', () => {
  it('keeps tf.memory().numTensors unchanged across 5 training iterations', async () => {
    const { trainer, actor, critic } = makeTrainer();
    await trainer.step(); // warm-up iteration: critic only
    await trainer.step(); // first actor step: Adam creates its moment variables here
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await trainer.step();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    actor.dispose();
    critic.dispose();
  });

  it('fills the replay buffer, respects warm-up, and logs the metric names of DESIGN.md', async () => {
    const { trainer, actor, critic } = makeTrainer();
    const first = await trainer.step();
    expect(first.metrics['actor/pg_loss']).toBeUndefined(); // still warming up
    expect(trainer.replay.size).toBe(first.episodes.reduce((n, e) => n + e.steps.length, 0));
    const second = await trainer.step();
    for (const key of [
      'critic/q1/mean', 'critic/q1/min', 'critic/q1/max', 'critic/q1/std', 'critic/q2/mean', 'critic/v1/mean', 'critic/v2/std',
      'critic/target_q1/mean', 'critic/target_q2/mean', 'critic/q1_loss', 'critic/q2_loss', 'critic/v1_loss', 'critic/v2_loss',
      'actor/pg_loss', 'actor/advantage/mean', 'actor/advantage/std', 'rollout/return/mean', 'rollout/success_rate',
      'rollout/invalid_rate', 'perf/tokens_per_s', 'perf/step_ms', 'perf/rollout_ms', 'perf/critic_ms', 'perf/actor_ms',
    ]) {
      expect(Number.isFinite(second.metrics[key]), key).toBe(true);
    }
    expect(second.metrics.trajectories).toBe(4);
    trainer.dispose();
    actor.dispose();
    critic.dispose();
  });

  it('moves the target critic toward the online critic by tau after each critic step', async () => {
    const { trainer, actor, critic } = makeTrainer();
    await trainer.collect();
    const online0 = critic.variables().map((v) => v.dataSync().slice());
    const target0 = trainer.target.variables().map((v) => v.dataSync().slice());
    expect(target0[3]).toEqual(online0[3]); // starts as a copy
    await trainer.criticStep();
    const online1 = critic.variables().map((v) => v.dataSync());
    const target1 = trainer.target.variables().map((v) => v.dataSync());
    const tau = tiny.algorithm.tau;
    for (let k = 0; k < online1.length; k++) {
      for (let i = 0; i < Math.min(5, online1[k]!.length); i++) {
        expect(target1[k]![i]).toBeCloseTo((1 - tau) * target0[k]![i]! + tau * online1[k]![i]!, 5);
      }
    }
    trainer.dispose();
    actor.dispose();
    critic.dispose();
  });

  it('token-level variant: fits the token baseline toward the advantage without leaking tensors', async () => {
    const config = applyOverrides(tiny, ['archer.token_level=true', 'algorithm.warmup_iterations=0']);
    const { trainer, actor, critic } = makeTrainer(config);
    const first = await trainer.step();
    expect(Number.isFinite(first.metrics['actor/token_baseline_loss'])).toBe(true);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await trainer.step();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    actor.dispose();
    critic.dispose();
  });

  it('archer.kl_coeff: KL to a reference with the same weights is 0 at first, grows as the actor moves, leaks nothing', async () => {
    const config = applyOverrides(tiny, ['archer.kl_coeff=0.5', 'algorithm.warmup_iterations=0', 'algorithm.actor_epochs=2']);
    const tokenizer = twentyQuestionsTokenizer(FULL_KB);
    const actor = createActor(config, tokenizer);
    const reference = createActor(config, tokenizer);
    reference.setWeights(actor.getWeights());
    const base = tinyTrainer(config);
    base.actor.dispose();
    base.dispose();
    const { subset } = config.env;
    const trainer = new ArcherTrainer({ config, actor, critic: base.critic, reference, makeEnv: () => new TwentyQuestionsEnv({ subset, maxTurns: 4 }) });
    await trainer.collect();
    const first = await trainer.actorStep();
    expect(first.metrics['actor/kl']).toBeCloseTo(0, 5); // the gradient step comes after the KL is measured
    let last = first;
    for (let i = 0; i < 4; i++) last = await trainer.actorStep();
    expect(last.metrics['actor/kl']).toBeGreaterThan(1e-4);
    // loss = pg - entropy_coeff * entropy + kl_coeff * kl, as logged
    const m = last.metrics;
    expect(m['actor/loss']).toBeCloseTo(m['actor/pg_loss']! - config.actor_rollout_ref.actor.entropy_coeff * m['actor/entropy']! + 0.5 * m['actor/kl']!, 4);
    await trainer.step(); // the first critic step: Adam creates the critic's moment variables here
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) await trainer.step();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    actor.dispose();
    reference.dispose();
    base.critic.dispose();
  });

  it('archer.kl_coeff > 0 without a reference policy is refused with a clear error, leaking nothing', async () => {
    const { trainer, actor, critic } = makeTrainer(applyOverrides(tiny, ['archer.kl_coeff=0.1']));
    await trainer.collect();
    const before = tf.memory().numTensors;
    await expect(trainer.actorStep()).rejects.toThrow(/archer.kl_coeff is 0.1 but this trainer has no reference policy/);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    actor.dispose();
    critic.dispose();
  });
});
