import { describe, expect, it } from 'vitest';
import { Grammar, guessQuestion, normaliseQuestion, withArticle } from './grammar';
import { answerOf } from './oracle';
import { TEST_KB } from './test-kb';
import { FULL_KB } from './kb';

const grammar = new Grammar(TEST_KB);
const index = (name: string) => TEST_KB.objects.findIndex((o) => o.name === name);

/** [question, hidden object, expected answer] */
const TABLE: [string, string, string][] = [
  ['Is it a fruit?', 'banana', 'Yes.'],
  ['Is it a fruit?', 'car', 'No.'],
  ['is it some kind of fruit', 'apple', 'Yes.'],
  ['Is it a type of vehicle?', 'bicycle', 'Yes.'],
  ['Is this an animal?', 'ant', 'Yes.'],
  ['Does it have wheels?', 'car', 'Yes.'],
  ['Does it have wheels?', 'banana', 'No.'],
  ['Has it got tires?', 'bicycle', 'Yes.'],
  ['Does it have an engine?', 'bicycle', 'No.'],
  ['Does it have a motor?', 'car', 'Yes.'],
  ['Can it fly?', 'eagle', 'Yes.'],
  ['Can it fly?', 'elephant', 'No.'],
  ['Does it fly?', 'eagle', 'Yes.'],
  ['Is it able to fly?', 'ant', 'No.'],
  ['Can you eat it?', 'apple', 'Yes.'],
  ['Can people eat it?', 'car', 'No.'],
  ['Is it alive?', 'eagle', 'Yes.'],
  ['Is it a living thing?', 'car', 'No.'],
  ['Is it usually yellow?', 'banana', 'Yes.'],
  ['Is it made of metal?', 'car', 'Yes.'],
  ['Is it made out of steel?', 'apple', 'No.'],
  ['Is it found in the kitchen?', 'banana', 'Yes.'],
  ['Would you find it in a kitchen?', 'car', 'No.'],
  ['Is it found outdoors?', 'elephant', 'Yes.'],
  ['Is it used for transportation?', 'bicycle', 'Yes.'],
  ['Do you use it for travel?', 'banana', 'No.'],
  ['Is it bigger than a car?', 'elephant', 'Yes.'],
  ['Is it bigger than a car?', 'car', 'No.'],
  ['Is it larger than a breadbox?', 'bicycle', 'Yes.'],
  ['Is it smaller than a person?', 'banana', 'Yes.'],
  ['Is it smaller than a coin?', 'ant', 'No.'],
  ['Is it bigger than an apple?', 'ant', 'No.'],
  ['Is it a banana?', 'banana', 'Yes.'],
  ['Is it a banana?', 'apple', 'No.'],
  ['Is it an automobile?', 'car', 'Yes.'],
  ['is it a bike', 'bicycle', 'Yes.'],
  ['IS IT AN EAGLE???', 'eagle', 'Yes.'],
  ['Is it bananas?', 'banana', 'Yes.'],
  ['What is it?', 'banana', 'Invalid Question.'],
  ['Is it not a fruit?', 'banana', 'Invalid Question.'],
  ['Is it a fruit or a vehicle?', 'banana', 'Invalid Question.'],
  ['Does it have feelings?', 'eagle', 'Invalid Question.'],
  ['Is it bigger than a galaxy?', 'elephant', 'Invalid Question.'],
  ['Is it a spaceship?', 'car', 'Invalid Question.'],
  ['', 'car', 'Invalid Question.'],
  ['banana', 'banana', 'Invalid Question.'],
];

describe('question grammar and oracle', () => {
  it.each(TABLE)('%s (hidden: %s) -> %s', (question, hidden, expected) => {
    expect(answerOf(TEST_KB, grammar.parse(question), index(hidden))).toBe(expected);
  });

  it('normalises case, punctuation and subject words', () => {
    expect(normaliseQuestion('  Is THIS a Fruit?!  ')).toBe('is it a fruit');
    expect(normaliseQuestion('Does the object have wheels?')).toBe('does it have wheels');
  });

  it('parses every canonical question of the full knowledge base to its own attribute', () => {
    const full = new Grammar(FULL_KB);
    FULL_KB.attributes.forEach((attr, a) => {
      const parsed = full.parse(attr.question);
      if (attr.family === 'size') {
        expect(parsed.kind, attr.question).toBe('size');
      } else {
        expect(parsed, attr.question).toEqual({ kind: 'attribute', attribute: a });
      }
      // The oracle's answer to the canonical question is the knowledge base's fact, for every object.
      FULL_KB.objects.forEach((_, o) => {
        const fact = FULL_KB.matrix[o]?.[a] === 1 ? 'Yes.' : 'No.';
        expect(answerOf(FULL_KB, parsed, o), `${attr.question} / ${FULL_KB.objects[o]?.name}`).toBe(fact);
      });
    });
  });

  it('understands the canonical guess for every object of the full list', () => {
    const full = new Grammar(FULL_KB);
    FULL_KB.objects.forEach((obj, o) => {
      expect(full.parse(guessQuestion(obj.name)), obj.name).toEqual({ kind: 'guess', object: o });
      for (const alias of obj.aliases) expect(full.parse(`Is it ${alias}?`), alias).toEqual({ kind: 'guess', object: o });
    });
  });

  it('chooses a or an by sound', () => {
    expect(withArticle('banana')).toBe('a banana');
    expect(withArticle('apple')).toBe('an apple');
    expect(withArticle('umbrella')).toBe('an umbrella');
    expect(withArticle('unicorn')).toBe('a unicorn');
  });
});
