import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Critic, splitLines, TURN_SCALE } from './critic';
import { Rng } from '../util/rng';
import { Actor } from './actor';
import { Tokenizer } from '../text/tokenizer';
import { CORPUS } from './test-fixtures';
import { createCritic } from '../agents/models';
import { defaultConfig } from '../config';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const cfg = { dModel: 16, nLayers: 1, nHeads: 2, maxLen: 32, headHidden: 8 };
const states = [[4, 5, 6], [7, 8]];
const actions = [[9, 2], [10, 11, 2]];

describe('Critic', () => {
  it('gives Q1, Q2, V1, V2 per example, with V independent of the utterance', () => {
    const critic = new Critic(20, cfg, new Rng(1));
    const a = critic.values(states, actions);
    const b = critic.values(states, [[12, 2], [13, 2]]);
    expect(a.q1.shape).toEqual([2]);
    expect(Array.from(a.v1.dataSync())).toEqual(Array.from(b.v1.dataSync()));
    expect(Array.from(a.q1.dataSync())).not.toEqual(Array.from(b.q1.dataSync()));
    const sv = critic.stateValues(states);
    expect(Array.from(sv.v2.dataSync())).toEqual(Array.from(a.v2.dataSync()));
    tf.dispose([a, b, sv] as unknown as tf.Tensor[]);
    critic.dispose();
  });

  it('jointEncoding: Q reads enc(state ++ utterance), the same weights as the separate critic, and the clone keeps it', () => {
    const separate = new Critic(20, cfg, new Rng(1));
    const joint = new Critic(20, { ...cfg, jointEncoding: true }, new Rng(1));
    const [wj, ws] = [joint.getWeights(), separate.getWeights()]; // same parameters, only the inputs differ
    expect(Object.keys(wj).sort()).toEqual(Object.keys(ws).sort());
    for (const k of Object.keys(ws)) expect(Array.from(wj[k]!.data), k).toEqual(Array.from(ws[k]!.data));
    // The joint critic at (s, a) is the separate critic at (s, s ++ a): its Q heads see [enc(s); enc(s ++ a)].
    const j = joint.values(states, actions);
    const ref = separate.values(states, states.map((st, i) => [...st, ...actions[i]!]));
    for (const k of ['q1', 'q2', 'v1', 'v2'] as const) {
      Array.from(j[k].dataSync()).forEach((x, i) => expect(x).toBeCloseTo(ref[k].dataSync()[i]!, 5));
    }
    // And it differs from the separate critic's Q at (s, a).
    const sep = separate.values(states, actions);
    expect(Array.from(j.q1.dataSync())).not.toEqual(Array.from(sep.q1.dataSync()));
    const target = joint.clone();
    expect(target.config.jointEncoding).toBe(true);
    const t = target.values(states, actions);
    expect(Array.from(t.q2.dataSync())).toEqual(Array.from(j.q2.dataSync()));
    tf.dispose([j, ref, sep, t] as unknown as tf.Tensor[]);
    [separate, joint, target].forEach((c) => c.dispose());
  });

  it('qGrid gives Q1, Q2 of every (state, utterance) pair, equal to values() on the pairs, separate or joint', () => {
    const utterances = [[9, 2], [10, 11, 2], [12, 2]];
    for (const [jointEncoding, turnEncoding] of [[false, false], [true, false], [false, true]]) {
      const critic = new Critic(20, { ...cfg, jointEncoding, turnEncoding }, new Rng(3));
      const grid = critic.qGrid(states, utterances);
      expect(grid.q1.shape).toEqual([2, 3]);
      const pairs = critic.values(states.flatMap((st) => utterances.map(() => st)), states.flatMap(() => utterances));
      for (const k of ['q1', 'q2'] as const) {
        const g = grid[k].dataSync();
        Array.from(pairs[k].dataSync()).forEach((x, i) => expect(g[i]!, `${k}[${i}] joint=${jointEncoding} turns=${turnEncoding}`).toBeCloseTo(x, 5));
      }
      tf.dispose([grid.q1, grid.q2, pairs] as unknown as tf.Tensor[]);
      expect(() => critic.qGrid([], utterances)).toThrow(/needs states and utterances/);
      critic.dispose();
    }
  });

  it('clones into an independent copy with equal outputs (the target critic)', () => {
    const critic = new Critic(20, cfg, new Rng(2));
    const target = critic.clone();
    const a = critic.values(states, actions);
    const b = target.values(states, actions);
    expect(Array.from(b.q2.dataSync())).toEqual(Array.from(a.q2.dataSync()));
    const online = critic.variables();
    const copy = target.variables();
    expect(online.map((v) => v.shape)).toEqual(copy.map((v) => v.shape));
    expect(online[0]).not.toBe(copy[0]);
    tf.dispose([a, b] as unknown as tf.Tensor[]);
    critic.dispose();
    target.dispose();
  });

  it('fits regression targets (gradients reach encoder and heads)', () => {
    const critic = new Critic(20, cfg, new Rng(3));
    const opt = tf.train.adam(1e-2);
    const targets = tf.tensor1d([-3, -1]);
    const loss = () =>
      tf.tidy(() => {
        const v = critic.values(states, actions);
        return tf.add(tf.mean(tf.square(tf.sub(v.q1, targets))), tf.mean(tf.square(tf.sub(v.v1, targets)))) as tf.Scalar;
      });
    const before = loss().dataSync()[0] as number;
    for (let i = 0; i < 150; i++) opt.minimize(loss, false, critic.variables());
    const after = loss().dataSync()[0] as number;
    expect(after).toBeLessThan(before * 0.05);
    opt.dispose();
    targets.dispose();
    critic.dispose();
  });
});

describe('Critic token baselines', () => {
  it('gives b(s, a_<t) per utterance token: column u depends on tokens before u, not on token u', () => {
    const critic = new Critic(20, cfg, new Rng(4));
    const a = critic.tokenBaselines([[4, 5, 6]], [[9, 10, 2]]);
    const b = critic.tokenBaselines([[4, 5, 6]], [[9, 11, 2]]); // token 1 differs
    const [ra, rb] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
    expect(a.shape).toEqual([1, 3]);
    expect(rb[0]).toBeCloseTo(ra[0]!, 6); // b(s) before any token
    expect(rb[1]).toBeCloseTo(ra[1]!, 6); // b(s, a_0): token 1 not seen yet
    expect(rb[2]).not.toBeCloseTo(ra[2]!, 6); // b(s, a_0 a_1) has read the changed token
    // Batched with a shorter utterance, the first row's values stay the same.
    const batched = critic.tokenBaselines([[4, 5, 6], [7]], [[9, 10, 2], [2]]);
    expect(Array.from(batched.dataSync()).slice(0, 3).map((x) => x.toFixed(5))).toEqual(ra.map((x) => x.toFixed(5)));
    expect(critic.variables().some((v) => critic.baselineVariables().includes(v))).toBe(false);
    tf.dispose([a, b, batched]);
    critic.dispose();
  });
});

describe('Critic encoder on rows of very different lengths', () => {
  it('encodes them in two groups with the same result (and gradient) as each row alone', () => {
    const critic = new Critic(20, cfg, new Rng(4));
    const rows = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? [3, 4] : Array.from({ length: 30 }, (_, j) => 3 + ((i + j) % 15))));
    const together = critic.encode(rows);
    rows.forEach((r, i) => {
      const alone = critic.encode([r]);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(together, [i, 0], [1, 16]), alone))).dataSync()[0]);
      expect(diff, `row ${i}`).toBeLessThan(1e-5);
      alone.dispose();
    });
    // The gradient through the regrouping reaches the encoder.
    const w = critic.params['wte']!;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(critic.encode(rows), tf.range(0, 10).reshape([10, 1]))) as tf.Scalar, [w as tf.Variable]);
    expect(tf.sum(tf.abs(Object.values(grads)[0]!)).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([together, ...Object.values(grads)]);
    critic.dispose();
  });

  it('starts its encoder from the reference actor (critic.init_from_actor): shared blocks copied, heads untouched', () => {
    const tok = Tokenizer.fromCorpus(CORPUS);
    const actor = new Actor(tok, { dModel: 16, nLayers: 2, nHeads: 2, maxLen: 32 }, new Rng(3));
    const weights = actor.getWeights();
    const critic = new Critic(tok.size, { ...cfg, nLayers: 1 }, new Rng(4));
    const headBefore = Array.from(critic.params['head.q1.w1']!.dataSync());
    const copied = critic.initEncoderFrom(weights);
    // A one-block critic takes the embeddings, block 0 and the final norm; the actor's block 1 and lm_head have no place.
    expect(copied).toContain('wte');
    expect(copied).toContain('h0.attn.wqkv');
    expect(copied).toContain('lnf.g');
    expect(copied.some((n) => n.startsWith('h1.') || n.startsWith('lm_head'))).toBe(false);
    expect(copied).toHaveLength(Object.keys(critic.encoder.vars).length);
    for (const n of copied) expect(Array.from(critic.params[n]!.dataSync())).toEqual(Array.from(weights[n]!.data));
    expect(Array.from(critic.params['head.q1.w1']!.dataSync())).toEqual(headBefore);
    critic.dispose();

    const wide = new Critic(tok.size, { ...cfg, dModel: 32 }, new Rng(5));
    expect(() => wide.initEncoderFrom(weights)).toThrow(/token embedding is \[\d+, 16\], the critic's \[\d+, 32\]/);
    wide.dispose();

    const config = defaultConfig();
    config.critic.init_from_actor = true;
    config.critic.d_model = 16;
    config.model.n_heads = 2;
    config.model.max_len = 32;
    expect(() => createCritic(config, tok)).toThrow(/no actor weights/);
    const made = createCritic(config, tok, 1, weights);
    expect(Array.from(made.params['h0.mlp.w1']!.dataSync())).toEqual(Array.from(weights['h0.mlp.w1']!.data));
    made.dispose();
    actor.dispose();
  });

  it('encodes rows in their own order whatever their lengths (one group or two)', () => {
    const critic = new Critic(20, { ...cfg, maxLen: 64 }, new Rng(6));
    const few = [[4, 5, 6, 7, 8, 9, 10], [4, 5, 6], [7]]; // longest first: one group
    const many = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? Array.from({ length: 40 }, (_, k) => 3 + ((i + k) % 15)) : [3 + i])); // two groups
    for (const rows of [few, many]) {
      const together = tf.tidy(() => critic.encode(rows).arraySync());
      rows.forEach((r, i) => {
        const alone = tf.tidy(() => critic.encode([r]).arraySync()[0]!);
        alone.forEach((x, k) => expect(Math.abs(x - together[i]![k]!), `row ${i}`).toBeLessThan(1e-4));
      });
    }
    critic.dispose();
  });
});

describe('Critic reading turns (critic.encoder=turns)', () => {
  // Token ids: 3 is <nl>, 2 <eou>, 0 <pad>; the rest are words.
  const header = [4, 5];
  const turnA = [6, 7, 8];
  const turnB = [9, 10, 11];

  it('splitLines cuts a text at <nl> and drops <eou>, padding and empty lines', () => {
    expect(splitLines([4, 5, 3, 6, 7, 3, 3, 9, 2])).toEqual([[4, 5], [6, 7], [9]]);
    expect(splitLines([0, 0, 12, 13, 2])).toEqual([[12, 13]]);
    expect(splitLines([3, 2, 0])).toEqual([]);
  });

  it('a state is TURN_SCALE x the sum of its lines: the order of the turns does not matter, the turns do', () => {
    const critic = new Critic(20, { ...cfg, turnEncoding: true }, new Rng(7));
    const s1 = [...header, 3, ...turnA, 3, ...turnB, 3];
    const s2 = [...header, 3, ...turnB, 3, ...turnA, 3];
    const s3 = [...header, 3, ...turnA, 3];
    const enc = tf.tidy(() => critic.encode([s1, s2, s3]).arraySync());
    const lines = tf.tidy(() => critic.encode([header, turnA, turnB]).arraySync()).map((v) => v.map((x) => x / TURN_SCALE));
    enc[0]!.forEach((x, k) => {
      expect(x).toBeCloseTo(enc[1]![k]!, 5);
      expect(x).toBeCloseTo(TURN_SCALE * (lines[0]![k]! + lines[1]![k]! + lines[2]![k]!), 5);
    });
    expect(enc[2]!.some((x, k) => Math.abs(x - enc[0]![k]!) > 1e-3)).toBe(true);
    // An utterance reads the same with or without its <eou>, and V does not depend on it.
    const a = critic.values([s1, s1], [[12, 13, 2], [12, 13]]);
    expect(a.q1.dataSync()[0]).toBeCloseTo(a.q1.dataSync()[1]!, 5);
    tf.dispose(a as unknown as tf.Tensor[]);
    critic.dispose();
  });

  it('Q reads [state; question; state x question], fits targets that depend on both, and clones with the same reading', () => {
    const critic = new Critic(20, { ...cfg, turnEncoding: true }, new Rng(8));
    expect(critic.params['head.q1.w1']!.shape).toEqual([3 * cfg.dModel, cfg.headHidden]);
    expect(critic.params['head.v1.w1']!.shape).toEqual([cfg.dModel, cfg.headHidden]);
    // Which question is better depends on the turn already asked: an interaction of state and question.
    const st = [[...header, 3, ...turnA, 3], [...header, 3, ...turnB, 3], [...header, 3, ...turnA, 3], [...header, 3, ...turnB, 3]];
    const qs = [[12, 13], [12, 13], [14, 15], [14, 15]];
    const targets = tf.tensor1d([-1, -5, -5, -1]);
    const opt = tf.train.adam(1e-2);
    const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub(critic.values(st, qs).q1, targets))) as tf.Scalar);
    const before = loss().dataSync()[0] as number;
    // (An XOR: the mean, -3, is a plateau it leaves after about 250 steps.)
    for (let i = 0; i < 400; i++) opt.minimize(loss, false, critic.variables());
    expect(loss().dataSync()[0]).toBeLessThan(before * 0.05);
    const target = critic.clone();
    expect(target.config.turnEncoding).toBe(true);
    const [x, y] = [critic.values(st, qs), target.values(st, qs)];
    expect(Array.from(y.q1.dataSync())).toEqual(Array.from(x.q1.dataSync()));
    tf.dispose([x, y, targets] as unknown as tf.Tensor[]);
    opt.dispose();
    [critic, target].forEach((c) => c.dispose());
  });

  it('is refused together with joint encoding, and is chosen by critic.encoder', () => {
    expect(() => new Critic(20, { ...cfg, turnEncoding: true, jointEncoding: true }, new Rng(1))).toThrow(/cannot be combined with critic.joint_encoding/);
    const config = defaultConfig();
    config.critic.encoder = 'turns';
    const made = createCritic(config, Tokenizer.fromCorpus(CORPUS));
    expect(made.config.turnEncoding).toBe(true);
    made.dispose();
  });
});
