/**
 * What the browser lab needs from the trainer beyond training: live-safe setting changes, the
 * critic's values per question for replays, and a snapshot that continues a run exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Metrics } from './trainer';
import { restoreTrainer, snapshotTrainer } from './snapshot';
import { setValue } from '../../config';
import { disposeTrainer, tinyConfig, tinyTrainer } from './test-support';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const tiny = tinyConfig();

const makeTrainer = (config = tiny) => tinyTrainer(config);


/** Metrics without the timing ones, which differ from run to run. */
function withoutPerf(m: Metrics): Metrics {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/')));
}

describe('ArcherTrainer.updateConfig', () => {
  it('takes live-safe settings and pushes learning rates into the optimisers', async () => {
    const t = makeTrainer();
    const next = setValue(setValue(setValue(tiny, 'algorithm.lm_lr', 0.5), 'algorithm.critic_lr', 0.25), 'algorithm.critic_epochs', 3);
    expect(t.updateConfig(next).sort()).toEqual(['algorithm.critic_epochs', 'algorithm.critic_lr', 'algorithm.lm_lr']);
    const lr = (o: tf.Optimizer) => (o as unknown as { learningRate: number }).learningRate;
    expect(lr(t.optimizers.actor)).toBe(0.5);
    expect(lr(t.optimizers.critic)).toBe(0.25);
    expect(t.config.algorithm.critic_epochs).toBe(3);
    disposeTrainer(t);
  });

  it('a new actor learning rate takes effect at the next step (Adam moves each weight by about lr)', async () => {
    const maxChange = async (lr: number) => {
      const t = makeTrainer();
      await t.step();
      t.updateConfig(setValue(tiny, 'algorithm.lm_lr', lr));
      const before = t.actor.getWeights();
      await t.step();
      const after = t.actor.getWeights();
      let worst = 0;
      for (const k of Object.keys(before)) before[k]!.data.forEach((x, i) => (worst = Math.max(worst, Math.abs(after[k]!.data[i]! - x))));
      disposeTrainer(t);
      return worst;
    };
    expect(await maxChange(1e-8)).toBeLessThan(1e-7);
    expect(await maxChange(1e-2)).toBeGreaterThan(1e-3);
  });

  it('refuses restart-only keys, naming them, and keeps its settings', () => {
    const t = makeTrainer();
    const next = setValue(setValue(tiny, 'model.d_model', 32), 'algorithm.tau', 0.2);
    expect(() => t.updateConfig(next)).toThrow(/model\.d_model cannot change while a run trains/);
    expect(t.config).toBe(tiny);
    disposeTrainer(t);
  });
});

describe('ArcherTrainer.annotate', () => {
  it('gives every question the online critic values, with q = min(Q1,Q2), v = min(V1,V2), advantage = q - v', async () => {
    const t = makeTrainer();
    const r = await t.step();
    const replays = await t.annotate(r.episodes);
    expect(replays).toHaveLength(r.episodes.length);
    const e = r.episodes[1]!;
    const rep = replays[1]!;
    expect(rep.index).toBe(1);
    expect(rep.iteration).toBe(1);
    expect(rep.turns.map((x) => x.question)).toEqual(e.steps.map((s) => s.action));
    expect(rep.return).toBe(e.return);
    // The same numbers as asking the critic directly about the last turn.
    const last = e.steps.length - 1;
    const state = last === 0 ? e.initialObs : e.steps[last - 1]!.obs;
    const v = t.critic.values([t.actor.tokenizer.encode(state)], [t.actor.tokenizer.encodeUtterance(e.steps[last]!.action)]);
    const [q1, q2, v1, v2] = [v.q1, v.q2, v.v1, v.v2].map((x) => x.dataSync()[0]!);
    tf.dispose([v.q1, v.q2, v.v1, v.v2]);
    const turn = rep.turns[last]!;
    expect(turn.q1).toBeCloseTo(q1!, 5);
    expect(turn.v2).toBeCloseTo(v2!, 5);
    expect(turn.q).toBeCloseTo(Math.min(q1!, q2!), 5);
    expect(turn.v).toBeCloseTo(Math.min(v1!, v2!), 5);
    expect(turn.advantage).toBeCloseTo(turn.q - turn.v, 6);
    expect(['Yes.', 'No.', 'Invalid Question.']).toContain(turn.answer);
    disposeTrainer(t);
  });

  it('does not leak tensors', async () => {
    const t = makeTrainer();
    const r = await t.step();
    await t.annotate(r.episodes);
    const before = tf.memory().numTensors;
    await t.annotate(r.episodes);
    expect(tf.memory().numTensors).toBe(before);
    disposeTrainer(t);
  });
});

describe('snapshotTrainer / restoreTrainer', () => {
  it('a restored trainer continues exactly as the original (same metrics, same weights)', async () => {
    const a = makeTrainer();
    await a.step();
    await a.step();
    const snap = await snapshotTrainer(a);
    const b = makeTrainer();
    await restoreTrainer(b, snap);
    expect(b.iteration).toBe(2);
    expect(b.replay.size).toBe(a.replay.size);
    const ra = await a.step();
    const rb = await b.step();
    expect(withoutPerf(rb.metrics)).toEqual(withoutPerf(ra.metrics));
    const wa = a.actor.getWeights();
    const wb = b.actor.getWeights();
    for (const k of Object.keys(wa)) expect(Array.from(wb[k]!.data), k).toEqual(Array.from(wa[k]!.data));
    disposeTrainer(a);
    disposeTrainer(b);
  });
});
