import * as tf from '@tensorflow/tfjs';
import { intFlag, parseFlags, UsageError } from '../args';
import { applyOverrides, defaultConfig } from '../../core/config';
import { TwentyQuestionsEnv } from '../../core/envs/twenty-questions/env';
import { FULL_KB } from '../../core/envs/twenty-questions/kb';
import { twentyQuestionsTokenizer } from '../../core/envs/twenty-questions/corpus';
import { ArcherTrainer } from '../../core/algos/archer/trainer';
import { createActor, createCritic } from '../../core/agents/models';
import { useBackend, type NodeBackend } from '../../core/models/node-backends';
import { stats } from '../../core/metrics/stats';
import * as sampleEfficiency from './bench-sample-efficiency';
import * as throughput from './bench-throughput';

export const help = `bench sample-efficiency ... | bench throughput ... | bench [--backends cpu,wasm] [--repeats R] [--rollout-size N] [--json] [key=value ...]
  Times the ArCHer hot path at the config's model sizes in Node, per backend: one rollout of N games
  (and ms per generated utterance), one critic step, one actor step (batch algorithm.batch_size).
  Prints medians over R repeats as a table, or one JSON object with --json.
${sampleEfficiency.help}
${throughput.help}`;

interface Row {
  backend: string;
  rolloutMs: number;
  utteranceMs: number;
  criticStepMs: number;
  actorStepMs: number;
  games: number;
  batch: number;
  repeats: number;
}

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  if (argv[0] === 'sample-efficiency') return sampleEfficiency.run(argv.slice(1), out, err);
  if (argv[0] === 'throughput') return throughput.run(argv.slice(1), out, err);
  const { values, positionals } = parseFlags('bench', argv, {
    backends: { type: 'string' }, repeats: { type: 'string' }, 'rollout-size': { type: 'string' }, json: { type: 'boolean' },
  }, true);
  const backends = String(values.backends ?? 'cpu,wasm').split(',').map((b) => b.trim());
  for (const b of backends) if (b !== 'cpu' && b !== 'wasm') throw new UsageError(`bench: --backends takes cpu and/or wasm, got "${b}"`);
  const repeats = intFlag('bench', 'repeats', values.repeats, 3, 1, 100);
  const games = intFlag('bench', 'rollout-size', values['rollout-size'], 8, 1, 1024);
  const config = applyOverrides(defaultConfig(), [`algorithm.rollout_size=${games}`, ...positionals]);
  const tokenizer = twentyQuestionsTokenizer(FULL_KB);
  const rows: Row[] = [];
  for (const backend of backends as NodeBackend[]) {
    await useBackend(backend);
    const actor = createActor(config, tokenizer);
    const critic = createCritic(config, tokenizer);
    const trainer = new ArcherTrainer({ config, actor, critic, makeEnv: () => new TwentyQuestionsEnv({ subset: config.env.subset, maxTurns: config.agent_proxy.max_turn }) });
    const rollout: number[] = [];
    const perUtterance: number[] = [];
    const criticMs: number[] = [];
    const actorMs: number[] = [];
    await trainer.criticStep().catch(() => undefined); // nothing in replay yet: ignore
    for (let r = 0; r < repeats; r++) {
      err(`bench ${backend}: repeat ${r + 1}/${repeats}\n`);
      const c = await trainer.collect();
      rollout.push(c.ms);
      perUtterance.push(c.ms / c.transitions.length);
      let t = performance.now();
      await trainer.criticStep();
      criticMs.push(performance.now() - t);
      t = performance.now();
      await trainer.actorStep();
      actorMs.push(performance.now() - t);
    }
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    rows.push({ backend, rolloutMs: median(rollout), utteranceMs: median(perUtterance), criticStepMs: median(criticMs), actorStepMs: median(actorMs), games, batch: config.algorithm.batch_size, repeats });
    err(`bench ${backend}: spread of critic steps ${stats(criticMs).min.toFixed(0)}-${stats(criticMs).max.toFixed(0)} ms\n`);
    trainer.dispose();
    actor.dispose();
    critic.dispose();
  }
  const result = { model: { dModel: config.model.d_model, nLayers: config.model.n_layers, criticDModel: config.critic.d_model }, tfjs: tf.version_core, rows };
  if (values.json) {
    out(JSON.stringify(result));
    return;
  }
  out(`ArCHer hot path, median of ${repeats} (rollout of ${games} games from an untrained actor; batch ${config.algorithm.batch_size})`);
  out('backend | ms / rollout | ms / utterance | ms / critic step | ms / actor step');
  for (const r of rows) out(`${r.backend.padEnd(7)} | ${r.rolloutMs.toFixed(0).padStart(12)} | ${r.utteranceMs.toFixed(1).padStart(14)} | ${r.criticStepMs.toFixed(0).padStart(16)} | ${r.actorStepMs.toFixed(0).padStart(15)}`);
}
