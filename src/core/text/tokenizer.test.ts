import { describe, expect, it } from 'vitest';
import { EOU, NL, PAD, SPECIAL_TOKENS, Tokenizer, UNK } from './tokenizer';

const QUESTIONS = [
  'Is it alive?',
  'Does it have wheels?',
  'Is it bigger than a car?',
  'Is it smaller than a breadbox?',
  'Can you eat it?',
  'Is it made of metal?',
  'Is it found in a kitchen?',
  'Is it a banana?',
  'Is it an apple?',
  'Is it a fruit?',
];
const CORPUS = ['Questions:\n', 'Yes.', 'No.', 'Invalid Question.', ...QUESTIONS];

describe('Tokenizer', () => {
  const tok = Tokenizer.fromCorpus(CORPUS);

  it('puts the special tokens first and sorts the words', () => {
    expect(SPECIAL_TOKENS.map((s) => tok.idOf(s))).toEqual([PAD, UNK, EOU, NL]);
    const words = tok.toJSON().vocab.slice(4);
    expect(words).toEqual([...words].sort());
    expect(words).toContain('?');
    expect(words).toContain('banana');
    expect(words).not.toContain('Banana');
    // Deterministic: corpus order does not matter.
    expect(Tokenizer.fromCorpus([...CORPUS].reverse()).toJSON()).toEqual(tok.toJSON());
  });

  it('splits punctuation and newlines into tokens, lower-cased', () => {
    const ids = tok.encode('Is it a banana?');
    expect(ids.map((i) => tok.tokenOf(i))).toEqual(['is', 'it', 'a', 'banana', '?']);
    expect(tok.encode('Questions:\nIs it alive? No.\n').map((i) => tok.tokenOf(i))).toEqual([
      'questions', ':', '<nl>', 'is', 'it', 'alive', '?', 'no', '.', '<nl>',
    ]);
    expect(tok.encodeUtterance('Is it alive?')).toEqual([...tok.encode('Is it alive?'), EOU]);
  });

  it('round-trips canonical questions', () => {
    for (const q of QUESTIONS) expect(tok.decode(tok.encode(q))).toBe(q);
    for (const q of QUESTIONS) expect(tok.decode(tok.encodeUtterance(q))).toBe(q);
  });

  it('round-trips state texts, answers included', () => {
    const state =
      'Questions:\nIs it alive? No.\nDoes it have wheels? Yes.\nIs it smaller than a car? Invalid Question.\nIs it a banana? No.\n';
    expect(tok.decode(tok.encode(state))).toBe(state);
    expect(tok.decode(tok.encode('Questions:\n'))).toBe('Questions:\n');
  });

  it('normalises non-canonical spacing and case', () => {
    expect(tok.decode(tok.encode('  IS it   a BANANA ?'))).toBe('Is it a banana?');
  });

  it('maps unknown words to <unk> and stops decoding at <eou>', () => {
    const ids = tok.encode('Is it a zebra?');
    expect(ids[3]).toBe(UNK);
    expect(tok.decode(ids)).toBe('Is it a <unk>?');
    expect(tok.encode('<eou>')).toEqual([UNK]);
    const q = tok.encode('Is it alive?');
    expect(tok.decode([...q, EOU, ...tok.encode('Yes.')])).toBe('Is it alive?');
    expect(tok.decode([PAD, PAD, ...q])).toBe('Is it alive?');
  });

  it('serialises to JSON and back', () => {
    const json = JSON.parse(JSON.stringify(tok.toJSON()));
    const back = Tokenizer.fromJSON(json);
    expect(back.size).toBe(tok.size);
    for (const q of CORPUS) expect(back.encode(q)).toEqual(tok.encode(q));
    expect(back.decode(back.encode('Invalid Question.'))).toBe('Invalid Question.');
    expect(() => Tokenizer.fromJSON({ kind: 'x' } as never)).toThrow(/word-tokenizer/);
    expect(() => tok.tokenOf(tok.size)).toThrow(/outside the vocabulary/);
  });
});

describe('Tokenizer on the Twenty Questions knowledge base', async () => {
  // Loaded lazily so that this file does not depend on the environment code at import time.
  const { FULL_KB } = await import('../envs/twenty-questions/kb');
  const { guessQuestion } = await import('../envs/twenty-questions/grammar');
  const { TwentyQuestionsEnv } = await import('../envs/twenty-questions/env');
  const { Rng } = await import('../util/rng');
  const questions = [...FULL_KB.attributes.map((a) => a.question), ...FULL_KB.objects.map((o) => guessQuestion(o.name))];
  const tok = Tokenizer.fromCorpus(['Questions:\n', 'Yes.', 'No.', 'Invalid Question.', ...questions]);

  it('round-trips every canonical question and guess', () => {
    for (const q of questions) expect(tok.decode(tok.encode(q))).toBe(q);
    expect(Math.max(...questions.map((q) => tok.encodeUtterance(q).length))).toBeLessThanOrEqual(16);
    expect(tok.encode(questions.join(' '))).not.toContain(UNK);
  });

  it('round-trips the state text of a played game', () => {
    const env = new TwentyQuestionsEnv();
    const rng = new Rng(4);
    let obs = env.reset(1).obs;
    for (let t = 0; t < 20; t++) {
      const q = t % 7 === 6 ? 'What is it made of?' : rng.pick(questions);
      const r = env.step(q);
      obs = r.obs;
      if (r.terminated || r.truncated) break;
    }
    expect(obs.split('\n').length).toBeGreaterThan(3);
    if (obs.includes('What is it')) {
      // Unknown words come back as <unk>; everything else is exact.
      expect(tok.decode(tok.encode(obs))).toBe(obs.replace(/What is it made of\?/g, '<unk> is it made of?'));
    } else {
      expect(tok.decode(tok.encode(obs))).toBe(obs);
    }
  });
});
