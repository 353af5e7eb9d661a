import { join } from 'node:path';
import { choiceFlag, intFlag, parseFlags, UsageError } from '../args';
import { applyOverrides, defaultConfig } from '../../core/config';
import { SUBSETS, TwentyQuestionsEnv, type Subset } from '../../core/envs/twenty-questions/env';
import { FULL_KB } from '../../core/envs/twenty-questions/kb';
import { NoisyExpertPolicy } from '../../core/envs/twenty-questions/policies';
import { twentyQuestionsTokenizer } from '../../core/envs/twenty-questions/corpus';
import { behaviourClone, collectDemonstrations } from '../../core/algos/bc/behaviour-cloning';
import { createActor, evaluateActor } from '../../core/agents/models';
import { useBackend, type NodeBackend } from '../../core/models/node-backends';
import { Rng } from '../../core/util/rng';
import { loadModel, saveModel, writeAtomic } from '../../storage/model-files';
import { progressBar } from '../progress';
import { WebShopAgentEnv } from '../../core/envs/webshop/agent-env';
import { agentNoisyExpertPolicy } from '../../core/envs/webshop/agent-policies';
import { webShopTokenizer } from '../../core/envs/webshop/corpus';
import type { TextEnv } from '../../core/envs/types';
import type { Tokenizer } from '../../core/text/tokenizer';
import type { Demonstration } from '../../core/algos/bc/behaviour-cloning';

export const help = `pretrain --env twenty-questions|webshop [--subset full|subset10|archer10|archer157] [--games N] [--epsilon E] [--epochs K]
     [--batch B] [--lr LR] [--seed S] [--backend wasm|cpu] [--eval-episodes N] [--init DIR] [--out DIR] [key=value ...]
  Makes the reference policy: behaviour cloning of the actor on games of the noisy expert (random
  questions mixed in with probability epsilon), then writes DIR/model.json + DIR/weights.bin and
  DIR/pretrain.json (losses and an evaluation). Model sizes come from the config (model.d_model=...).
  WebShop: games on the train split of the agent's view (agent-env.ts) by the noisy expert (it takes
  the rule's move - item 1, buy without the remaining options - with probability epsilon), evaluated
  on the test split; default DIR public/models/webshop.`;

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const { values, positionals } = parseFlags('pretrain', argv, {
    env: { type: 'string' }, subset: { type: 'string' }, games: { type: 'string' }, epsilon: { type: 'string' },
    epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, seed: { type: 'string' },
    backend: { type: 'string' }, 'eval-episodes': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    init: { type: 'string' },
  }, true);
  const envName = choiceFlag('pretrain', 'env', values.env, ['twenty-questions', 'webshop'] as const, 'twenty-questions');
  const subset = choiceFlag<Subset>('pretrain', 'subset', values.subset, SUBSETS, 'full');
  const games = intFlag('pretrain', 'games', values.games, 400, 1, 1_000_000);
  const epochs = intFlag('pretrain', 'epochs', values.epochs, 3, 1, 1000);
  const batch = intFlag('pretrain', 'batch', values.batch, 32, 1, 4096);
  const seed = intFlag('pretrain', 'seed', values.seed, 0, 0, 2 ** 31 - 1);
  const evalEpisodes = intFlag('pretrain', 'eval-episodes', values['eval-episodes'], 200, 1, 100_000);
  const backend = choiceFlag<NodeBackend>('pretrain', 'backend', values.backend, ['wasm', 'cpu'], 'wasm');
  const epsilon = values.epsilon === undefined ? 0.5 : Number(values.epsilon);
  if (!(epsilon >= 0 && epsilon <= 1)) throw new UsageError(`pretrain: --epsilon must lie in [0, 1], got "${values.epsilon}"`);
  const lr = values.lr === undefined ? 3e-3 : Number(values.lr);
  if (!(lr > 0 && lr < 1)) throw new UsageError(`pretrain: --lr must lie in (0, 1), got "${values.lr}"`);
  const dir = String(values.out ?? join('public', 'models', envName === 'webshop' ? 'webshop' : `twenty-questions-${subset}`));
  const config = applyOverrides(defaultConfig(), positionals);

  await useBackend(backend);
  let tokenizer: Tokenizer;
  let demos: Demonstration[];
  let makeEvalEnv: () => TextEnv<any>;
  if (envName === 'webshop') {
    const env = new WebShopAgentEnv({ split: 'train' });
    tokenizer = webShopTokenizer();
    demos = collectDemonstrations(env, agentNoisyExpertPolicy(env, epsilon), games, seed);
    makeEvalEnv = () => new WebShopAgentEnv({ split: 'test' });
  } else {
    const env = new TwentyQuestionsEnv({ subset });
    tokenizer = twentyQuestionsTokenizer(FULL_KB);
    demos = collectDemonstrations(env, new NoisyExpertPolicy(env.kb, epsilon), games, seed);
    makeEvalEnv = () => new TwentyQuestionsEnv({ subset });
  }
  err(`pretrain: ${demos.length} (state, action) pairs from ${games} games of the noisy expert (epsilon ${epsilon})\n`);
  const actor = createActor(config, tokenizer, seed);
  if (values.init !== undefined) {
    // Continue cloning from a saved model (same vocabulary and sizes), e.g. more epochs on new games.
    const init = await loadModel(String(values.init), 'actor');
    if (JSON.stringify(init.json.tokenizer.vocab) !== JSON.stringify(tokenizer.toJSON().vocab)) throw new UsageError(`pretrain: --init ${values.init} has another vocabulary than ${envName}'s`);
    actor.setWeights(init.weights);
    err(`pretrain: continuing from ${values.init}\n`);
  }
  const started = Date.now();
  const bar = progressBar('pretrain', Math.ceil(demos.length / batch) * epochs, err);
  const losses: number[] = [];
  const loss = behaviourClone(actor, tokenizer, demos, {
    epochs, batchSize: batch, lr, rng: new Rng(seed ^ 0xbc),
    onStep: (step, _total, l) => {
      losses.push(l);
      bar(step, `loss ${l.toFixed(3)}`);
    },
  });
  const trainSeconds = (Date.now() - started) / 1000;
  const evalBar = progressBar('evaluate', evalEpisodes, err);
  const { summary } = await evaluateActor(actor, makeEvalEnv, evalEpisodes, 1_000_000 + seed, 1, 50, evalBar);
  const meta = {
    source: 'behaviour cloning of the noisy expert', init: values.init, env: envName, subset: envName === 'webshop' ? undefined : subset, games, epsilon, epochs, batch, lr, seed, backend,
    demonstrations: demos.length, finalEpochLoss: loss, trainSeconds, evaluation: { temperature: 1, seed: 1_000_000 + seed, ...summary },
    command: `npm run cli -- pretrain ${argv.join(' ')}`,
  };
  await saveModel(dir, 'actor', actor.config, tokenizer.toJSON(), actor.getWeights(), meta);
  await writeAtomic(join(dir, 'pretrain.json'), `${JSON.stringify({ ...meta, losses }, null, 1)}\n`);
  actor.dispose();
  const result = { out: dir, params: actor.numParams, ...meta };
  out(values.json ? JSON.stringify(result) : `pretrained ${dir}: loss ${loss.toFixed(3)}, ${envName === 'webshop' ? `score ${(100 * summary.meanReturn).toFixed(1)}, ` : ''}mean return ${summary.meanReturn.toFixed(2)}, success ${(100 * summary.successRate).toFixed(1)}%, invalid ${(100 * summary.invalidRate).toFixed(1)}% (${trainSeconds.toFixed(0)} s)`);
}
