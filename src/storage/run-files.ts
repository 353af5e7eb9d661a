/**
 * A training run as a folder (Node command line): metrics.jsonl, episodes.jsonl, summary.json and
 * checkpoint/ (actor, critic, target critic, both optimisers, replay buffer, RNG and counters), so a
 * run can be resumed exactly where it was saved. Every file is written new and renamed into place;
 * checkpoint/ is replaced as a whole (written as checkpoint.new/, then swapped).
 */
import { appendFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Weights } from '../core/models/transformer';
import { decodeWeights, encodeWeights, type WeightSpec } from '../core/models/checkpoint';
import type { RunCheckpoint, TrainerCounters } from '../core/algos/archer/snapshot';
import type { ReplaySnapshot } from '../core/replay/replay-buffer';
import { loadModel, saveModel, writeAtomic } from './model-files';

export type { RunCheckpoint, TrainerCounters } from '../core/algos/archer/snapshot';
export { optimizerWeights, restoreOptimizer } from '../core/algos/archer/snapshot';

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function writeWeightsFile(dir: string, name: string, weights: Weights): Promise<void> {
  const { specs, data } = encodeWeights(weights);
  await writeAtomic(join(dir, `${name}.bin`), data);
  await writeAtomic(join(dir, `${name}.json`), JSON.stringify(specs));
}

async function readWeightsFile(dir: string, name: string): Promise<Weights> {
  const specs = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as WeightSpec[];
  const data = await readFile(join(dir, `${name}.bin`));
  return decodeWeights(specs, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

export async function saveRunCheckpoint(runDir: string, ck: RunCheckpoint): Promise<void> {
  const fresh = join(runDir, 'checkpoint.new');
  const live = join(runDir, 'checkpoint');
  const old = join(runDir, 'checkpoint.old');
  await rm(fresh, { recursive: true, force: true });
  await mkdir(fresh, { recursive: true });
  await saveModel(join(fresh, 'actor'), 'actor', ck.actor.config, ck.tokenizer, ck.actor.weights);
  await saveModel(join(fresh, 'critic'), 'critic', ck.critic.config, ck.tokenizer, ck.critic.weights);
  await saveModel(join(fresh, 'target'), 'critic', ck.critic.config, ck.tokenizer, ck.target.weights);
  for (const [name, w] of Object.entries(ck.optimizers)) await writeWeightsFile(fresh, `optimizer-${name}`, w);
  await writeAtomic(join(fresh, 'replay.json'), JSON.stringify(ck.replay));
  await writeAtomic(join(fresh, 'trainer.json'), JSON.stringify({ config: ck.config, counters: ck.counters, optimizers: Object.keys(ck.optimizers) }, null, 1));
  await rm(old, { recursive: true, force: true });
  if (await exists(live)) await rename(live, old);
  await rename(fresh, live);
  await rm(old, { recursive: true, force: true });
}

export async function loadRunCheckpoint(runDir: string): Promise<RunCheckpoint | undefined> {
  const dir = join(runDir, 'checkpoint');
  if (!(await exists(join(dir, 'trainer.json')))) return undefined;
  const trainer = JSON.parse(await readFile(join(dir, 'trainer.json'), 'utf8')) as { config: unknown; counters: TrainerCounters; optimizers: string[] };
  const actor = await loadModel(join(dir, 'actor'), 'actor');
  const critic = await loadModel(join(dir, 'critic'), 'critic');
  const target = await loadModel(join(dir, 'target'), 'critic');
  const optimizers: Record<string, Weights> = {};
  for (const name of trainer.optimizers) optimizers[name] = await readWeightsFile(dir, `optimizer-${name}`);
  return {
    config: trainer.config,
    counters: trainer.counters,
    tokenizer: actor.json.tokenizer,
    actor: { config: actor.json.config, weights: actor.weights },
    critic: { config: critic.json.config, weights: critic.weights },
    target: { weights: target.weights },
    optimizers,
    replay: JSON.parse(await readFile(join(dir, 'replay.json'), 'utf8')) as ReplaySnapshot,
  };
}

export async function appendJsonl(path: string, rows: readonly unknown[]): Promise<void> {
  if (rows.length === 0) return;
  await appendFile(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Keeps only the rows of a JSONL file that `keepWhile` accepts (used when resuming from an earlier save). */
export async function truncateJsonl(path: string, keepWhile: (row: any) => boolean): Promise<void> {
  if (!(await exists(path))) return;
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.length > 0);
  const kept = lines.filter((l) => keepWhile(JSON.parse(l)));
  await writeAtomic(path, kept.length > 0 ? kept.join('\n') + '\n' : '');
}
