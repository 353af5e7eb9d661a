/**
 * Scripted Twenty Questions policies that read only the state text, as a learned agent would:
 *   random  - random questions from the grammar for half the turns, then random guesses among the
 *             objects still consistent with the answers;
 *   expert  - greedy information gain over the remaining candidates; a guess counts as a question
 *             (it splits one object from the rest) and wins ties, because a correct guess also ends
 *             the game; with one candidate left it guesses it;
 *   noisy   - the expert, but each turn with probability epsilon a random question instead
 *             (the behaviour-cloning source for the actor's reference policy).
 */
import { Rng } from '../../util/rng';
import type { KnowledgeBase } from './kb';
import { grammarFor, parseHistory } from './env';
import { guessQuestion, type Grammar } from './grammar';
import { truthOf } from './oracle';

export interface TextPolicy {
  readonly name: string;
  /** Called at the start of every episode. */
  reset(seed: number): void;
  act(obs: string): string;
}

export type PolicyName = 'random' | 'expert' | 'noisy';
export const POLICY_NAMES: readonly PolicyName[] = ['random', 'expert', 'noisy'];

/** What the history says: objects still possible, questions already asked. */
export interface Belief {
  candidates: number[];
  asked: Set<string>;
  turns: number;
}

export function beliefFrom(kb: KnowledgeBase, grammar: Grammar, obs: string): Belief {
  let candidates = kb.objects.map((_, i) => i);
  const asked = new Set<string>();
  const turns = parseHistory(obs);
  for (const { question, answer } of turns) {
    asked.add(question);
    if (answer === 'Invalid Question.') continue;
    const parsed = grammar.parse(question);
    const yes = answer === 'Yes.';
    candidates = candidates.filter((o) => truthOf(kb, parsed, o) === yes);
  }
  return { candidates, asked, turns: turns.length };
}

function entropy(p: number): number {
  if (p <= 0 || p >= 1) return 0;
  return -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}

/** Bits an attribute question gains over a candidate set: the entropy of its yes/no split. */
function attributeGain(kb: KnowledgeBase, candidates: readonly number[], a: number): number {
  let yes = 0;
  for (const o of candidates) yes += kb.matrix[o]?.[a] ?? 0;
  return entropy(yes / candidates.length);
}

/** The expert's choice for a candidate set: the most informative question, guesses winning ties. */
export function expertChoice(kb: KnowledgeBase, candidates: readonly number[]): { question: string; gain: number } {
  const n = candidates.length;
  const first = candidates[0];
  if (first === undefined) throw new Error('no object is consistent with the answers so far');
  const guess = { question: guessQuestion(kb.objects[first]?.name ?? ''), gain: entropy(1 / n) };
  if (n === 1) return guess;
  let best = { question: '', gain: -1 };
  kb.attributes.forEach((attr, a) => {
    const gain = attributeGain(kb, candidates, a);
    if (gain > best.gain + 1e-12) best = { question: attr.question, gain };
  });
  return guess.gain + 1e-12 >= best.gain ? guess : best;
}

/**
 * Every question the knowledge base can answer (each attribute question and a guess of each
 * object) with the information gain, in bits, that the expert scores it with at this state: the
 * entropy of its yes/no split over the objects still possible (a guess of a possible object splits
 * one from the rest; a guess of an excluded one gains nothing, and guessing the one object left,
 * which wins the game, counts 1 bit). The critic's instrument ranks Q over these against the
 * gains.
 */
export function candidateGains(kb: KnowledgeBase, obs: string): { utterances: string[]; gains: number[] } {
  const { candidates } = beliefFrom(kb, grammarFor(kb), obs);
  const n = candidates.length;
  const utterances: string[] = [];
  const gains: number[] = [];
  kb.attributes.forEach((attr, a) => {
    utterances.push(attr.question);
    gains.push(n === 0 ? 0 : attributeGain(kb, candidates, a));
  });
  const possible = new Set(candidates);
  kb.objects.forEach((obj, o) => {
    utterances.push(guessQuestion(obj.name));
    gains.push(possible.has(o) ? (n === 1 ? 1 : entropy(1 / n)) : 0);
  });
  return { utterances, gains };
}

/**
 * The expert's exact action values at a state: for each utterance, the expected discounted return
 * of asking it now and then playing the expert (expertChoice) to the end, the hidden object uniform
 * over the objects still possible, reward -1 a turn and 0 on the winning guess, and no turns after
 * `maxTurns` (the game ends there, as ArCHer's does). The ceiling for the critic's rank instrument:
 * how well a perfect critic of this good policy would agree with information gain.
 */
export function expertQValues(kb: KnowledgeBase, obs: string, utterances: readonly string[], gamma: number, maxTurns = 20): number[] {
  const grammar = grammarFor(kb);
  const belief = beliefFrom(kb, grammar, obs);
  const memo = new Map<string, number>();
  const parsedOf = new Map<string, ReturnType<Grammar['parse']>>();
  const parse = (q: string) => {
    let p = parsedOf.get(q);
    if (!p) parsedOf.set(q, (p = grammar.parse(q)));
    return p;
  };
  // Return of asking `q` with candidates `cands`, hidden object `o`, `left` turns left (q included).
  const ask = (q: string, cands: readonly number[], o: number, left: number): number => {
    if (left <= 0) return 0;
    const parsed = parse(q);
    if (parsed.kind === 'guess' && parsed.object === o) return 0;
    const truth = truthOf(kb, parsed, o);
    const next = truth === null ? cands : cands.filter((c) => truthOf(kb, parsed, c) === truth);
    return -1 + gamma * expertValue(next, o, left - 1);
  };
  const expertValue = (cands: readonly number[], o: number, left: number): number => {
    if (left <= 0 || cands.length === 0) return 0;
    const key = `${cands.join(',')}|${o}|${left}`;
    let v = memo.get(key);
    if (v === undefined) memo.set(key, (v = ask(expertChoice(kb, cands).question, cands, o, left)));
    return v;
  };
  const left = maxTurns - belief.turns;
  const cands = belief.candidates;
  return utterances.map((u) => (cands.length === 0 ? 0 : cands.reduce((sum, o) => sum + ask(u, cands, o, left), 0) / cands.length));
}

export class ExpertPolicy implements TextPolicy {
  readonly name: string = 'expert';
  protected readonly grammar: Grammar;
  constructor(readonly kb: KnowledgeBase) {
    this.grammar = grammarFor(kb);
  }
  reset(_seed: number): void {}
  act(obs: string): string {
    return expertChoice(this.kb, beliefFrom(this.kb, this.grammar, obs).candidates).question;
  }
}

/** A random attribute question not yet asked (any question if all were asked). */
function randomQuestion(kb: KnowledgeBase, rng: Rng, asked: Set<string>): string {
  const fresh = kb.attributes.filter((a) => !asked.has(a.question));
  return rng.pick(fresh.length > 0 ? fresh : kb.attributes).question;
}

export class RandomPolicy implements TextPolicy {
  readonly name = 'random';
  private rng = new Rng(0);
  private readonly grammar: Grammar;
  constructor(readonly kb: KnowledgeBase, readonly questionTurns = 10) {
    this.grammar = grammarFor(kb);
  }
  reset(seed: number): void {
    this.rng = new Rng(seed ^ 0x5f3759df);
  }
  act(obs: string): string {
    const belief = beliefFrom(this.kb, this.grammar, obs);
    if (belief.turns < this.questionTurns) return randomQuestion(this.kb, this.rng, belief.asked);
    const open = belief.candidates.filter((o) => !belief.asked.has(guessQuestion(this.kb.objects[o]?.name ?? '')));
    const pool = open.length > 0 ? open : this.kb.objects.map((_, i) => i);
    return guessQuestion(this.kb.objects[this.rng.pick(pool)]?.name ?? '');
  }
}

export class NoisyExpertPolicy extends ExpertPolicy {
  override readonly name = 'noisy';
  private rng = new Rng(0);
  constructor(kb: KnowledgeBase, readonly epsilon = 0.5) {
    super(kb);
    if (!(epsilon >= 0 && epsilon <= 1)) throw new Error(`epsilon must lie in [0, 1], got ${epsilon}`);
  }
  override reset(seed: number): void {
    this.rng = new Rng(seed ^ 0x2545f491);
  }
  override act(obs: string): string {
    const belief = beliefFrom(this.kb, this.grammar, obs);
    if (belief.candidates.length > 1 && this.rng.next() < this.epsilon) {
      return randomQuestion(this.kb, this.rng, belief.asked);
    }
    return expertChoice(this.kb, belief.candidates).question;
  }
}

export function makePolicy(name: PolicyName, kb: KnowledgeBase, options: { epsilon?: number } = {}): TextPolicy {
  switch (name) {
    case 'random':
      return new RandomPolicy(kb);
    case 'expert':
      return new ExpertPolicy(kb);
    case 'noisy':
      return new NoisyExpertPolicy(kb, options.epsilon);
  }
}
