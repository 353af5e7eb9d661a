import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, TwentyQuestionsEnv, parseHistory } from './env';
import { TEST_KB } from './test-kb';
import { FULL_KB } from './kb';
import { SUBSET_10_KB } from './kb-instances';

const bananaIndex = TEST_KB.objects.findIndex((o) => o.name === 'banana');

describe('TwentyQuestionsEnv', () => {
  it('starts from "Questions:\\n" and appends "<question> <answer>" lines', () => {
    const env = new TwentyQuestionsEnv({ kb: TEST_KB });
    const { obs } = env.resetTo(bananaIndex);
    expect(obs).toBe(INITIAL_STATE);
    const r1 = env.step('Is it a fruit?');
    expect(r1.obs).toBe('Questions:\nIs it a fruit? Yes.\n');
    const r2 = env.step('  Does it   have wheels? ');
    expect(r2.obs).toBe('Questions:\nIs it a fruit? Yes.\nDoes it have wheels? No.\n');
    expect(parseHistory(r2.obs)).toEqual([
      { question: 'Is it a fruit?', answer: 'Yes.' },
      { question: 'Does it have wheels?', answer: 'No.' },
    ]);
  });

  it('pays -1 a turn, 0 for the correct guess, and terminates on it', () => {
    const env = new TwentyQuestionsEnv({ kb: TEST_KB });
    env.resetTo(bananaIndex);
    const q = env.step('Is it yellow?');
    expect([q.reward, q.terminated, q.truncated]).toEqual([-1, false, false]);
    const wrong = env.step('Is it an apple?');
    expect([wrong.reward, wrong.terminated, wrong.info.answer, wrong.info.correct]).toEqual([-1, false, 'No.', false]);
    const right = env.step('Is it a banana?');
    expect([right.reward, right.terminated, right.truncated, right.info.correct, right.info.turn]).toEqual([0, true, false, true, 3]);
    expect(() => env.step('Is it alive?')).toThrow(/reset/);
  });

  it('answers an invalid question "Invalid Question." and charges the turn', () => {
    const env = new TwentyQuestionsEnv({ kb: TEST_KB });
    env.resetTo(bananaIndex);
    const r = env.step('Tell me what it is');
    expect(r.info.answer).toBe('Invalid Question.');
    expect(r.info.valid).toBe(false);
    expect(r.reward).toBe(-1);
    expect(r.info.turn).toBe(1);
  });

  it('truncates after maxTurns without a correct guess, so returns lie in [-maxTurns, 0]', () => {
    const env = new TwentyQuestionsEnv({ kb: TEST_KB, maxTurns: 20 });
    env.resetTo(bananaIndex);
    let total = 0;
    let last;
    for (let t = 0; t < 20; t++) {
      last = env.step('Is it alive?');
      total += last.reward;
      if (t < 19) expect(last.truncated).toBe(false);
    }
    expect(last?.truncated).toBe(true);
    expect(last?.terminated).toBe(false);
    expect(total).toBe(-20);
  });

  it('hides the same object for the same seed, and spreads seeds over the objects', () => {
    const a = new TwentyQuestionsEnv();
    const b = new TwentyQuestionsEnv();
    const seen = new Set<string>();
    for (let seed = 0; seed < 2000; seed++) {
      expect(a.reset(seed).info.target).toBe(b.reset(seed).info.target);
      seen.add(a.targetName);
    }
    // 2000 uniform draws miss a given object with probability (1 - 1/n)^2000, under 0.1% here.
    expect(seen.size).toBeGreaterThan(FULL_KB.objects.length * 0.97);
  });

  it('offers the 10-object subset variant', () => {
    const env = new TwentyQuestionsEnv({ subset: 'subset10' });
    expect(env.kb).toBe(SUBSET_10_KB);
    expect(env.kb.objects).toHaveLength(10);
    const names = new Set(env.kb.objects.map((o) => o.name));
    for (let seed = 0; seed < 50; seed++) expect(names.has(env.reset(seed).info.target)).toBe(true);
  });

  it('rejects bad options and bad resets with a clear error', () => {
    expect(() => new TwentyQuestionsEnv({ maxTurns: 0 })).toThrow(/maxTurns/);
    expect(() => new TwentyQuestionsEnv({ kb: TEST_KB }).resetTo(99)).toThrow(/outside/);
    expect(() => new TwentyQuestionsEnv({ kb: TEST_KB }).step('Is it alive?')).toThrow(/reset/);
    expect(() => parseHistory('hello')).toThrow(/Questions/);
  });
});
