import { describe, expect, it } from 'vitest';
import { TwentyQuestionsEnv, grammarFor } from './env';
import { ExpertPolicy, NoisyExpertPolicy, RandomPolicy, beliefFrom, candidateGains, expertChoice, expertQValues } from './policies';
import { treeBound } from './bound';
import { evaluate } from '../../rollout/episode';
import { TEST_KB } from './test-kb';
import { FULL_KB } from './kb';

describe('belief tracking', () => {
  it('keeps exactly the objects consistent with the answers', () => {
    const obs = 'Questions:\nIs it alive? No.\nDoes it have wheels? Yes.\nWhat? Invalid Question.\n';
    const b = beliefFrom(TEST_KB, grammarFor(TEST_KB), obs);
    expect(b.candidates.map((o) => TEST_KB.objects[o]?.name).sort()).toEqual(['bicycle', 'car']);
    expect(b.turns).toBe(3);
    expect(b.asked.has('Does it have wheels?')).toBe(true);
  });
});

describe('expert policy', () => {
  it('guesses when one candidate is left, and prefers a guess to an equally informative question', () => {
    const car = TEST_KB.objects.findIndex((o) => o.name === 'car');
    const bike = TEST_KB.objects.findIndex((o) => o.name === 'bicycle');
    expect(expertChoice(TEST_KB, [car]).question).toBe('Is it a car?');
    expect(expertChoice(TEST_KB, [car, bike]).question).toMatch(/^Is it a (car|bicycle)\?$/);
    // With all seven objects a guess (1 vs 6) carries less information than the best question.
    const all = TEST_KB.objects.map((_, i) => i);
    expect(expertChoice(TEST_KB, all).question).not.toMatch(/^Is it (a|an) (banana|apple|car|bicycle|eagle|elephant|ant)\?$/);
  });

  it('solves every game of the full list, with only valid questions', () => {
    const env = new TwentyQuestionsEnv();
    const { summary } = evaluate(env, new ExpertPolicy(env.kb), 300, 1);
    expect(summary.successRate).toBe(1);
    expect(summary.invalidRate).toBe(0);
  });

  it('matches its exact tree bound over 500 seeded games within 0.5', () => {
    const env = new TwentyQuestionsEnv();
    const bound = treeBound(FULL_KB, 20);
    const { summary } = evaluate(env, new ExpertPolicy(env.kb), 500, 7);
    expect(Math.abs(summary.meanReturn - bound.optimalBound)).toBeLessThan(0.5);
    // The tree cannot beat the information floor: at least ceil(log2 n) - 1 paid turns on average, roughly.
    expect(-bound.optimalBound).toBeGreaterThan(Math.log2(FULL_KB.objects.length) - 2);
    expect(bound.maxTurnsUsed).toBeLessThanOrEqual(20);
  });
});

describe('random and noisy policies', () => {
  it('random play is far below the expert', () => {
    const env = new TwentyQuestionsEnv();
    const expert = evaluate(env, new ExpertPolicy(env.kb), 200, 3).summary;
    const random = evaluate(env, new RandomPolicy(env.kb), 200, 3).summary;
    expect(random.meanReturn).toBeLessThan(expert.meanReturn - 3);
    expect(random.invalidRate).toBe(0);
  });

  it('noisy expert sits between random and expert, and is reproducible by seed', () => {
    const env = new TwentyQuestionsEnv();
    const noisy = evaluate(env, new NoisyExpertPolicy(env.kb, 0.5), 200, 3);
    const again = evaluate(env, new NoisyExpertPolicy(env.kb, 0.5), 200, 3);
    expect(again.summary).toEqual(noisy.summary);
    const expert = evaluate(env, new ExpertPolicy(env.kb), 200, 3).summary;
    const random = evaluate(env, new RandomPolicy(env.kb), 200, 3).summary;
    expect(noisy.summary.meanReturn).toBeLessThan(expert.meanReturn);
    expect(noisy.summary.meanReturn).toBeGreaterThan(random.meanReturn);
    expect(noisy.summary.invalidRate).toBe(0);
  });
});

describe('candidateGains (the critic instrument)', () => {
  const H = (p: number) => -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
  const gainOf = (obs: string, utterance: string) => {
    const c = candidateGains(TEST_KB, obs);
    const i = c.utterances.indexOf(utterance);
    expect(i, utterance).toBeGreaterThanOrEqual(0);
    return c.gains[i]!;
  };
  it('lists every attribute question and a guess of every object, once each', () => {
    const c = candidateGains(TEST_KB, 'Questions:\n');
    expect(c.utterances.length).toBe(TEST_KB.attributes.length + TEST_KB.objects.length);
    expect(new Set(c.utterances).size).toBe(c.utterances.length);
    expect(c.gains.length).toBe(c.utterances.length);
  });
  it('scores each question by the entropy of its split over the objects still possible', () => {
    const start = 'Questions:\n';
    expect(gainOf(start, 'Can it fly?')).toBeCloseTo(H(1 / 7), 12); // eagle alone
    expect(gainOf(start, 'Is it alive?')).toBeCloseTo(H(3 / 7), 12); // the three animals
    expect(gainOf(start, 'Is it a car?')).toBeCloseTo(H(1 / 7), 12);
    const notAlive = 'Questions:\nIs it alive? No.\n'; // banana, apple, car, bicycle
    expect(gainOf(notAlive, 'Does it have an engine?')).toBeCloseTo(H(1 / 4), 12);
    expect(gainOf(notAlive, 'Does it have wheels?')).toBeCloseTo(1, 12); // the two vehicles
    expect(gainOf(notAlive, 'Is it an eagle?')).toBe(0); // excluded
    expect(gainOf(notAlive, 'Is it alive?')).toBe(0); // already known
  });
  it('gives the winning guess 1 bit when one object is left', () => {
    const flies = 'Questions:\nCan it fly? Yes.\n';
    expect(gainOf(flies, 'Is it an eagle?')).toBe(1);
    expect(gainOf(flies, 'Is it a car?')).toBe(0);
    expect(gainOf(flies, 'Is it alive?')).toBe(0);
  });
});

describe('expertQValues (the rank instrument\'s ceiling)', () => {
  it('values asking a question then playing the expert, the object uniform over those still possible', () => {
    const g = 0.9;
    // One object left: guessing it wins now (0); any other question costs a turn, then the expert wins (-1).
    expect(expertQValues(TEST_KB, 'Questions:\nCan it fly? Yes.\n', ['Is it an eagle?', 'Is it alive?'], g)).toEqual([0, -1]);
    // Car or bicycle: guessing the car wins half the time, else the bicycle next turn: 0.5 * 0 + 0.5 * (-1 + 0.9 * 0).
    const two = 'Questions:\nIs it alive? No.\nDoes it have wheels? Yes.\n';
    const [guess, engine] = expertQValues(TEST_KB, two, ['Is it a car?', 'Does it have an engine?'], g);
    expect(guess).toBeCloseTo(-0.5, 12);
    expect(engine).toBeCloseTo(-1, 12); // splits them, then the expert guesses right: -1 + 0.9 * 0
    // No turns left: nothing more happens.
    expect(expertQValues(TEST_KB, two, ['Is it a car?'], g, 2)).toEqual([0]);
  });
  it("at the start, the expert's own first question is worth its tree's exact bound (undiscounted)", () => {
    const first = expertChoice(TEST_KB, TEST_KB.objects.map((_, i) => i)).question;
    expect(expertQValues(TEST_KB, 'Questions:\n', [first], 1, 20)[0]).toBeCloseTo(treeBound(TEST_KB, 20).optimalBound, 9);
  });
});
