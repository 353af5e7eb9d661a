import { describe, expect, it } from 'vitest';
import { ARCHER_OBJECT_DICT, ARCHER_WORDS, archer10Names, archer157Names, referenceAcceptsGuess } from './reference-words';
import { FULL_KB, findObject, subsetKnowledgeBase, vectorKey } from './kb';
import { ARCHER_10_KB, ARCHER_157_KB } from './kb-instances';
import { SUBSETS, TwentyQuestionsEnv, knowledgeBaseFor, type Subset } from './env';
import { guessQuestion } from './grammar';
import { missingGuessWords, modelTokenizerFor, twentyQuestionsTokenizer } from './corpus';
import { SUBSET_10_KB } from './kb-instances';

describe("ArCHer's own word list (YifeiZhou02/ArCHer twenty_questions.py DEFAULT_OBJECT_DICT)", () => {
  it('has 157 words in 17 categories', () => {
    expect(Object.keys(ARCHER_OBJECT_DICT)).toHaveLength(17);
    expect(ARCHER_WORDS).toHaveLength(157);
  });

  it('names 157 different objects of the knowledge base, each with a unique attribute vector', () => {
    const names = archer157Names(FULL_KB);
    expect(new Set(names).size).toBe(157);
    expect(ARCHER_157_KB.objects.map((o) => o.name)).toEqual(names);
    const vectors = new Set(ARCHER_157_KB.objects.map((_, i) => vectorKey(ARCHER_157_KB, i)));
    expect(vectors.size).toBe(157);
  });

  it('wins with every synonym the reference accepts for the hidden word, and only for it', () => {
    const env = new TwentyQuestionsEnv({ subset: 'archer157' });
    const failures: string[] = [];
    ARCHER_WORDS.forEach((synonyms, index) => {
      for (const s of synonyms) {
        env.resetTo(index);
        const r = env.step(guessQuestion(s));
        if (!r.terminated || r.reward !== 0) failures.push(`${s} (hidden ${synonyms[0]})`);
      }
    });
    expect(failures).toEqual([]);
    // A different word's name is a wrong guess: "football" is American football, not the soccer ball.
    env.resetTo(ARCHER_WORDS.findIndex((w) => w[0] === 'soccer ball'));
    expect(env.step('Is it a football?').reward).toBe(-1);
  });

  it('plays the 10-word subset of llm_twenty_questions_subset.py (items 1, 11, ..., 91)', () => {
    const expected = ['football', 'dog', 'banana', 'truck', 'pants', 'computer', 'piano', 'chair', 'pen', 'scissors'];
    expect(archer10Names(FULL_KB)).toEqual(expected);
    expect(ARCHER_10_KB.objects.map((o) => o.name)).toEqual(expected);
    expect(new TwentyQuestionsEnv({ subset: 'archer10' }).kb).toBe(ARCHER_10_KB);
  });

  it("says which words the reference's last-word rule can never win (all their names are two words)", () => {
    expect(referenceAcceptsGuess('Is it a plane?', ['airplane', 'plane'])).toBe(true);
    expect(referenceAcceptsGuess('Is it a dog?!', ['dog'])).toBe(true);
    expect(referenceAcceptsGuess('Is it a soccer ball?', ['soccer ball'])).toBe(false);
    const unwinnable = ARCHER_WORDS.filter((w) => !w.some((s) => referenceAcceptsGuess(guessQuestion(s), w))).map((w) => w[0]);
    expect(unwinnable).toEqual(['soccer ball', 'golf ball', 'tennis ball', 'tennis racket', 'baseball bat', 'watering can', 'lawn mower']);
  });
});

describe('object-list presets', () => {
  it('offers full, subset10, archer10 and archer157, and refuses an unknown one with the valid names', () => {
    expect([...SUBSETS]).toEqual(['full', 'subset10', 'archer10', 'archer157']);
    expect(knowledgeBaseFor('archer157')).toBe(ARCHER_157_KB);
    expect(() => knowledgeBaseFor('archer20' as Subset)).toThrow('unknown object list "archer20" (valid: full, subset10, archer10, archer157)');
  });

  it('finds an object by any of its names, and a subset naming an unknown one is refused with the valid names', () => {
    expect(findObject(ARCHER_10_KB, '  Pair of  Pants ')).toBe(4);
    expect(findObject(ARCHER_10_KB, 'harp')).toBeUndefined();
    expect(() => subsetKnowledgeBase(ARCHER_10_KB, ['dog', 'harp'])).toThrow('subset names unknown object "harp" (valid: football, dog, banana, truck, pants, computer, piano, chair, pen, scissors)');
  });
});

describe('a model keeps the vocabulary it was trained with', () => {
  it('lists the guess words a vocabulary lacks and refuses a model that cannot name every object', () => {
    const small = twentyQuestionsTokenizer(SUBSET_10_KB).toJSON();
    expect(missingGuessWords(small.vocab, SUBSET_10_KB)).toEqual([]);
    expect(missingGuessWords(small.vocab, ARCHER_10_KB)).toEqual(expect.arrayContaining(['football', 'truck', 'pants', 'piano', 'pen', 'scissors']));
    expect(modelTokenizerFor(small, SUBSET_10_KB, 'm').toJSON().vocab).toEqual(small.vocab);
    expect(() => modelTokenizerFor(small, ARCHER_10_KB, 'public/models/x')).toThrow(/public\/models\/x: this model's vocabulary cannot name every object of the game \(missing: .*football/);
  });
});
