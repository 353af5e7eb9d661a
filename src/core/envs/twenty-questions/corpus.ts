/** The language of Twenty Questions, for building the word-level tokenizer. */
import type { KnowledgeBase } from './kb';
import { guessQuestion } from './grammar';
import { ANSWERS } from './oracle';
import { INITIAL_STATE } from './env';
import { Tokenizer } from '../../text/tokenizer';

/** Every canonical question and guess, the answers and the state header. */
export function twentyQuestionsCorpus(kb: KnowledgeBase): string[] {
  return [INITIAL_STATE, ...ANSWERS, ...kb.attributes.map((a) => a.question), ...kb.objects.map((o) => guessQuestion(o.name))];
}

export function twentyQuestionsTokenizer(kb: KnowledgeBase): Tokenizer {
  return Tokenizer.fromCorpus(twentyQuestionsCorpus(kb));
}
