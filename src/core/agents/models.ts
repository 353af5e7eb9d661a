/** Building the actor and critic from the config, and evaluating an actor. */
import type { Config } from '../config';
import { Actor, type ActorConfig } from '../models/actor';
import { Critic, type CriticConfig } from '../models/critic';
import type { Tokenizer } from '../text/tokenizer';
import type { Weights } from '../models/transformer';
import { Rng } from '../util/rng';
import type { TextEnv } from '../envs/types';
import { collectEpisodes } from '../rollout/collect';
import { actorPolicy } from '../rollout/actor-policy';
import { episodeSeeds, summarise, type Episode, type EvalSummary } from '../rollout/episode';

export function actorConfigFrom(config: Config): Partial<ActorConfig> {
  return { dModel: config.model.d_model, nLayers: config.model.n_layers, nHeads: config.model.n_heads, maxLen: config.model.max_len };
}

export function criticConfigFrom(config: Config): Partial<CriticConfig> {
  return { dModel: config.critic.d_model, nLayers: config.critic.n_layers, nHeads: config.model.n_heads, maxLen: config.model.max_len, jointEncoding: config.critic.joint_encoding, turnEncoding: config.critic.encoder === 'turns' };
}

export function createActor(config: Config, tokenizer: Tokenizer, seed = config.seed): Actor {
  return new Actor(tokenizer, actorConfigFrom(config), new Rng(seed ^ 0xac70));
}

/**
 * A critic (or PPO's value net) for `config`. With critic.init_from_actor its encoder starts from
 * `actorWeights` (the reference policy's: Critic.initEncoderFrom), which must then be given.
 */
export function createCritic(config: Config, tokenizer: Tokenizer, seed = config.seed, actorWeights?: Weights): Critic {
  const critic = new Critic(tokenizer.size, criticConfigFrom(config), new Rng(seed ^ 0xc417));
  if (config.critic.init_from_actor) {
    if (!actorWeights) {
      critic.dispose();
      throw new Error('critic.init_from_actor is on but no actor weights were given to start the critic from');
    }
    try {
      critic.initEncoderFrom(actorWeights);
    } catch (e) {
      critic.dispose();
      throw e;
    }
  }
  return critic;
}

/**
 * Plays `episodes` seeded games with the actor (sampling at `temperature`, or greedy at 0), in
 * batches of `batch`. The same seed gives the same hidden objects, so two actors can be compared.
 */
export async function evaluateActor(
  actor: Actor,
  makeEnv: () => TextEnv<any>,
  episodes: number,
  seed: number,
  temperature = 1,
  batch = 50,
  onProgress?: (done: number) => void,
): Promise<{ summary: EvalSummary; episodes: Episode[] }> {
  const seeds = episodeSeeds(seed, episodes);
  const rng = new Rng(seed ^ 0xe7a1);
  const policy = actorPolicy(actor, { temperature, rng });
  const all: Episode[] = [];
  for (let i = 0; i < seeds.length; i += batch) {
    const { episodes: eps } = await collectEpisodes(makeEnv, seeds.slice(i, i + batch), policy, i);
    all.push(...eps);
    onProgress?.(all.length);
  }
  return { summary: summarise(all), episodes: all };
}
