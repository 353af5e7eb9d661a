/** The environment a config builds, for training (WebShop: its train split) or evaluation (its test split). */
import type { Config } from '../config';
import type { TextEnv } from './types';
import { TwentyQuestionsEnv, knowledgeBaseFor } from './twenty-questions/env';
import { candidateGains } from './twenty-questions/policies';
import { WebShopAgentEnv } from './webshop/agent-env';

export function envFactory(config: Config, split: 'train' | 'test' = 'train'): () => TextEnv<any> {
  const maxTurns = config.agent_proxy.max_turn;
  // WebShop's episodes are cut at 10 steps, as ArCHer used; a smaller max_turn cuts them sooner.
  if (config.env.name === 'webshop') return () => new WebShopAgentEnv({ split, maxSteps: Math.min(maxTurns, 10) });
  const { subset } = config.env;
  return () => new TwentyQuestionsEnv({ subset, maxTurns });
}

/** The candidate utterances at a state and how good an expert scores each (higher is better). */
export type CandidateScorer = (state: string) => { utterances: string[]; gains: number[] };

/**
 * What the critic's ranking instrument scores candidate utterances with, for the config's game:
 * Twenty Questions scores every question by the expert's information gain; WebShop has none.
 */
export function candidateScorer(config: Config): CandidateScorer | undefined {
  if (config.env.name !== 'twenty-questions') return undefined;
  const kb = knowledgeBaseFor(config.env.subset);
  return (state) => candidateGains(kb, state);
}
