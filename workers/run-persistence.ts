/**
 * The trainer worker's side of persistence: the active run's metrics, episodes and checkpoints go
 * to IndexedDB (src/storage/idb/run-db.ts) in the run file format (src/storage/checkpoint-files.ts),
 * and whole runs go out and come in as one .tar file (the command line's run folder, packed).
 * Everything a file or a record holds is checked before it replaces anything.
 */
import { validateConfig, type Config } from '../src/core/config';
import type { ArcherTrainer } from '../src/core/algos/archer/trainer';
import { snapshotTrainer, type RunCheckpoint } from '../src/core/algos/archer/snapshot';
import { SUBSET_LABELS } from '../src/core/envs/twenty-questions/subsets';
import { updateExtremes, type ReplayEpisode } from '../src/core/rollout/replay-episodes';
import { RUN_FORMAT, checkModelSizes, checkpointFromFiles, checkpointToFiles, modelSizesFrom, runFromFiles, runToFiles } from '../src/storage/checkpoint-files';
import { tarPack, tarUnpack } from '../src/storage/tar';
import { estimateUsage, openRunDb, type RunDb } from '../src/storage/idb/run-db';
import type { EpisodesRecord, RunRecord, RunStatusRecord } from '../src/storage/idb/schema';

export interface RunSummary {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  iteration: number;
  trajectories: number;
  checkpointIteration?: number;
  config: unknown;
}

export interface ResumedRun {
  run: RunRecord;
  config: Config;
  checkpoint?: RunCheckpoint;
  history: Record<string, number>[];
  episodes?: { iteration: number; latest: ReplayEpisode[]; best?: ReplayEpisode; worst?: ReplayEpisode };
}

let dbPromise: Promise<RunDb> | undefined;

/** The lab's database (opened once per worker). */
export function runDb(): Promise<RunDb> {
  dbPromise ??= openRunDb().catch((e: unknown) => {
    dbPromise = undefined;
    throw new Error(`browser storage (IndexedDB) is not available: ${e instanceof Error ? e.message : String(e)}; runs are not saved`);
  });
  return dbPromise;
}

function summary(r: RunRecord): RunSummary {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    iteration: r.status.iteration,
    trajectories: r.status.trajectories,
    checkpointIteration: r.checkpoint?.iteration,
    config: r.config,
  };
}

/** Runs, most recently used first, and storage use. Malformed rows are reported in `problems`. */
export async function listRuns(): Promise<{ runs: RunSummary[]; problems: string[]; usage?: { usage?: number; quota?: number } }> {
  const db = await runDb();
  const { runs, corrupt } = await db.scanRuns();
  const sorted = runs.map(summary).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return { runs: sorted, problems: corrupt.map((e) => e.message), usage: await estimateUsage() };
}

export function defaultRunName(config: Config, when = new Date()): string {
  const stamp = when.toISOString().slice(0, 16).replace('T', ' ');
  return `ArCHer ${config.env.name === 'webshop' ? 'WebShop' : SUBSET_LABELS[config.env.subset]}, seed ${config.seed}, ${stamp}`;
}

export async function createRun(config: Config, name = defaultRunName(config)): Promise<RunRecord> {
  return (await runDb()).createRun({ name, config });
}

/**
 * Everything needed to continue a saved run: its settings, the checkpoint (checked file by file,
 * and against the settings' model sizes), and the metrics and episodes up to that checkpoint (rows
 * logged after it are dropped, so the history continues exactly from the save).
 */
export async function loadRun(id: string): Promise<ResumedRun> {
  const db = await runDb();
  const run = await db.getRun(id);
  if (!run) throw new Error(`there is no saved run with id ${id}`);
  const config = validateConfig(run.config);
  const files = await db.loadCheckpoint(id);
  const checkpoint = files ? checkpointFromFiles(files) : undefined;
  if (checkpoint) checkModelSizes(checkpoint, config);
  const upTo = checkpoint?.counters.iteration ?? 0;
  await db.truncateMetrics(id, upTo);
  await db.truncateEpisodes(id, upTo);
  const history = await db.getMetrics(id);
  const ep = await db.latestEpisodes(id);
  return { run, config, checkpoint, history, episodes: ep ? episodesOf(ep) : undefined };
}

function episodesOf(ep: EpisodesRecord): ResumedRun['episodes'] {
  return { iteration: ep.iteration, latest: ep.latest as ReplayEpisode[], best: ep.best as ReplayEpisode | undefined, worst: ep.worst as ReplayEpisode | undefined };
}

/** One iteration's log: its metrics row and its episodes (with best and worst so far). */
export async function logIteration(runId: string, row: Record<string, number>, episodes: { iteration: number; latest: ReplayEpisode[]; best?: ReplayEpisode; worst?: ReplayEpisode }): Promise<void> {
  const db = await runDb();
  await db.appendMetrics(runId, [row]);
  await db.putEpisodes(runId, episodes.iteration, { latest: episodes.latest, best: episodes.best, worst: episodes.worst });
}

/**
 * Saves the trainer's whole state as the run's checkpoint (write new, then switch) and its status.
 * `snapshot`, when the caller already took one of this very state, is saved instead of reading the
 * weights again.
 */
export async function saveRun(runId: string, trainer: ArcherTrainer, status: Partial<RunStatusRecord>, snapshot?: RunCheckpoint): Promise<number> {
  const db = await runDb();
  const ck = snapshot ?? (await snapshotTrainer(trainer));
  await db.saveCheckpoint(runId, checkpointToFiles(ck), { iteration: trainer.iteration, trajectories: trainer.trajectories });
  await db.updateRunStatus(runId, { ...status, iteration: trainer.iteration, trajectories: trainer.trajectories });
  return trainer.iteration;
}

export async function updateStatus(runId: string, status: Partial<RunStatusRecord>): Promise<void> {
  await (await runDb()).updateRunStatus(runId, status);
}

export async function renameRun(id: string, name: string): Promise<void> {
  await (await runDb()).renameRun(id, name);
}

export async function deleteRun(id: string): Promise<void> {
  await (await runDb()).deleteRun(id);
}

/** A copy of a run that continues with new settings; the model sizes must stay (the checkpoint holds those weights). */
export async function duplicateRun(id: string, input: unknown): Promise<string> {
  const db = await runDb();
  const run = await db.getRun(id);
  if (!run) throw new Error(`there is no saved run with id ${id}`);
  const config = validateConfig(input);
  const before = JSON.stringify(modelSizesFrom(validateConfig(run.config)));
  if (JSON.stringify(modelSizesFrom(config)) !== before) {
    throw new Error(`a copy of "${run.name}" must keep its model sizes (model.* and critic.*): its checkpoint holds weights of those sizes`);
  }
  const copy = await db.duplicateRun(id, { name: `${run.name} (copy)`, config });
  return copy.id;
}

export async function runMetrics(id: string): Promise<Record<string, number>[]> {
  return (await runDb()).getMetrics(id);
}

/** The run as one .tar: run.json, metrics.jsonl, episodes.jsonl (latest iteration, best, worst) and checkpoint/. */
export async function exportRun(id: string): Promise<{ name: string; bytes: Uint8Array }> {
  const db = await runDb();
  const run = await db.getRun(id);
  if (!run) throw new Error(`there is no saved run with id ${id}`);
  const config = validateConfig(run.config);
  const files = await db.loadCheckpoint(id);
  const checkpoint = files ? checkpointFromFiles(files) : undefined;
  const upTo = checkpoint?.counters.iteration ?? 0;
  const metrics = (await db.getMetrics(id)).filter((r) => (r.iteration ?? 0) <= upTo);
  const ep = await db.latestEpisodes(id);
  const episodes: ReplayEpisode[] = [];
  if (ep && ep.iteration <= upTo) {
    for (const e of [...(ep.latest as ReplayEpisode[]), ep.best as ReplayEpisode | undefined, ep.worst as ReplayEpisode | undefined]) {
      if (e && !episodes.some((x) => x.iteration === e.iteration && x.index === e.index)) episodes.push(e);
    }
  }
  const bytes = tarPack(
    runToFiles({
      run: { format: RUN_FORMAT, name: run.name, createdAt: run.createdAt, updatedAt: run.updatedAt, config, status: { iteration: upTo, trajectories: checkpoint?.counters.trajectories ?? 0 } },
      metrics,
      episodes,
      checkpoint,
    }),
  );
  return { name: run.name, bytes };
}

/**
 * Reads a run file fully (tar, run.json, every metrics and episode line, every checkpoint file
 * against its size and checksum, model sizes against the settings) before storing anything; then
 * stores it as a new run. Nothing is left behind if storing fails half-way.
 */
export async function importRun(bytes: Uint8Array, fileName: string): Promise<string> {
  let parsed;
  try {
    parsed = runFromFiles(tarUnpack(bytes));
  } catch (e) {
    throw new Error(`${fileName} was not imported: ${e instanceof Error ? e.message : String(e)}`);
  }
  const db = await runDb();
  const run = await db.createRun({ name: parsed.run.name, config: parsed.run.config });
  try {
    if (parsed.metrics.length > 0) await db.appendMetrics(run.id, parsed.metrics);
    if (parsed.episodes.length > 0) {
      const iteration = Math.max(...parsed.episodes.map((e) => e.iteration));
      const { best, worst } = updateExtremes({}, parsed.episodes);
      await db.putEpisodes(run.id, iteration, { latest: parsed.episodes.filter((e) => e.iteration === iteration), best, worst });
    }
    if (parsed.checkpoint) {
      const c = parsed.checkpoint.counters;
      await db.saveCheckpoint(run.id, checkpointToFiles(parsed.checkpoint), { iteration: c.iteration, trajectories: c.trajectories });
      await db.updateRunStatus(run.id, { state: 'paused', iteration: c.iteration, trajectories: c.trajectories });
    }
  } catch (e) {
    await db.deleteRun(run.id).catch(() => undefined);
    throw e;
  }
  return run.id;
}
