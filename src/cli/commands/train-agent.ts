/**
 * `train` for A*PO and the on-policy baselines (PPO, GRPO, filtered BC; either environment) and for ArCHer on WebShop: starts from the reference policy,
 * evaluates on held-out starts (WebShop: the test split; Twenty Questions: fixed seeds) at the
 * start, every --eval-every iterations and at the end, and writes:
 *   DIR/metrics.jsonl  one row per iteration (eval/* on evaluated ones)
 *   DIR/summary.json   settings, the evaluation curve, reference and final numbers
 *   DIR/actor/         the trained actor (model.json + weights.bin, the lab's model format)
 *   WebShop only:
 *   DIR/summary.csv    one row per policy (reference, trained): score, success, attribute /
 *                      option / type / price components
 *   DIR/episodes.jsonl one audit line per final-evaluation episode (instruction, actions,
 *                      observations, reward parts)
 *   DIR/failures.json  failed evaluation episodes of both policies, sorted by cause
 * These runs do not resume (unlike ArCHer on Twenty Questions): a second call starts again.
 */
import { join } from 'node:path';
import { mkdir, readFile } from 'node:fs/promises';
import type { Config } from '../../core/config';
import type { TextEnv } from '../../core/envs/types';
import { envFactory } from '../../core/envs/make-env';
import { knowledgeBaseFor } from '../../core/envs/twenty-questions/env';
import { modelTokenizerFor } from '../../core/envs/twenty-questions/corpus';
import { webShopTokenizer } from '../../core/envs/webshop/corpus';
import { auditRecord, failureAnalysis, summarise as summariseShop, summaryCsv } from '../../core/envs/webshop/report';
import { ArcherTrainer, type Metrics } from '../../core/algos/archer/trainer';
import { ApoTrainer } from '../../core/algos/apo/trainer';
import { OnPolicyTrainer, isOnPolicyAlgorithm } from '../../core/algos/baselines/trainer';
import { createActor, createCritic, evaluateActor } from '../../core/agents/models';
import type { Actor } from '../../core/models/actor';
import type { Episode } from '../../core/rollout/episode';
import type { Tokenizer, TokenizerJSON } from '../../core/text/tokenizer';
import { loadModel, saveModel, writeAtomic } from '../../storage/model-files';
import { appendJsonl } from '../../storage/run-files';
import { progressBar } from '../progress';

export interface AgentTrainOptions {
  config: Config;
  dir: string;
  iterations: number;
  initDir: string;
  evalEvery: number;
  evalEpisodes: number;
  maxMinutes: number;
  json: boolean;
  backend: string;
  command: string;
}

/** The environments and the tokenizer: WebShop's own, or (Twenty Questions) the reference model's vocabulary. */
function envSetup(config: Config, ref: TokenizerJSON, initDir: string): { tokenizer: Tokenizer; train: () => TextEnv<any>; test: () => TextEnv<any> } {
  const tokenizer = config.env.name === 'webshop' ? webShopTokenizer() : modelTokenizerFor(ref, knowledgeBaseFor(config.env.subset), initDir);
  return { tokenizer, train: envFactory(config, 'train'), test: envFactory(config, 'test') };
}

export async function trainAgent(o: AgentTrainOptions, out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const { config, dir } = o;
  const webshop = config.env.name === 'webshop';
  const algo = config.algorithm.name;
  const ref = await loadModel(o.initDir, 'actor');
  const setup = envSetup(config, ref.json.tokenizer, o.initDir);
  if (JSON.stringify(ref.json.tokenizer.vocab) !== JSON.stringify(setup.tokenizer.toJSON().vocab)) {
    throw new Error(`${o.initDir}: the reference model's vocabulary is not this environment's (pretrain it with: npm run cli -- pretrain --env ${config.env.name})`);
  }
  const actor = createActor(config, setup.tokenizer);
  actor.setWeights(ref.weights);
  err(`train: ${algo} on ${config.env.name}, starting from the reference policy in ${o.initDir}\n`);
  let reference: Actor | undefined;
  let trainer: ArcherTrainer | ApoTrainer | OnPolicyTrainer;
  if (algo === 'apo') {
    reference = createActor(config, setup.tokenizer);
    reference.setWeights(ref.weights);
    trainer = new ApoTrainer({ config, actor, reference, makeEnv: setup.train });
  } else if (isOnPolicyAlgorithm(algo)) {
    const valueNet = algo === 'ppo' ? createCritic(config, setup.tokenizer, config.seed, ref.weights) : undefined;
    trainer = new OnPolicyTrainer({ config, actor, valueNet, makeEnv: setup.train });
  } else {
    if (config.archer.kl_coeff > 0) {
      reference = createActor(config, setup.tokenizer);
      reference.setWeights(ref.weights);
    }
    trainer = new ArcherTrainer({ config, actor, critic: createCritic(config, setup.tokenizer, config.seed, ref.weights), reference, makeEnv: setup.train });
  }
  await mkdir(dir, { recursive: true });
  const metricsPath = join(dir, 'metrics.jsonl');
  await writeAtomic(metricsPath, '');

  const evalSeed = 1_000_000;
  const temperature = config.actor_rollout_ref.rollout.temperature;
  let lastEval: Episode[] = [];
  const evaluate = async (): Promise<Metrics> => {
    const { summary, episodes } = await evaluateActor(actor, setup.test, o.evalEpisodes, evalSeed, temperature);
    lastEval = episodes;
    const row: Metrics = { 'eval/return/mean': summary.meanReturn, 'eval/return/se': summary.seReturn, 'eval/success_rate': summary.successRate, 'eval/invalid_rate': summary.invalidRate, 'eval/turns/mean': summary.meanTurns };
    if (webshop) row['eval/score'] = 100 * summary.meanReturn;
    return row;
  };

  const initial = { iteration: 0, trajectories: 0, ...(await evaluate()) };
  const referenceEval = lastEval;
  await appendJsonl(metricsPath, [initial]);
  if (o.json) out(JSON.stringify(initial));
  const bar = progressBar('train', o.iterations, err);
  const started = Date.now();
  const stage1 = progressBar('stage 1 (reference samples)', config.apo.num_prompts * config.apo.num_ref_samples, err);
  while (trainer.iteration < o.iterations) {
    const r = trainer instanceof ApoTrainer ? await trainer.step((done) => stage1(done)) : await trainer.step();
    const last = trainer.iteration === o.iterations || (Date.now() - started) / 60_000 >= o.maxMinutes;
    const row: Metrics = { ...r.metrics };
    if (trainer.iteration % o.evalEvery === 0 || last) Object.assign(row, await evaluate());
    await appendJsonl(metricsPath, [row]);
    if (o.json) out(JSON.stringify(row));
    bar(trainer.iteration, `return ${row['rollout/return/mean']?.toFixed(3)}${row['eval/return/mean'] !== undefined ? ` eval ${row['eval/return/mean'].toFixed(3)}` : ''}`);
    if (last) break;
  }

  const rows = (await readFile(metricsPath, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Metrics);
  const curve = rows.filter((r) => r['eval/return/mean'] !== undefined).map((r) => ({ iteration: r.iteration, trajectories: r.trajectories, return: r['eval/return/mean'], se: r['eval/return/se'], success: r['eval/success_rate'], invalid: r['eval/invalid_rate'] }));
  await saveModel(join(dir, 'actor'), 'actor', actor.config, setup.tokenizer.toJSON(), await actor.getWeightsAsync(), { source: `${algo} on ${config.env.name}`, command: o.command, iterations: trainer.iteration });
  const summary: Record<string, unknown> = {
    env: config.env.name, algo, config, iterations: trainer.iteration, trajectories: trainer.trajectories,
    evalEpisodes: o.evalEpisodes, evalSeed, evalSplit: webshop ? 'test' : 'seeds', evalTemperature: temperature,
    reference: curve[0], final: curve[curve.length - 1], curve, seconds: (Date.now() - started) / 1000, backend: o.backend, command: o.command,
  };
  if (trainer instanceof ApoTrainer) summary.stage1 = { prompts: trainer.prompts.length, samples: trainer.referenceEpisodes, referenceReturn: trainer.referenceReturn };
  if (webshop) {
    const table = [summariseShop('reference', referenceEval), summariseShop(algo, lastEval)];
    summary.table = table;
    await writeAtomic(join(dir, 'summary.csv'), summaryCsv(table));
    await writeAtomic(join(dir, 'episodes.jsonl'), lastEval.map((e, i) => JSON.stringify(auditRecord(algo, i, e))).join('\n') + '\n');
    await writeAtomic(join(dir, 'failures.json'), `${JSON.stringify({ reference: failureAnalysis(referenceEval), [algo]: failureAnalysis(lastEval) }, null, 1)}\n`);
  }
  await writeAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 1)}\n`);
  trainer.dispose();
  if (trainer instanceof ArcherTrainer) trainer.critic.dispose();
  if (trainer instanceof OnPolicyTrainer) trainer.valueNet?.dispose();
  reference?.dispose();
  actor.dispose();
  const fmt = (v: number | undefined) => (v === undefined ? '?' : webshop ? `score ${(100 * v).toFixed(1)}` : `return ${v.toFixed(2)}`);
  if (!o.json) {
    out(`trained ${algo} on ${config.env.name} for ${trainer.iteration} iterations (${trainer.trajectories} trajectories): eval ${fmt(curve[0]?.return)} -> ${fmt(curve[curve.length - 1]?.return)}; ${dir}/summary.json${webshop ? ', summary.csv, episodes.jsonl, failures.json' : ''}`);
  }
}
