/** The knowledge bases the game ships with, built once. */
import { FULL_KB, subsetKnowledgeBase, type KnowledgeBase } from './kb';
import { SUBSET_10 } from './knowledge-base.data';

export type { KnowledgeBase };
export { FULL_KB };
export const SUBSET_10_KB: KnowledgeBase = subsetKnowledgeBase(FULL_KB, SUBSET_10);
