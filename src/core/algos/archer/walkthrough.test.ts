/** The walk-through's numbers are the engine's: they satisfy ArCHer's formulas and match the step's own losses. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { actorWalk, criticWalk } from './walkthrough';
import { disposeTrainer, tinyConfig, tinyTrainer } from './test-support';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const tiny = tinyConfig(['algorithm.rollout_size=3', 'algorithm.batch_size=6', 'algorithm.lm_lr=1e-5', 'seed=9']);

const makeTrainer = (config = tiny) => tinyTrainer(config);

describe('the ArCHer walk-through', () => {
  it('critic: targets, squared errors, batch losses and the soft update follow the formulas exactly', async () => {
    const t = makeTrainer();
    await t.step();
    const batch = t.replay.sample(6, t.rng);
    const r = await t.criticStep({ batch, explain: true });
    const e = r.explain!;
    for (let i = 0; i < batch.length; i++) {
      const w = criticWalk(e, i);
      const d = w.done ? 1 : 0;
      expect(w.qTarget1).toBeCloseTo(w.reward + w.gamma * (1 - d) * w.vbar1Next, 5);
      expect(w.qTarget2).toBeCloseTo(w.reward + w.gamma * (1 - d) * w.vbar2Next, 5);
      expect(w.vTarget1).toBe(w.qbar1Pi);
      expect(w.vTarget2).toBe(w.qbar2Pi);
    }
    // The batch-mean losses the optimiser saw are the means of the per-sample squared errors.
    const walks = batch.map((_, i) => criticWalk(e, i));
    const mean = (k: 'q1' | 'q2' | 'v1' | 'v2') => walks.reduce((s, w) => s + w.sqErr[k], 0) / walks.length;
    for (const k of ['q1', 'q2', 'v1', 'v2'] as const) expect(e.losses[k]).toBeCloseTo(mean(k), 5);
    expect(e.losses.total).toBeCloseTo(e.losses.q1 + e.losses.q2 + e.losses.v1 + e.losses.v2, 5);
    expect(r.metrics['critic/loss']).toBe(e.losses.total);
    const p = e.polyak;
    expect(p.targetAfter).toBeCloseTo((1 - e.tau) * p.targetBefore + e.tau * p.onlineAfterStep, 6);
    expect(() => criticWalk(e, 99)).toThrow(/not in the batch of 6/);
    disposeTrainer(t);
  });

  it('actor: log pi is the sum of the token log-probs, A = min Q - min V, pg loss = -mean(log pi * A)', async () => {
    const t = makeTrainer();
    await t.step();
    const batch = t.replay.sample(6, t.rng);
    const before = tf.memory().numTensors;
    const r = await t.actorStep({ batch, explain: true });
    expect(tf.memory().numTensors).toBe(before);
    const e = r.explain!;
    for (let i = 0; i < batch.length; i++) {
      const w = actorWalk(e, i);
      expect(w.tokens.reduce((s, x) => s + x.logProb, 0)).toBeCloseTo(w.logProb, 4);
      expect(w.advantage).toBeCloseTo(Math.min(w.q1, w.q2) - Math.min(w.v1, w.v2), 5);
      expect(w.state).toBe(batch[i]!.state);
    }
    const w = actorWalk(e, 0);
    expect(w.pgLoss).toBeCloseTo(w.pgLossFromSamples, 4);
    expect(w.loss).toBeCloseTo(w.pgLoss - w.entropyCoeff * w.entropy, 5);
    expect(r.metrics['actor/pg_loss']).toBe(w.pgLoss);
    disposeTrainer(t);
  });

  it('actor with archer.loo_samples: A = min Q minus the mean min Q of the other utterances at the same state', async () => {
    const t = makeTrainer(tinyConfig(['algorithm.rollout_size=3', 'algorithm.batch_size=6', 'seed=9', 'archer.loo_samples=3']));
    await t.step();
    const batch = t.replay.sample(2, t.rng);
    const e = (await t.actorStep({ batch, explain: true })).explain!;
    expect(e.states.length).toBe(6);
    for (let i = 0; i < 6; i++) {
      const w = actorWalk(e, i);
      expect(w.looSamples).toBe(3);
      expect(w.looOthers.length).toBe(2);
      expect(w.state).toBe(batch[Math.floor(i / 3)]!.state);
      expect(w.advantage).toBeCloseTo(Math.min(w.q1, w.q2) - (w.looOthers[0]! + w.looOthers[1]!) / 2, 5);
    }
    expect(actorWalk(e, 0).pgLoss).toBeCloseTo(actorWalk(e, 0).pgLossFromSamples, 4);
    disposeTrainer(t);
  });
});
