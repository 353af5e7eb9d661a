/** The knowledge bases the game ships with, built once. */
import { FULL_KB, subsetKnowledgeBase, type KnowledgeBase } from './kb';
import { SUBSET_10 } from './knowledge-base.data';
import { archer10Names, archer157Names } from './reference-words';

export type { KnowledgeBase };
export { FULL_KB };
export const SUBSET_10_KB: KnowledgeBase = subsetKnowledgeBase(FULL_KB, SUBSET_10);
/** Exactly ArCHer's 157 words (twenty_questions.py), in its order. */
export const ARCHER_157_KB: KnowledgeBase = subsetKnowledgeBase(FULL_KB, archer157Names(FULL_KB));
/** Exactly ArCHer's 10-word subset (llm_twenty_questions_subset.py). */
export const ARCHER_10_KB: KnowledgeBase = subsetKnowledgeBase(FULL_KB, archer10Names(FULL_KB));
