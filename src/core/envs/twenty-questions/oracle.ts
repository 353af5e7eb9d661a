/**
 * The oracle: answers a parsed question about a hidden object from the knowledge base.
 */
import type { KnowledgeBase } from './kb';
import type { ParsedQuestion } from './grammar';

export type Answer = 'Yes.' | 'No.' | 'Invalid Question.';

export const ANSWERS: readonly Answer[] = ['Yes.', 'No.', 'Invalid Question.'];

/** True/false for a valid question about object `target`, null for an invalid one. */
export function truthOf(kb: KnowledgeBase, parsed: ParsedQuestion, target: number): boolean | null {
  switch (parsed.kind) {
    case 'attribute':
      return kb.matrix[target]?.[parsed.attribute] === 1;
    case 'guess':
      return parsed.object === target;
    case 'size': {
      const size = kb.objects[target]?.size ?? 0;
      return parsed.op === 'bigger' ? size > parsed.size : size < parsed.size;
    }
    case 'invalid':
      return null;
  }
}

export function answerOf(kb: KnowledgeBase, parsed: ParsedQuestion, target: number): Answer {
  const t = truthOf(kb, parsed, target);
  return t === null ? 'Invalid Question.' : t ? 'Yes.' : 'No.';
}
