/**
 * A tiny ArCHer trainer for tests (Node, cpu backend): 16-wide models, 4-turn games of the
 * 10-object Twenty Questions, a couple of episodes an iteration. Used by the trainer's, the
 * walk-through's and the persistence tests; not part of the lab.
 */
import { applyOverrides, defaultConfig, type Config } from '../../config';
import { createActor, createCritic } from '../../agents/models';
import { twentyQuestionsTokenizer } from '../../envs/twenty-questions/corpus';
import { FULL_KB } from '../../envs/twenty-questions/kb';
import { TwentyQuestionsEnv } from '../../envs/twenty-questions/env';
import { candidateScorer } from '../../envs/make-env';
import { ArcherTrainer } from './trainer';

const TINY = [
  'env.subset=subset10', 'agent_proxy.max_turn=4', 'algorithm.rollout_size=2', 'algorithm.batch_size=4',
  'algorithm.critic_epochs=1', 'algorithm.actor_epochs=1', 'algorithm.warmup_iterations=0',
  'model.d_model=16', 'model.n_layers=1', 'model.n_heads=2', 'model.max_len=64', 'critic.d_model=16',
  'algorithm.lm_lr=1e-3', 'seed=5',
];

/** The tiny settings, then `overrides` (dotted key=value, applied in order). */
export function tinyConfig(overrides: readonly string[] = []): Config {
  return applyOverrides(defaultConfig(), [...TINY, ...overrides]);
}

/** With `scoreCandidates`, the trainer gets Twenty Questions' candidate scorer (as the CLI and the lab pass it). */
export function tinyTrainer(config: Config = tinyConfig(), scoreCandidates = false): ArcherTrainer {
  const tokenizer = twentyQuestionsTokenizer(FULL_KB);
  const { subset } = config.env;
  const maxTurns = config.agent_proxy.max_turn;
  const candidates = scoreCandidates ? candidateScorer(config) : undefined;
  return new ArcherTrainer({ config, actor: createActor(config, tokenizer), critic: createCritic(config, tokenizer), makeEnv: () => new TwentyQuestionsEnv({ subset, maxTurns }), candidates });
}

/** Frees the trainer's and its models' tensors. */
export function disposeTrainer(t: ArcherTrainer): void {
  t.dispose();
  t.actor.dispose();
  t.critic.dispose();
}
