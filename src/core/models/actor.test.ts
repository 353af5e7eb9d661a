import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { EOU, Tokenizer } from '../text/tokenizer';
import { Actor, prefillGroups } from './actor';
import { useBackend } from './node-backends';
import { CORPUS, CONTEXTS, TARGETS, behaviourCloningStep } from './test-fixtures';

const SMALL = { dModel: 32, nLayers: 2, nHeads: 4, maxLen: 64, maxUtteranceTokens: 12 };

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tol);
}

describe('Actor', () => {
  const tok = Tokenizer.fromCorpus(CORPUS);
  const ctx = CONTEXTS.map((c) => tok.encode(c));
  const utt = TARGETS.map((u) => tok.encodeUtterance(u));
  let actor: Actor;

  beforeAll(async () => {
    await useBackend('cpu');
    actor = new Actor(tok, SMALL, new Rng(3));
  });
  afterAll(() => actor.dispose());

  it('has the default Twenty Questions sizes', () => {
    const a = new Actor(tok, {}, new Rng(0));
    expect(a.config).toMatchObject({ dModel: 64, nLayers: 2, nHeads: 4, maxLen: 192 });
    expect(a.params['wpe']!.shape).toEqual([192, 64]);
    expect(a.params['lm_head.w']!.shape).toEqual([64, tok.size]);
    expect(a.numParams).toBeGreaterThan(100_000);
    a.dispose();
  });

  it('sequenceLogProbs is the sum of tokenLogProbs, and padding-invariant', () => {
    const seq = tf.tidy(() => actor.sequenceLogProbs(ctx, utt));
    const t = actor.tokenLogProbs(ctx, utt);
    const U = Math.max(...utt.map((u) => u.length));
    expect(t.logProbs.shape).toEqual([3, U]);
    expect(t.mask.shape).toEqual([3, U]);
    expect(t.logits.shape).toEqual([3, U, tok.size]);
    const mask = t.mask.arraySync();
    mask.forEach((row, b) => expect(row.reduce((a, x) => a + x, 0)).toBe(utt[b]!.length));
    expect(mask[0]!.slice(0, utt[0]!.length).every((m) => m === 1)).toBe(true);
    const sums = tf.tidy(() => tf.sum(t.logProbs, 1));
    close(seq.dataSync(), sums.dataSync());
    expect(Array.from(seq.dataSync()).every((x) => x < 0 && Number.isFinite(x))).toBe(true);
    // Each row alone gives the same value as in the batch.
    for (let b = 0; b < 3; b++) {
      const alone = tf.tidy(() => actor.sequenceLogProbs([ctx[b]!], [utt[b]!]));
      close(alone.dataSync(), [seq.dataSync()[b]!]);
      alone.dispose();
    }
    tf.dispose([seq, sums, t.logProbs, t.mask, t.logits]);
  });

  it('left-truncates long contexts to the context window', () => {
    const long = Array.from({ length: 100 }, (_, i) => ctx[2]![i % ctx[2]!.length]!);
    expect(actor.contextWindow).toBe(64 - 12);
    const kept = long.slice(-actor.contextWindow);
    const a = tf.tidy(() => actor.sequenceLogProbs([long], [utt[0]!]));
    const b = tf.tidy(() => actor.sequenceLogProbs([kept], [utt[0]!]));
    close(a.dataSync(), b.dataSync());
    tf.dispose([a, b]);
    expect(() => actor.sequenceLogProbs([ctx[0]!], [new Array(13).fill(utt[0]![0]!)])).toThrow(/maxUtteranceTokens/);
    expect(() => actor.sequenceLogProbs([[]], [utt[0]!])).toThrow(/at least one token/);
    expect(() => actor.sequenceLogProbs([[0, 5]], [utt[0]!])).toThrow(/not a real token/);
  });

  it('generate is reproducible for a seed, stops at <eou>, and reports model log-probs', async () => {
    const before = tf.memory().numTensors;
    // Make <eou> likely so that some rows stop early.
    const w = actor.getWeights();
    const biased = { ...w, 'lm_head.b': { shape: [tok.size], data: Float32Array.from(w['lm_head.b']!.data) } };
    biased['lm_head.b'].data[EOU] = 3.5;
    actor.setWeights(biased);
    const contexts = [...ctx, ...ctx, ...ctx, ...ctx];
    const a = await actor.generate(contexts, { temperature: 1, maxTokens: 6, rng: new Rng(42) });
    const b = await actor.generate(contexts, { temperature: 1, maxTokens: 6, rng: new Rng(42) });
    const c = await actor.generate(contexts, { temperature: 1, maxTokens: 6, rng: new Rng(43) });
    expect(b).toEqual(a);
    expect(c.tokens).not.toEqual(a.tokens);
    expect(a.finished.some((f) => f)).toBe(true);
    a.tokens.forEach((t, i) => {
      expect(t).not.toContain(EOU);
      expect(t).not.toContain(0);
      if (a.finished[i]) expect(t.length).toBeLessThan(6);
      else expect(t.length).toBe(6);
      expect(a.texts[i]).toBe(tok.decode(t));
    });
    const fin = a.tokens.map((t, i) => ({ t, i })).filter(({ i }) => a.finished[i]);
    const lp = tf.tidy(() =>
      actor.sequenceLogProbs(
        fin.map(({ i }) => contexts[i]!),
        fin.map(({ t }) => [...t, EOU]),
      ),
    );
    close(lp.dataSync(), fin.map(({ i }) => a.logProbs[i]!), 1e-3);
    close(a.samplingLogProbs, a.logProbs, 1e-5); // temperature 1
    lp.dispose();
    const g1 = await actor.generateGreedy(contexts, 6);
    const g2 = await actor.generateGreedy(contexts, 6);
    expect(g2).toEqual(g1);
    // A row decodes the same alone as in a padded batch.
    for (let i = 0; i < 3; i++) {
      const alone = await actor.generateGreedy([contexts[i]!], 6);
      expect(alone.tokens[0]).toEqual(g1.tokens[i]);
      expect(Math.abs(alone.logProbs[0]! - g1.logProbs[i]!)).toBeLessThan(1e-3);
    }
    actor.setWeights(w);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('prefills rows of very different lengths in two groups, and every row decodes as it would alone', async () => {
    const short = ctx.map((c) => c.slice(0, 2));
    const long = ctx.map((c) => [...c, ...c, ...c].slice(0, 40));
    const contexts = [...long, ...short, ...short, ...long, ...short, ...long].slice(0, 12);
    const groups = prefillGroups(contexts.map((c) => c.length));
    expect(groups).toHaveLength(2);
    expect(groups.flat().sort((a, b) => a - b)).toEqual(contexts.map((_, i) => i));
    const before = tf.memory().numTensors;
    const g = await actor.generateGreedy(contexts, 5);
    for (let i = 0; i < contexts.length; i++) {
      const alone = await actor.generateGreedy([contexts[i]!], 5);
      expect(alone.tokens[0], `row ${i}`).toEqual(g.tokens[i]);
      expect(Math.abs(alone.logProbs[0]! - g.logProbs[i]!)).toBeLessThan(1e-3);
    }
    // Sampled: each row's reported log-prob is its own utterance's, scored teacher-forced.
    const a = await actor.generate(contexts, { temperature: 1, maxTokens: 5, rng: new Rng(9) });
    const lp = tf.tidy(() => actor.tokenLogProbs(contexts, a.tokens.map((t, i) => (a.finished[i] ? [...t, EOU] : t.length > 0 ? t : [EOU]))).logProbs);
    const sums = (lp.arraySync() as number[][]).map((r) => r.reduce((x, y) => x + y, 0));
    lp.dispose();
    a.tokens.forEach((t, i) => {
      if (t.length > 0 || a.finished[i]) expect(Math.abs(sums[i]! - a.logProbs[i]!), `row ${i}`).toBeLessThan(1e-3);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scores rows of very different lengths in two groups: same log-probs and gradient as row by row', () => {
    const short = ctx.map((c) => c.slice(0, 2));
    const long = ctx.map((c) => [...c, ...c, ...c].slice(0, 40));
    const contexts = [...long, ...short, ...short, ...long, ...short, ...long].slice(0, 12);
    const utterances = contexts.map((_, i) => utt[i % utt.length]!);
    expect(prefillGroups(contexts.map((c) => c.length))).toHaveLength(2);
    const vars = Object.values(actor.params) as tf.Variable[];
    const before = tf.memory().numTensors;
    const together = actor.tokenLogProbs(contexts, utterances);
    const lpAll = together.logProbs.arraySync() as number[][];
    const logitsAll = together.logits.arraySync() as number[][][];
    const maskAll = together.mask.arraySync() as number[][];
    tf.dispose([together.logProbs, together.mask, together.logits]);
    const gAll = tf.variableGrads(() => tf.sum(actor.tokenLogProbs(contexts, utterances).logProbs) as tf.Scalar, vars);
    const gSum: Record<string, tf.Tensor> = {};
    contexts.forEach((c, i) => {
      const one = actor.tokenLogProbs([c], [utterances[i]!]);
      const lp = one.logProbs.arraySync()[0] as number[];
      const U = lp.length;
      close(lpAll[i]!.slice(0, U), lp, 1e-4);
      expect(maskAll[i]!.slice(0, U)).toEqual(one.mask.arraySync()[0]);
      close(logitsAll[i]![0]!, (one.logits.arraySync() as number[][][])[0]![0]!, 1e-3);
      tf.dispose([one.logProbs, one.mask, one.logits]);
      const g = tf.variableGrads(() => tf.sum(actor.tokenLogProbs([c], [utterances[i]!]).logProbs) as tf.Scalar, vars);
      for (const [k, t] of Object.entries(g.grads)) {
        const prev = gSum[k];
        gSum[k] = prev ? tf.add(prev, t) : tf.clone(t);
        prev?.dispose();
      }
      tf.dispose([g.value, ...Object.values(g.grads)]);
    });
    for (const [k, t] of Object.entries(gAll.grads)) {
      const [diff, scale] = tf.tidy(() => [tf.max(tf.abs(tf.sub(t, gSum[k]!))).dataSync()[0]!, Math.max(1e-3, tf.max(tf.abs(t)).dataSync()[0]!)]);
      expect(diff! / scale!, k).toBeLessThan(1e-3);
    }
    tf.dispose([gAll.value, ...Object.values(gAll.grads), ...Object.values(gSum)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scores rows in their own order when they stay one group (a few rows, longest first)', () => {
    // Regression: one group used to be scored in length order and handed back unpermuted, so each
    // row got another row's log-probs (A*PO's and ArCHer's updates paired advantages with the wrong rows).
    const contexts = [...ctx].reverse();
    const utterances = [...utt].reverse();
    expect(prefillGroups(contexts.map((c) => c.length))).toEqual([[0, 1, 2]]);
    const together = tf.tidy(() => actor.sequenceLogProbs(contexts, utterances).arraySync());
    const alone = contexts.map((c, i) => tf.tidy(() => actor.sequenceLogProbs([c], [utterances[i]!]).arraySync()[0]!));
    close(together, alone, 1e-4);
    expect(new Set(alone.map((x) => x.toFixed(3))).size).toBe(3); // distinct rows, so a permutation would show
  });

  it('groups rows for the prefill only when it saves a quarter of the padding', () => {
    expect(prefillGroups([5, 5, 5])).toEqual([[0, 1, 2]]); // fewer than 8 rows
    expect(prefillGroups([9, 5, 2])).toEqual([[0, 1, 2]]); // one group keeps the rows' own order
    expect(prefillGroups(Array.from({ length: 10 }, () => 50))).toHaveLength(1); // equal lengths
    const mixed = [100, 3, 100, 3, 3, 100, 3, 100, 100, 3];
    expect(prefillGroups(mixed)).toEqual([[1, 3, 4, 6, 9], [0, 2, 5, 7, 8]]);
    expect(prefillGroups([100, 90, 95, 80, 85, 99, 92, 88])).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]); // the cut would save under a quarter
  });

  it('behaviour cloning: 100 Adam steps, then greedy decoding reproduces the targets', async () => {
    const bc = new Actor(tok, SMALL, new Rng(11));
    const opt = tf.train.adam(1e-2);
    let first = 0;
    let last = 0;
    for (let i = 0; i < 100; i++) {
      const loss = behaviourCloningStep(bc, opt, ctx, utt);
      if (i === 0) first = loss;
      last = loss;
    }
    expect(last).toBeLessThan(first / 10);
    const out = await bc.generateGreedy(ctx, 10);
    expect(out.texts).toEqual(TARGETS);
    expect(out.finished).toEqual([true, true, true]);
    // Temperature sampling from the fitted policy says the same (it is nearly deterministic now).
    const s = await bc.generate(ctx, { temperature: 0.5, maxTokens: 10, rng: new Rng(5) });
    expect(s.texts).toEqual(TARGETS);
    opt.dispose();
    bc.dispose();
  });

  it('does not leak tensors across training steps', () => {
    const bc = new Actor(tok, SMALL, new Rng(12));
    const opt = tf.train.adam(1e-2);
    behaviourCloningStep(bc, opt, ctx, utt); // creates the optimizer's slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) behaviourCloningStep(bc, opt, ctx, utt);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    bc.dispose();
  });

  it('round-trips weights', () => {
    const other = new Actor(tok, SMALL, new Rng(77));
    other.setWeights(actor.getWeights());
    const a = tf.tidy(() => actor.sequenceLogProbs(ctx, utt));
    const b = tf.tidy(() => other.sequenceLogProbs(ctx, utt));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    other.dispose();
    const wrong = new Actor(tok, { ...SMALL, dModel: 16 }, new Rng(1));
    expect(() => wrong.setWeights(actor.getWeights())).toThrow(/expected \[/);
    wrong.dispose();
  });
});
