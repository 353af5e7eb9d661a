/**
 * The environment worker: Twenty Questions games (a person playing, or a scripted policy) run
 * here, off the UI thread. Exposed with comlink; see src/ui/clients/env-client.ts.
 */
import * as Comlink from 'comlink';
import { TwentyQuestionsEnv, type Subset } from '../src/core/envs/twenty-questions/env';
import { describeTwentyQuestions, type TwentyQuestionsDescription } from '../src/core/envs/twenty-questions/describe';
import { makePolicy, type PolicyName } from '../src/core/envs/twenty-questions/policies';
import { runEpisode } from '../src/core/rollout/episode';

export interface Turn {
  question: string;
  answer: string;
  reward: number;
}

export interface GameState {
  turns: Turn[];
  turn: number;
  maxTurns: number;
  done: boolean;
  won: boolean;
  total: number;
  /** Revealed only when the game is over. */
  target?: string;
}

let subsetInUse: Subset = 'full';
let env = new TwentyQuestionsEnv({ subset: subsetInUse });
let game: GameState = { turns: [], turn: 0, maxTurns: env.maxTurns, done: true, won: false, total: 0 };

const api = {
  describe(subset: Subset): TwentyQuestionsDescription {
    return describeTwentyQuestions(subset);
  },

  newGame(subset: Subset, seed: number): GameState {
    if (subset !== subsetInUse) {
      subsetInUse = subset;
      env = new TwentyQuestionsEnv({ subset });
    }
    env.reset(seed);
    game = { turns: [], turn: 0, maxTurns: env.maxTurns, done: false, won: false, total: 0 };
    return game;
  },

  ask(question: string): GameState {
    if (game.done) throw new Error('This game is over: start a new one.');
    if (question.trim() === '') throw new Error('Type a question first.');
    const r = env.step(question);
    const done = r.terminated || r.truncated;
    game = {
      turns: [...game.turns, { question: question.trim(), answer: r.info.answer ?? '', reward: r.reward }],
      turn: r.info.turn,
      maxTurns: env.maxTurns,
      done,
      won: r.terminated,
      total: game.total + r.reward,
      ...(done ? { target: r.info.target } : {}),
    };
    return game;
  },

  /** One whole episode of a scripted policy, for watching how it plays. */
  watch(subset: Subset, policy: PolicyName, seed: number): GameState {
    const e = new TwentyQuestionsEnv({ subset });
    const ep = runEpisode(e, makePolicy(policy, e.kb), seed);
    return {
      turns: ep.steps.map((s) => ({ question: s.action, answer: String(s.info.answer ?? ''), reward: s.reward })),
      turn: ep.steps.length,
      maxTurns: e.maxTurns,
      done: true,
      won: ep.success,
      total: ep.return,
      target: e.targetName,
    };
  },
};

export type EnvWorkerApi = typeof api;
Comlink.expose(api);
