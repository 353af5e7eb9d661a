/** The language of Twenty Questions, for building the word-level tokenizer. */
import type { KnowledgeBase } from './kb';
import { guessQuestion } from './grammar';
import { ANSWERS } from './oracle';
import { INITIAL_STATE } from './env';
import { Tokenizer, type TokenizerJSON } from '../../text/tokenizer';

/** Every canonical question and guess, the answers and the state header. */
export function twentyQuestionsCorpus(kb: KnowledgeBase): string[] {
  return [INITIAL_STATE, ...ANSWERS, ...kb.attributes.map((a) => a.question), ...kb.objects.map((o) => guessQuestion(o.name))];
}

export function twentyQuestionsTokenizer(kb: KnowledgeBase): Tokenizer {
  return Tokenizer.fromCorpus(twentyQuestionsCorpus(kb));
}

/** The words of the canonical guesses of `kb`'s objects that `vocab` lacks (a policy with that vocabulary cannot name them). */
export function missingGuessWords(vocab: readonly string[], kb: KnowledgeBase): string[] {
  const known = new Set(vocab);
  const missing = new Set<string>();
  const words = Tokenizer.fromCorpus(kb.objects.map((o) => guessQuestion(o.name))).toJSON().vocab;
  for (const w of words) if (!known.has(w)) missing.add(w);
  return [...missing];
}

/**
 * The tokenizer a saved Twenty Questions model plays with: its own vocabulary (a model keeps the
 * one it was trained with, so adding objects to the knowledge base does not break shipped models).
 * Refused, naming the words, when the model cannot name every object of the game it is asked to
 * play (e.g. a model trained before the knowledge base grew, on the full object list).
 */
export function modelTokenizerFor(json: TokenizerJSON, kb: KnowledgeBase, where: string): Tokenizer {
  const missing = missingGuessWords(json.vocab, kb);
  if (missing.length > 0) {
    throw new Error(`${where}: this model's vocabulary cannot name every object of the game (missing: ${missing.slice(0, 12).join(', ')}${missing.length > 12 ? `, ... ${missing.length} in all` : ''}); pretrain one for it: npm run cli -- pretrain --subset <preset>`);
  }
  return Tokenizer.fromJSON(json);
}
