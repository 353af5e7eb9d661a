/** The language-model actor as a batched policy over state texts. */
import type { Actor } from '../models/actor';
import type { Rng } from '../util/rng';
import type { BatchPolicy } from './collect';
import type { Episode } from './episode';

export interface ActorPolicyOptions {
  /** Sampling temperature; 0 means greedy (argmax) decoding. */
  temperature: number;
  rng: Rng;
  /** Told how many tokens each call generated (<eou> included), e.g. for tokens per second. */
  onTokens?: (count: number) => void;
}

export function actorPolicy(actor: Actor, opts: ActorPolicyOptions): BatchPolicy {
  const maxTokens = actor.config.maxUtteranceTokens;
  return async (states) => {
    const contexts = states.map((s) => actor.tokenizer.encode(s));
    const out = opts.temperature > 0
      ? await actor.generate(contexts, { temperature: opts.temperature, maxTokens, rng: opts.rng })
      : await actor.generateGreedy(contexts, maxTokens);
    opts.onTokens?.(out.tokens.reduce((n, t, i) => n + t.length + (out.finished[i] ? 1 : 0), 0));
    return out.texts;
  };
}

/** One turn of an episode as the actor scores it: the state's tokens and its utterance's (with <eou>, cut to maxUtteranceTokens). */
export interface EncodedTurn {
  context: number[];
  utterance: number[];
}

/** Every turn of a played episode, encoded for the actor (the on-policy trainers' and A*PO's input). */
export function encodeTurns(actor: Actor, episode: Episode): EncodedTurn[] {
  const tok = actor.tokenizer;
  return episode.steps.map((s, t) => ({
    context: tok.encode(t === 0 ? episode.initialObs : episode.steps[t - 1]!.obs),
    utterance: tok.encodeUtterance(s.action).slice(0, actor.config.maxUtteranceTokens),
  }));
}
