import { describe, expect, it } from 'vitest';
import { TwentyQuestionsEnv, grammarFor } from './env';
import { ExpertPolicy, NoisyExpertPolicy, RandomPolicy, beliefFrom, candidateGains, expertChoice } from './policies';
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
