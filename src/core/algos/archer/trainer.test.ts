import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyOverrides } from '../../config';
import { createActor, createCritic } from '../../agents/models';
import { twentyQuestionsTokenizer } from '../../envs/twenty-questions/corpus';
import { FULL_KB } from '../../envs/twenty-questions/kb';
import { TwentyQuestionsEnv } from '../../envs/twenty-questions/env';
import { WebShopAgentEnv } from '../../envs/webshop/agent-env';
import { webShopTokenizer } from '../../envs/webshop/corpus';
import { ArcherTrainer, criticStateText } from './trainer';
import { EOU } from '../../text/tokenizer';
import { disposeTrainer, tinyConfig, tinyTrainer } from './test-support';

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

describe('ArcherTrainer: the critic steps\' a^pi', () => {
  it('draws a^pi for every critic step of an iteration first, batch_size states a call in order of length, each step getting its own batch\'s', async () => {
    const t = tinyTrainer(tinyConfig(['algorithm.critic_epochs=3', 'algorithm.actor_epochs=1', 'algorithm.batch_size=4', 'algorithm.rollout_size=3']));
    await t.collect();
    const log: string[] = [];
    const lengths: number[][] = [];
    const generate = t.actor.generate.bind(t.actor);
    // Each sampled utterance is tagged with its context's length, so the test can see which state it was drawn for.
    const tag = (length: number) => 5 + (length % 7);
    t.actor.generate = async (contexts, opts) => {
      log.push(`generate ${contexts.length}`);
      lengths.push(contexts.map((c) => c.length));
      const out = await generate(contexts, opts);
      return { ...out, tokens: contexts.map((c) => [tag(c.length)]), finished: contexts.map(() => true) };
    };
    const criticStep = t.criticStep.bind(t);
    const seen: { states: string[]; aPi: number[][] }[] = [];
    t.criticStep = (opts = {}) => {
      log.push('critic step');
      seen.push({ states: opts.batch!.map((b) => b.state), aPi: opts.aPi! });
      return criticStep(opts);
    };
    const collect = t.collect.bind(t);
    t.collect = async () => {
      const r = await collect();
      log.length = 0; // the rollout's own sampling is not what this test is about
      lengths.length = 0;
      return r;
    };
    await t.step();
    // three draws of 4 states (sorted by length across all 12), then the three critic steps, then the actor step's own draw
    expect(log).toEqual(['generate 4', 'generate 4', 'generate 4', 'critic step', 'critic step', 'critic step', 'generate 4']);
    const drawn = lengths.slice(0, 3).flat();
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
    for (const x of seen) {
      expect(x.states).toHaveLength(4);
      // each state's a^pi is the one drawn for that state (its tag), then <eou>
      expect(x.aPi).toEqual(x.states.map((state) => [tag(t.actor.tokenizer.encode(state).length), EOU]));
    }
    disposeTrainer(t);
  });
});

describe('archer.turn_aware', () => {
  it('criticStateText appends the steps taken, only when asked, and refuses a missing turn', () => {
    expect(criticStateText('Page: item.\n', 3, false)).toBe('Page: item.\n');
    expect(criticStateText('Page: item.\n', 3, true)).toBe('Page: item.\nSteps: 3.\n');
    expect(criticStateText('Page: item.', 0, true)).toBe('Page: item.\nSteps: 0.\n');
    expect(() => criticStateText('Page: item.\n', undefined, true)).toThrow(/needs the turn of every transition/);
    expect(() => criticStateText('Page: item.\n', -1, true)).toThrow(/needs the turn/);
  });

  function webShopTrainer(overrides: string[]) {
    const config = applyOverrides(tiny, ['env.name=webshop', 'model.max_len=128', 'algorithm.warmup_iterations=0', ...overrides]);
    const tokenizer = webShopTokenizer();
    const actor = createActor(config, tokenizer);
    const critic = createCritic(config, tokenizer);
    const trainer = new ArcherTrainer({ config, actor, critic, makeEnv: () => new WebShopAgentEnv({ split: 'train', maxSteps: 2 }) });
    return { trainer, actor, critic };
  }

  it('on WebShop: stores the step-limit cut as done, the critic reads the step count, nothing leaks', async () => {
    const { trainer, actor, critic } = webShopTrainer(['archer.turn_aware=true', 'algorithm.rollout_size=4']);
    const { episodes, transitions } = await trainer.collect();
    const cut = episodes.filter((e) => e.truncated && !e.terminated);
    expect(cut.length).toBeGreaterThan(0); // a random 16-wide actor rarely buys within 2 steps
    for (const t of transitions) {
      const e = episodes[t.episode! - (trainer.trajectories - episodes.length)]!;
      expect(t.done).toBe(t.turn === e.steps.length - 1); // every episode ends, by purchase or by the cut
    }
    // The same state and action at two different turns: the critic's values differ.
    const t0 = transitions[0]!;
    const batch = [{ ...t0, turn: 0 }, { ...t0, turn: 1 }];
    const { explain } = await trainer.criticStep({ batch, aPi: [[2], [2]], explain: true });
    expect(explain!.pred.q1[0]).not.toBeCloseTo(explain!.pred.q1[1]!, 6);
    await trainer.step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) await trainer.step();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    actor.dispose();
    critic.dispose();
  });

  it('is refused where the vocabulary cannot write the step line (Twenty Questions)', () => {
    expect(() => tinyTrainer(applyOverrides(tiny, ['archer.turn_aware=true']))).toThrow(/archer.turn_aware: this environment's vocabulary/);
  });
});

describe('ArcherTrainer: Monte Carlo warm-up and the cut as an end (the learning study)', () => {
  it("archer.warmup_targets=mc: warm-up critic steps regress all four heads on the stored turns' discounted returns", async () => {
    const trainer = tinyTrainer(tinyConfig(['archer.warmup_targets=mc', 'algorithm.warmup_iterations=2', 'algorithm.critic_epochs=2']));
    const first = await trainer.step();
    expect(first.metrics['critic/mc_warmup']).toBe(1);
    expect(first.metrics['actor/pg_loss']).toBeUndefined();
    // A step on a chosen batch with chosen returns: the logged targets are those returns, and the loss is the MSE to them.
    const batch = trainer.replay.toArray().slice(0, 3);
    const returns = [-1.5, -0.25, -3];
    const before = tf.tidy(() => {
      const v = trainer.critic.values(batch.map((b) => trainer.actor.tokenizer.encode(b.state)), batch.map((b) => trainer.actor.tokenizer.encodeUtterance(b.action)));
      return [v.q1, v.q2, v.v1, v.v2].map((x) => Array.from(x.dataSync()));
    });
    const step = await trainer.criticStep({ batch, returns });
    expect(Array.from(step.values.target_q1!)).toEqual(returns);
    const mse = (p: number[]) => p.reduce((s, x, i) => s + (x - returns[i]!) ** 2, 0) / p.length;
    expect(step.metrics['critic/q1_loss']).toBeCloseTo(mse(before[0]!), 4);
    expect(step.metrics['critic/v2_loss']).toBeCloseTo(mse(before[3]!), 4);
    await expect(trainer.criticStep({ batch, returns: [-1] })).rejects.toThrow(/1 returns for 3 transitions/);
    await trainer.step();
    const third = await trainer.step(); // past the warm-up: the paper's targets, and the actor trains
    expect(third.metrics['critic/mc_warmup']).toBe(0);
    expect(Number.isFinite(third.metrics['actor/pg_loss'])).toBe(true);
    disposeTrainer(trainer);
  });

  it('archer.warmup_targets=mc fits the returns: repeated steps on one batch drive the loss down', async () => {
    const trainer = tinyTrainer(tinyConfig(['archer.warmup_targets=mc', 'algorithm.critic_lr=1e-2']));
    await trainer.collect();
    const batch = trainer.replay.toArray().slice(0, 4);
    const returns = [-3, -2, -1, 0];
    const first = await trainer.criticStep({ batch, returns });
    let last = first;
    for (let i = 0; i < 30; i++) last = await trainer.criticStep({ batch, returns });
    expect(last.metrics['critic/loss']).toBeLessThan(first.metrics['critic/loss']! / 4);
    disposeTrainer(trainer);
  });

  it('archer.cut_is_done stores the turn limit as the end of an unfinished game; off, it bootstraps', async () => {
    for (const cut of [true, false]) {
      const trainer = tinyTrainer(tinyConfig([`archer.cut_is_done=${cut}`, 'algorithm.rollout_size=6']));
      const { episodes, transitions } = await trainer.collect();
      const cutEpisodes = episodes.filter((e) => e.truncated);
      expect(cutEpisodes.length, 'some 4-turn games run out of turns').toBeGreaterThan(0);
      for (const tr of transitions) {
        const ep = episodes[tr.episode!]!;
        const last = tr.turn === ep.steps.length - 1;
        expect(tr.done, `episode ${tr.episode} turn ${tr.turn}`).toBe(last && (ep.terminated || (cut && ep.truncated)));
      }
      disposeTrainer(trainer);
    }
  });
});

describe('ArcherTrainer: leave-one-out advantage (archer.loo_samples)', () => {
  it('samples K utterances at each of batch_size / K states; the advantages of a state sum to 0', async () => {
    const trainer = tinyTrainer(tinyConfig(['archer.loo_samples=2', 'algorithm.batch_size=6']));
    await trainer.collect();
    const r = await trainer.actorStep();
    expect(r.advantages.length).toBe(6); // 3 states x 2 utterances
    for (let i = 0; i < 6; i += 2) expect(r.advantages[i]! + r.advantages[i + 1]!).toBeCloseTo(0, 5);
    expect(Number.isFinite(r.metrics['actor/pg_loss'])).toBe(true);
    // explain shows each state once per sample, in the grouped order the advantage assumes
    const e = await trainer.actorStep({ batch: trainer.replay.toArray().slice(0, 2), explain: true });
    expect(e.explain!.states).toEqual([0, 0, 1, 1].map((i) => trainer.replay.at(i).state));
    disposeTrainer(trainer);
  });

  it('refuses one utterance per state, at construction and when set live', async () => {
    expect(() => tinyTrainer(tinyConfig(['archer.loo_samples=1']))).toThrow(/at least 2/);
    const trainer = tinyTrainer(tinyConfig(['archer.loo_samples=2']));
    await trainer.collect();
    trainer.updateConfig(tinyConfig(['archer.loo_samples=1']));
    await expect(trainer.actorStep()).rejects.toThrow(/at least 2/);
    disposeTrainer(trainer);
  });
});
