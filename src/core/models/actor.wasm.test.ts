/**
 * The actor on the wasm backend (single-threaded, loaded from node_modules by file path): same
 * numbers as cpu for the same weights, gradients flow (one Adam step lowers the loss), greedy
 * decoding agrees, and nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { Tokenizer } from '../text/tokenizer';
import { Actor } from './actor';
import { useBackend } from './node-backends';
import { CORPUS, CONTEXTS, TARGETS, behaviourCloningStep } from './test-fixtures';

const SMALL = { dModel: 32, nLayers: 2, nHeads: 4, maxLen: 64, maxUtteranceTokens: 12 };

describe('Actor on the wasm backend', () => {
  const tok = Tokenizer.fromCorpus(CORPUS);
  const ctx = CONTEXTS.map((c) => tok.encode(c));
  const utt = TARGETS.map((u) => tok.encodeUtterance(u));
  // Pads in the batch: contexts of different lengths, and a longer one with a short utterance.
  const ctx4 = [...ctx, [...ctx[2]!, ...ctx[1]!.slice(1)]];
  const utt4 = [...utt, tok.encodeUtterance('Is it a car?')];

  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('loads, matches cpu, and trains (one Adam step lowers the loss)', async () => {
    // Reference numbers on cpu.
    const ref = new Actor(tok, SMALL, new Rng(21));
    const weights = ref.getWeights();
    const cpuLp = tf.tidy(() => ref.sequenceLogProbs(ctx4, utt4).arraySync());
    const cpuTok = ref.tokenLogProbs(ctx4, utt4);
    const cpuTokLp = cpuTok.logProbs.arraySync();
    tf.dispose([cpuTok.logProbs, cpuTok.mask, cpuTok.logits]);
    const cpuGreedy = await ref.generateGreedy(ctx4, 6);
    const cpuOpt = tf.train.adam(1e-2);
    const cpuLoss0 = behaviourCloningStep(ref, cpuOpt, ctx4, utt4);
    const cpuLoss1 = behaviourCloningStep(ref, cpuOpt, ctx4, utt4);
    cpuOpt.dispose();
    ref.dispose();

    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const actor = new Actor(tok, SMALL, new Rng(0));
    actor.setWeights(weights);
    const lp = tf.tidy(() => actor.sequenceLogProbs(ctx4, utt4).arraySync());
    lp.forEach((x, i) => expect(Math.abs(x - cpuLp[i]!)).toBeLessThan(1e-3));
    const t = actor.tokenLogProbs(ctx4, utt4);
    const tokLp = t.logProbs.arraySync();
    tokLp.forEach((row, b) => row.forEach((x, u) => expect(Math.abs(x - cpuTokLp[b]![u]!)).toBeLessThan(1e-3)));
    tf.dispose([t.logProbs, t.mask, t.logits]);
    expect(await actor.generateGreedy(ctx4, 6)).toMatchObject({ tokens: cpuGreedy.tokens, finished: cpuGreedy.finished });

    const opt = tf.train.adam(1e-2);
    const loss0 = behaviourCloningStep(actor, opt, ctx4, utt4);
    const before = tf.memory().numTensors;
    const loss1 = behaviourCloningStep(actor, opt, ctx4, utt4);
    expect(Math.abs(loss0 - cpuLoss0)).toBeLessThan(1e-3);
    expect(Math.abs(loss1 - cpuLoss1)).toBeLessThan(1e-2);
    expect(loss1).toBeLessThan(loss0);
    for (let i = 0; i < 3; i++) behaviourCloningStep(actor, opt, ctx4, utt4);
    expect(tf.memory().numTensors).toBe(before);
    // Every variable moved (the gradient reached it), the embedding included.
    const after = actor.getWeights();
    for (const [name, w] of Object.entries(after)) {
      const old = weights[name]!.data;
      expect(w.data.some((x, i) => x !== old[i]), name).toBe(true);
    }
    opt.dispose();
    actor.dispose();
  });
});
