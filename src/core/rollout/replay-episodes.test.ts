import { describe, expect, it } from 'vitest';
import type { Episode } from './episode';
import { annotateEpisode, answerOf, plainReplayEpisode, updateExtremes, type ReplayEpisode } from './replay-episodes';

/** A hand-built three-turn game: two questions, then the right guess. */
function game(): Episode {
  return {
    seed: 42,
    initialObs: 'Questions:\n',
    steps: [
      { action: 'Is it alive?', obs: 'Questions:\nIs it alive? Yes.\n', reward: -1, info: { answer: 'Yes.', valid: true } },
      {
        action: 'Blue?',
        obs: 'Questions:\nIs it alive? Yes.\nBlue? Invalid Question.\n',
        reward: -1,
        info: { answer: 'Invalid Question.', valid: false },
      },
      {
        action: 'Is it a cat?',
        obs: 'Questions:\nIs it alive? Yes.\nBlue? Invalid Question.\nIs it a cat? Yes.\n',
        reward: 0,
        info: { answer: 'Yes.', correct: true },
      },
    ],
    return: -2,
    success: true,
    invalidActions: 1,
    terminated: true,
    truncated: false,
    info: { target: 'cat', turn: 0 },
  };
}

const values = {
  q1: [-3, -1.5, 0.25],
  q2: [-2.5, -2, 0.5],
  v1: [-2.75, -1, 0.1],
  v2: [-3.25, -1.25, 0.2],
};

function replay(ret: number, index: number, iteration = 1): ReplayEpisode {
  return {
    iteration,
    index,
    seed: index,
    target: 'dog',
    return: ret,
    success: ret > -20,
    truncated: ret <= -20,
    turns: [],
    valuesFrom: 'after-iteration',
  };
}

describe('annotateEpisode', () => {
  it('joins every turn with min(Q1,Q2), min(V1,V2) and their difference', () => {
    const r = annotateEpisode(game(), values, 7, 3);
    expect(r.turns).toHaveLength(3);
    expect(r.turns.map((t) => t.q)).toEqual([-3, -2, 0.25]);
    expect(r.turns.map((t) => t.v)).toEqual([-3.25, -1.25, 0.1]);
    expect(r.turns.slice(0, 2).map((t) => t.advantage)).toEqual([0.25, -0.75]);
    expect(r.turns[2]?.advantage).toBeCloseTo(0.15, 12);
    const first = r.turns[0]!;
    expect([first.q1, first.q2, first.v1, first.v2]).toEqual([-3, -2.5, -2.75, -3.25]);
  });

  it('takes questions, answers and rewards from the steps, and the episode facts', () => {
    const r = annotateEpisode(game(), values, 7, 3);
    expect(r.turns.map((t) => t.question)).toEqual(['Is it alive?', 'Blue?', 'Is it a cat?']);
    expect(r.turns.map((t) => t.answer)).toEqual(['Yes.', 'Invalid Question.', 'Yes.']);
    expect(r.turns.map((t) => t.reward)).toEqual([-1, -1, 0]);
    expect(r).toMatchObject({
      iteration: 7,
      index: 3,
      seed: 42,
      target: 'cat',
      return: -2,
      success: true,
      truncated: false,
      valuesFrom: 'after-iteration',
    });
  });

  it('prefers info.answer over the observation text, and falls back to its last line', () => {
    const e = game();
    // info.answer wins even where the observation says something else.
    e.steps[0]!.info = { answer: 'No.' };
    // Without info.answer: the last line of the observation, trimmed.
    e.steps[1]!.info = {};
    e.steps[1]!.obs = 'Questions:\nIs it alive? Yes.\nNo.\n';
    const r = annotateEpisode(e, values, 1, 0);
    expect(r.turns.map((t) => t.answer)).toEqual(['No.', 'No.', 'Yes.']);
    expect(answerOf({ action: 'x', obs: '  Yes.  \n\n', reward: -1, info: { answer: 3 } })).toBe('Yes.');
  });

  it('accepts typed arrays', () => {
    const r = annotateEpisode(
      game(),
      { q1: Float32Array.from(values.q1), q2: Float32Array.from(values.q2), v1: Float32Array.from(values.v1), v2: Float32Array.from(values.v2) },
      1,
      0,
    );
    expect(r.turns.map((t) => t.q)).toEqual([-3, -2, 0.25]);
    expect(typeof r.turns[0]?.q1).toBe('number');
  });

  it('throws when a head has a different number of values than the episode has turns', () => {
    expect(() => annotateEpisode(game(), { ...values, v2: [1, 2] }, 1, 0)).toThrow(/v2 has 2 values for 3 turns/);
    expect(() => annotateEpisode(game(), { ...values, q1: [1, 2, 3, 4] }, 1, 0)).toThrow(/q1 has 4 values for 3 turns/);
  });

  it('gives an empty target when the episode info has none', () => {
    const e = game();
    e.info = {};
    expect(annotateEpisode(e, values, 1, 0).target).toBe('');
  });
});

describe('updateExtremes', () => {
  it('starts from nothing and picks the highest and lowest return', () => {
    const a = replay(-5, 0);
    const b = replay(-2, 1);
    const c = replay(-20, 2);
    const x = updateExtremes({}, [a, b, c]);
    expect(x.best).toBe(b);
    expect(x.worst).toBe(c);
    expect(updateExtremes({}, [])).toEqual({ best: undefined, worst: undefined });
  });

  it('keeps the earlier episode on a tie, within one batch and across batches', () => {
    const first = replay(-4, 0, 1);
    const tie = replay(-4, 1, 1);
    const x = updateExtremes({}, [first, tie]);
    expect(x.best).toBe(first);
    expect(x.worst).toBe(first);
    const later = replay(-4, 0, 2);
    const y = updateExtremes(x, [later]);
    expect(y.best).toBe(first);
    expect(y.worst).toBe(first);
  });

  it('replaces only what a later batch beats', () => {
    const x = updateExtremes({}, [replay(-6, 0, 1), replay(-3, 1, 1)]);
    const better = replay(-1, 0, 2);
    const y = updateExtremes(x, [better, replay(-5, 1, 2)]);
    expect(y.best).toBe(better);
    expect(y.worst).toBe(x.worst);
    const prev = { ...x };
    updateExtremes(x, [replay(-100, 0, 3)]);
    expect(x).toEqual(prev); // does not mutate its input
  });
});

describe('plainReplayEpisode (no critic: A*PO)', () => {
  it('keeps the turns and marks every value NaN with valuesFrom none', () => {
    const e = game();
    const r = plainReplayEpisode(e, 4, 2);
    expect(r.valuesFrom).toBe('none');
    expect(r.turns.map((t) => t.question)).toEqual(e.steps.map((s) => s.action));
    expect(r.turns.every((t) => [t.q1, t.q2, t.v1, t.v2, t.q, t.v, t.advantage].every(Number.isNaN))).toBe(true);
    expect([r.iteration, r.index, r.return]).toEqual([4, 2, e.return]);
  });
});
