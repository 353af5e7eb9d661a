/** The language-model actor as a batched policy over state texts. */
import type { Actor } from '../models/actor';
import type { Rng } from '../util/rng';
import type { BatchPolicy } from './collect';

export interface ActorPolicyOptions {
  /** Sampling temperature; 0 means greedy (argmax) decoding. */
  temperature: number;
  rng: Rng;
}

export function actorPolicy(actor: Actor, opts: ActorPolicyOptions): BatchPolicy {
  const maxTokens = actor.config.maxUtteranceTokens;
  return async (states) => {
    const contexts = states.map((s) => actor.tokenizer.encode(s));
    const out = opts.temperature > 0
      ? await actor.generate(contexts, { temperature: opts.temperature, maxTokens, rng: opts.rng })
      : await actor.generateGreedy(contexts, maxTokens);
    return out.texts;
  };
}
