import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createActor } from '../../agents/models';
import { twentyQuestionsTokenizer } from '../../envs/twenty-questions/corpus';
import { FULL_KB } from '../../envs/twenty-questions/kb';
import { TwentyQuestionsEnv } from '../../envs/twenty-questions/env';
import { WebShopAgentEnv } from '../../envs/webshop/agent-env';
import { webShopTokenizer } from '../../envs/webshop/corpus';
import type { Config } from '../../config';
import { tinyConfig } from '../archer/test-support';
import { ApoTrainer, packByTurns } from './trainer';
import { vStar } from './losses';

await tf.setBackend('cpu');

const APO = ['algorithm.name=apo', 'apo.num_prompts=3', 'apo.num_ref_samples=2', 'algorithm.rollout_size=3', 'algorithm.batch_size=64'];

function twentyQuestions(config: Config): ApoTrainer {
  const tok = twentyQuestionsTokenizer(FULL_KB);
  const reference = createActor(config, tok, 11);
  const actor = createActor(config, tok, 11);
  const { subset } = config.env;
  const maxTurns = config.agent_proxy.max_turn;
  return new ApoTrainer({ config, actor, reference, makeEnv: () => new TwentyQuestionsEnv({ subset, maxTurns }) });
}

function webShop(config: Config): ApoTrainer {
  const tok = webShopTokenizer();
  const reference = createActor(config, tok, 11);
  const actor = createActor(config, tok, 11);
  return new ApoTrainer({ config, actor, reference, makeEnv: () => new WebShopAgentEnv({ split: 'train', maxSteps: 3 }) });
}

function dispose(t: ApoTrainer): void {
  t.dispose();
  t.actor.dispose();
  t.reference.dispose();
}

async function weights(actor: { params: Record<string, tf.Tensor> }): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(actor.params)) out[k] = (await v.data()) as Float32Array;
  return out;
}

describe('packByTurns', () => {
  it('packs whole items in order up to the turn budget; an oversized item stands alone', () => {
    expect(packByTurns([3, 2, 4, 1, 9, 1], (n) => n, 5)).toEqual([[3, 2], [4, 1], [9], [1]]);
    expect(packByTurns([], (n: number) => n, 5)).toEqual([]);
  });
});

describe('ApoTrainer', () => {
  it('stage 1 caches V* = beta1 ln mean exp(r / beta1) of num_ref_samples reference episodes per prompt, reproducibly', async () => {
    const config = tinyConfig([...APO, 'apo.num_ref_samples=4', 'apo.beta1=0.7']);
    const a = twentyQuestions(config);
    const b = twentyQuestions(config);
    await a.prepare();
    await b.prepare();
    expect(a.stage1Done).toBe(true);
    expect(a.prompts).toHaveLength(3);
    for (const s of a.prompts) {
      const returns = a.referenceReturns.get(s)!;
      expect(returns).toHaveLength(4);
      expect(a.vStars.get(s)).toBe(vStar(returns, 0.7));
      expect(b.referenceReturns.get(s)).toEqual(returns);
    }
    expect(a.referenceEpisodes).toBe(12);
    expect(await a.prepare()).toBe(0); // cached: no second stage 1
    dispose(a);
    dispose(b);
  });

  it("'ls': at the start (pi = pi_ref) the loss is mean (r - V*)^2; the actor moves and the reference does not", async () => {
    const config = tinyConfig(APO);
    const t = twentyQuestions(config);
    const refBefore = await weights(t.reference);
    const r = await t.step();
    const adv = r.episodes.map((e) => e.return - t.vStars.get(t.prompts.find((p) => p === e.seed)!)!);
    expect(adv).toHaveLength(3);
    const expected = adv.reduce((s, a) => s + a * a, 0) / adv.length;
    expect(r.metrics['actor/apo_loss']).toBeCloseTo(expected, 4);
    expect(r.metrics['actor/kl']).toBeCloseTo(0, 5);
    expect(r.metrics['actor/advantage/mean']).toBeCloseTo(adv.reduce((s, a) => s + a, 0) / 3, 5);
    const refAfter = await weights(t.reference);
    for (const k of Object.keys(refBefore)) expect(refAfter[k]).toEqual(refBefore[k]);
    const actorAfter = await weights(t.actor);
    expect(Object.keys(refBefore).some((k) => actorAfter[k]!.some((v, j) => v !== refBefore[k]![j]))).toBe(true);
    expect(t.trajectories).toBe(3);
    dispose(t);
  });

  it("'pg' on WebShop: clamped advantages, KL 0 at the start, grad norm finite; no tensor leaks across iterations", async () => {
    const config = tinyConfig([...APO, 'apo.objective=pg', 'apo.adv_clip=0.25']);
    const t = webShop(config);
    const first = await t.step();
    expect(first.metrics['actor/kl']).toBeCloseTo(0, 5);
    expect(first.metrics['actor/advantage/max']).toBeLessThanOrEqual(0.25);
    expect(first.metrics['actor/advantage/min']).toBeGreaterThanOrEqual(-0.25);
    expect(Number.isFinite(first.metrics['actor/grad_norm'])).toBe(true);
    expect(first.episodes.every((e) => e.steps.length <= 3)).toBe(true);
    await t.step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await t.step();
    expect(tf.memory().numTensors).toBe(before);
    dispose(t);
  });

  it('takes live settings (objective, learning rate) and refuses a restart setting', () => {
    const config = tinyConfig(APO);
    const t = twentyQuestions(config);
    expect(t.updateConfig(tinyConfig([...APO, 'apo.objective=pg']))).toEqual(['apo.objective']);
    expect(() => t.updateConfig(tinyConfig([...APO, 'apo.objective=pg', 'apo.num_prompts=5']))).toThrow(/apo.num_prompts/);
    dispose(t);
  });
});
