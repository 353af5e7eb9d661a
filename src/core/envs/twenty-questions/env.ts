/**
 * Twenty Questions as ArCHer plays it: a hidden object, a state text that starts "Questions:\n"
 * and grows by "<question> <answer>\n" each turn, reward -1 a turn and 0 on the turn that names
 * the object, at most `maxTurns` turns (then the episode is truncated).
 */
import { Rng } from '../../util/rng';
import type { ResetResult, StepResult, TextEnv } from '../types';
import { ARCHER_10_KB, ARCHER_157_KB, FULL_KB, SUBSET_10_KB, type KnowledgeBase } from './kb-instances';
import { Grammar, type ParsedQuestion } from './grammar';
import { answerOf, type Answer } from './oracle';
import { SUBSETS, type Subset } from './subsets';

export const INITIAL_STATE = 'Questions:\n';

export { SUBSETS, SUBSET_LABELS, type Subset } from './subsets';

export interface TwentyQuestionsOptions {
  subset?: Subset;
  /** A custom knowledge base (overrides `subset`). */
  kb?: KnowledgeBase;
  maxTurns?: number;
}

export interface TwentyQuestionsInfo {
  /** The hidden object's name (for logging and replay; policies must not read it). */
  target: string;
  turn: number;
  answer?: Answer;
  parsed?: ParsedQuestion['kind'];
  valid?: boolean;
  correct?: boolean;
}

const grammars = new WeakMap<KnowledgeBase, Grammar>();

/** One grammar per knowledge base, shared by every environment and policy that uses it. */
export function grammarFor(kb: KnowledgeBase): Grammar {
  let g = grammars.get(kb);
  if (!g) grammars.set(kb, (g = new Grammar(kb)));
  return g;
}

const KB_BY_SUBSET: Readonly<Record<Subset, KnowledgeBase>> = {
  full: FULL_KB,
  subset10: SUBSET_10_KB,
  archer10: ARCHER_10_KB,
  archer157: ARCHER_157_KB,
};

/** The knowledge base of a preset; an unknown name is refused with the list of valid ones. */
export function knowledgeBaseFor(subset: Subset): KnowledgeBase {
  const kb = (KB_BY_SUBSET as Record<string, KnowledgeBase | undefined>)[subset];
  if (kb === undefined) throw new Error(`Twenty Questions: unknown object list "${String(subset)}" (valid: ${SUBSETS.join(', ')})`);
  return kb;
}

export class TwentyQuestionsEnv implements TextEnv<TwentyQuestionsInfo> {
  readonly name = 'twenty-questions';
  readonly kb: KnowledgeBase;
  readonly maxTurns: number;
  private readonly grammar: Grammar;
  private target = -1;
  private turn = 0;
  private state = INITIAL_STATE;
  private done = true;

  constructor(options: TwentyQuestionsOptions = {}) {
    this.kb = options.kb ?? knowledgeBaseFor(options.subset ?? 'full');
    this.maxTurns = options.maxTurns ?? 20;
    if (!Number.isInteger(this.maxTurns) || this.maxTurns < 1) {
      throw new Error(`maxTurns must be a positive integer, got ${options.maxTurns}`);
    }
    this.grammar = grammarFor(this.kb);
  }

  /** A seeded reset: the same seed always hides the same object. */
  reset(seed: number): ResetResult<TwentyQuestionsInfo> {
    return this.resetTo(new Rng(seed).int(this.kb.objects.length));
  }

  /** Reset with a chosen hidden object (exhaustive evaluation, replays, a person picking). */
  resetTo(objectIndex: number): ResetResult<TwentyQuestionsInfo> {
    if (!Number.isInteger(objectIndex) || objectIndex < 0 || objectIndex >= this.kb.objects.length) {
      throw new Error(`object index ${objectIndex} is outside 0..${this.kb.objects.length - 1}`);
    }
    this.target = objectIndex;
    this.turn = 0;
    this.state = INITIAL_STATE;
    this.done = false;
    return { obs: this.state, info: { target: this.targetName, turn: 0 } };
  }

  get targetName(): string {
    return this.kb.objects[this.target]?.name ?? '';
  }

  get targetIndex(): number {
    return this.target;
  }

  step(actionText: string): StepResult<TwentyQuestionsInfo> {
    if (this.done) throw new Error('the episode is over: call reset() before step()');
    const question = actionText.replace(/\s+/g, ' ').trim();
    const parsed = this.grammar.parse(question);
    const answer = answerOf(this.kb, parsed, this.target);
    const correct = parsed.kind === 'guess' && answer === 'Yes.';
    this.turn += 1;
    this.state += `${question} ${answer}\n`;
    const terminated = correct;
    const truncated = !correct && this.turn >= this.maxTurns;
    this.done = terminated || truncated;
    return {
      obs: this.state,
      reward: correct ? 0 : -1,
      terminated,
      truncated,
      info: {
        target: this.targetName,
        turn: this.turn,
        answer,
        parsed: parsed.kind,
        valid: parsed.kind !== 'invalid',
        correct,
      },
    };
  }
}

/** Splits a state text back into (question, answer) turns. */
export function parseHistory(state: string): { question: string; answer: Answer }[] {
  if (!state.startsWith(INITIAL_STATE)) throw new Error('not a Twenty Questions state: it must start with "Questions:\\n"');
  const turns: { question: string; answer: Answer }[] = [];
  for (const line of state.slice(INITIAL_STATE.length).split('\n')) {
    if (line.length === 0) continue;
    const answer = (['Invalid Question.', 'Yes.', 'No.'] as const).find((a) => line.endsWith(` ${a}`));
    if (!answer) throw new Error(`malformed turn line: "${line}"`);
    turns.push({ question: line.slice(0, -answer.length - 1), answer });
  }
  return turns;
}
