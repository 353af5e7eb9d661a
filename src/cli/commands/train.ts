import { basename, join, resolve } from 'node:path';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { choiceFlag, intFlag, parseFlags, UsageError } from '../args';
import { applyOverrides, defaultConfig, validateConfig, type Config } from '../../core/config';
import { TwentyQuestionsEnv, knowledgeBaseFor } from '../../core/envs/twenty-questions/env';
import { FULL_KB } from '../../core/envs/twenty-questions/kb';
import { treeBound } from '../../core/envs/twenty-questions/bound';
import { modelTokenizerFor, twentyQuestionsTokenizer } from '../../core/envs/twenty-questions/corpus';
import { ArcherTrainer, type Metrics } from '../../core/algos/archer/trainer';
import { createActor, createCritic, evaluateActor } from '../../core/agents/models';
import type { Actor } from '../../core/models/actor';
import { useBackend, type NodeBackend } from '../../core/models/node-backends';
import { Tokenizer } from '../../core/text/tokenizer';
import { loadModel, writeAtomic } from '../../storage/model-files';
import { appendJsonl, exists, loadRunCheckpoint, saveRunCheckpoint, truncateJsonl } from '../../storage/run-files';
import { checkModelSizes, encodeRunInfo, parseEpisodesJsonl, parseRunInfo, RUN_FORMAT, type RunInfo } from '../../storage/checkpoint-files';
import { restoreTrainer, snapshotTrainer } from '../../core/algos/archer/snapshot';
import { progressBar } from '../progress';
import { trainAgent } from './train-agent';
import { candidateScorer } from '../../core/envs/make-env';
import { isOnPolicyAlgorithm, onPolicyConfigError } from '../../core/algos/baselines/trainer';

export const help = `train --env twenty-questions|webshop --algo archer|apo|ppo|grpo|filtered_bc [--iterations N] [--seed S] --out DIR [key=value ...]
     [--init DIR] [--eval-every K] [--eval-episodes N] [--save-every K] [--max-minutes M] [--backend wasm|cpu] [--json]
  Trains the actor with ArCHer from the reference policy (--init, default public/models/
  twenty-questions-<env.subset>), printing one JSON line per iteration (--json) and a progress bar
  on stderr. Writes DIR/run.json, DIR/metrics.jsonl, DIR/episodes.jsonl (each episode with the
  critic's values per question), DIR/checkpoint/ (the lab's run format: export packs it into one
  .tar for the browser) and DIR/summary.json; run the same command again to resume from the last
  checkpoint up to --iterations (default: trainer.total_training_steps). A*PO, the baselines (PPO,
  GRPO, filtered BC) and any WebShop run write metrics.jsonl, summary.json and actor/ and do not resume.
  Evaluation: --eval-episodes games (fixed seeds) sampled at the rollout temperature, every --eval-every
  iterations and at the start and end. Settings as dotted overrides: algorithm.actor_epochs=0 ...`;

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const { values, positionals } = parseFlags('train', argv, {
    env: { type: 'string' }, algo: { type: 'string' }, iterations: { type: 'string' }, seed: { type: 'string' },
    out: { type: 'string' }, init: { type: 'string' }, 'eval-every': { type: 'string' }, 'eval-episodes': { type: 'string' },
    'save-every': { type: 'string' }, backend: { type: 'string' }, 'max-minutes': { type: 'string' }, json: { type: 'boolean' },
  }, true);
  const envFlag = values.env === undefined ? undefined : choiceFlag('train', 'env', values.env, ['twenty-questions', 'webshop'] as const, 'twenty-questions');
  const algoFlag = values.algo === undefined ? undefined : choiceFlag('train', 'algo', values.algo, ['archer', 'apo', 'ppo', 'grpo', 'filtered_bc'] as const, 'archer');
  const evalEvery = intFlag('train', 'eval-every', values['eval-every'], 10, 1, 1_000_000);
  const evalEpisodes = intFlag('train', 'eval-episodes', values['eval-episodes'], 200, 1, 100_000);
  const saveEvery = intFlag('train', 'save-every', values['save-every'], 5, 1, 1_000_000);
  const backend = choiceFlag<NodeBackend>('train', 'backend', values.backend, ['wasm', 'cpu'], 'wasm');
  const maxMinutes = values['max-minutes'] === undefined ? Infinity : Number(values['max-minutes']);
  if (!(maxMinutes > 0)) throw new UsageError(`train: --max-minutes must be a positive number, got "${values['max-minutes']}"`);
  if (values.out === undefined) throw new UsageError('train: --out DIR is required (where metrics, episodes and checkpoints go)');
  const dir = String(values.out);
  let config: Config = applyOverrides(defaultConfig(), positionals);
  if (values.seed !== undefined) config = { ...config, seed: intFlag('train', 'seed', values.seed, 0, 0, 2 ** 31 - 1) };
  if (envFlag) config = { ...config, env: { ...config.env, name: envFlag } };
  if (algoFlag) config = { ...config, algorithm: { ...config.algorithm, name: algoFlag } };
  if (isOnPolicyAlgorithm(config.algorithm.name)) {
    const why = onPolicyConfigError(config);
    if (why) throw new UsageError(`train: ${why}`);
  }
  if (config.env.name === 'webshop' || config.algorithm.name !== 'archer') {
    await useBackend(backend);
    return trainAgent({
      config, dir, evalEvery, evalEpisodes, maxMinutes, backend, json: !!values.json,
      iterations: values.iterations === undefined ? config.trainer.total_training_steps : intFlag('train', 'iterations', values.iterations, 10, 1, 1_000_000),
      initDir: String(values.init ?? join('public', 'models', config.env.name === 'webshop' ? 'webshop' : `twenty-questions-${config.env.subset}`)),
      command: `npm run cli -- train ${argv.join(' ')}`,
    }, out, err);
  }

  await useBackend(backend);
  await mkdir(dir, { recursive: true });
  const saved = await loadRunCheckpoint(dir);
  if (saved) {
    const before = JSON.stringify(validateConfig(saved.config));
    if (positionals.length > 0 && before !== JSON.stringify(config)) {
      throw new UsageError(`train: ${dir} holds a run with other settings; resume it without overrides or choose a new --out`);
    }
    config = validateConfig(saved.config);
    checkModelSizes(saved, config);
  }
  const iterations = values.iterations === undefined ? config.trainer.total_training_steps : intFlag('train', 'iterations', values.iterations, 10, 1, 1_000_000);
  const subset = config.env.subset;
  const maxTurns = config.agent_proxy.max_turn;
  const makeEnv = () => new TwentyQuestionsEnv({ subset, maxTurns });

  const initDir = String(values.init ?? join('public', 'models', `twenty-questions-${subset}`));
  const ref = !saved && (await exists(join(initDir, 'model.json'))) ? await loadModel(initDir, 'actor') : undefined;
  // A model plays with the vocabulary it was trained with (a checkpoint's, else the reference's).
  const tokenizer = saved
    ? Tokenizer.fromJSON(saved.tokenizer)
    : ref
      ? modelTokenizerFor(ref.json.tokenizer, knowledgeBaseFor(subset), initDir)
      : twentyQuestionsTokenizer(FULL_KB);
  const actor = createActor(config, tokenizer);
  if (saved) {
    actor.setWeights(saved.actor.weights);
  } else if (ref) {
    actor.setWeights(ref.weights);
    err(`train: starting from the reference policy in ${initDir}\n`);
  } else {
    err(`train: no reference policy in ${initDir} (run: npm run cli -- pretrain); starting from random weights\n`);
  }
  // critic.init_from_actor: from the actor as it starts (a resumed run's critic is then replaced by its checkpoint's).
  const critic = createCritic(config, tokenizer, config.seed, config.critic.init_from_actor ? actor.getWeights() : undefined);
  // archer.kl_coeff anchors the actor to the reference policy in initDir (a resumed run's too).
  let reference: Actor | undefined;
  if (config.archer.kl_coeff > 0) {
    if (!(await exists(join(initDir, 'model.json')))) {
      throw new Error(`archer.kl_coeff = ${config.archer.kl_coeff} anchors the actor to the reference policy, but ${initDir} has none (run: npm run cli -- pretrain, or set archer.kl_coeff=0)`);
    }
    reference = createActor(config, tokenizer);
    reference.setWeights((await loadModel(initDir, 'actor')).weights);
  }
  const trainer = new ArcherTrainer({ config, actor, critic, reference, makeEnv, candidates: candidateScorer(config) });
  const metricsPath = join(dir, 'metrics.jsonl');
  const episodesPath = join(dir, 'episodes.jsonl');
  const runPath = join(dir, 'run.json');
  const now = new Date().toISOString();
  let runInfo: RunInfo = { format: RUN_FORMAT, name: basename(resolve(dir)), createdAt: now, updatedAt: now, config };
  const hadRunInfo = await exists(runPath);
  if (saved && hadRunInfo) runInfo = { ...parseRunInfo(JSON.parse(await readFile(runPath, 'utf8')), runPath), config };
  const writeRunInfo = async () => {
    runInfo = { ...runInfo, config, updatedAt: new Date().toISOString(), status: { iteration: trainer.iteration, trajectories: trainer.trajectories } };
    await writeAtomic(runPath, encodeRunInfo(runInfo));
  };
  if (saved) {
    await restoreTrainer(trainer, saved);
    if (!hadRunInfo && (await exists(episodesPath))) {
      // A run folder from before run.json: its episodes.jsonl holds another (compact) format; keep it aside.
      try {
        parseEpisodesJsonl(new Uint8Array(await readFile(episodesPath)), episodesPath);
      } catch {
        await rename(episodesPath, join(dir, 'episodes-compact.jsonl'));
        await writeAtomic(episodesPath, '');
        err(`train: ${episodesPath} was in the older compact format; moved it to episodes-compact.jsonl\n`);
      }
    }
    // Drop what was logged after the checkpoint, so the files continue exactly from it.
    await truncateJsonl(metricsPath, (r) => r.iteration <= trainer.iteration);
    await truncateJsonl(episodesPath, (r) => r.iteration <= trainer.iteration);
    err(`train: resuming ${dir} at iteration ${trainer.iteration} (${trainer.trajectories} trajectories)\n`);
  } else {
    await writeAtomic(metricsPath, '');
    await writeAtomic(episodesPath, '');
  }
  await writeRunInfo();

  const bound = treeBound(makeEnv().kb, maxTurns);
  const evalSeed = 1_000_000;
  const evaluate = async (): Promise<Metrics> => {
    const { summary } = await evaluateActor(actor, makeEnv, evalEpisodes, evalSeed, config.actor_rollout_ref.rollout.temperature);
    return {
      'eval/return/mean': summary.meanReturn,
      'eval/return/se': summary.seReturn,
      'eval/success_rate': summary.successRate,
      'eval/invalid_rate': summary.invalidRate,
      'eval/turns/mean': summary.meanTurns,
    };
  };
  const save = async () => saveRunCheckpoint(dir, await snapshotTrainer(trainer));


  if (trainer.iteration === 0) {
    const initial = { iteration: 0, trajectories: 0, ...(await evaluate()), optimalBound: bound.optimalBound };
    await appendJsonl(metricsPath, [initial]);
    if (values.json) out(JSON.stringify(initial));
  }
  const bar = progressBar('train', iterations, err);
  bar(trainer.iteration);
  const started = Date.now();
  while (trainer.iteration < iterations) {
    const r = await trainer.step();
    // The time budget (--max-minutes) ends the run after this iteration, evaluated and saved like a last one.
    const last = trainer.iteration === iterations || (Date.now() - started) / 60_000 >= maxMinutes;
    const row: Metrics = { ...r.metrics, optimalBound: bound.optimalBound };
    if (trainer.iteration % evalEvery === 0 || last) Object.assign(row, await evaluate());
    await appendJsonl(metricsPath, [row]);
    await appendJsonl(episodesPath, await trainer.annotate(r.episodes, r.iteration));
    if (trainer.iteration % saveEvery === 0 || last) await save();
    await writeRunInfo();
    if (values.json) out(JSON.stringify(row));
    bar(trainer.iteration, `return ${row['rollout/return/mean']?.toFixed(2)}${row['eval/return/mean'] !== undefined ? ` eval ${row['eval/return/mean'].toFixed(2)}` : ''}`);
    if (last) break;
  }

  const rows = (await readFile(metricsPath, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Metrics);
  const curve = rows.filter((r) => r['eval/return/mean'] !== undefined).map((r) => ({ iteration: r.iteration, trajectories: r.trajectories, return: r['eval/return/mean'], se: r['eval/return/se'], success: r['eval/success_rate'], invalid: r['eval/invalid_rate'] }));
  const summary = {
    env: 'twenty-questions', subset, algo: 'archer', config, iterations: trainer.iteration, trajectories: trainer.trajectories,
    optimalBound: bound.optimalBound, evalEpisodes, evalSeed, evalTemperature: config.actor_rollout_ref.rollout.temperature,
    reference: curve[0], final: curve[curve.length - 1], curve, secondsThisSession: (Date.now() - started) / 1000, backend,
  };
  await writeAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 1)}\n`);
  trainer.dispose();
  actor.dispose();
  critic.dispose();
  reference?.dispose();
  if (!values.json) out(`trained ${trainer.iteration} iterations (${trainer.trajectories} trajectories): eval return ${summary.reference?.return?.toFixed(2)} -> ${summary.final?.return?.toFixed(2)} (optimalBound ${bound.optimalBound.toFixed(2)}); ${dir}/summary.json`);
}
