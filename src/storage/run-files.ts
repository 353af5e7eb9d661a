/**
 * A training run as a folder (Node command line), in the format of src/storage/checkpoint-files.ts
 * (the same files the browser packs into one .tar): run.json, metrics.jsonl, episodes.jsonl and
 * checkpoint/ (actor, critic, target critic, the optimisers, replay buffer, RNG and counters), so a
 * run can be resumed exactly where it was saved; the command line also writes summary.json.
 * Every file is written new and renamed into place; checkpoint/ is replaced as a whole (written as
 * checkpoint.new/, then swapped).
 */
import { appendFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunCheckpoint } from '../core/algos/archer/snapshot';
import { checkpointFromFiles, checkpointToFiles, CheckpointFormatError, type FileMap } from './checkpoint-files';
import { checkRelativePath } from './tar';
import { writeAtomic } from './model-files';

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

/** Writes every file of the map under `dir` (folders created as needed), each atomically (temporary name, then rename). */
export async function writeFileMap(dir: string, files: FileMap): Promise<void> {
  const made = new Set<string>();
  for (const [path, data] of Object.entries(files)) {
    checkRelativePath(path, 'writeFileMap');
    const target = join(dir, ...path.split('/'));
    const parent = dirname(target);
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await writeAtomic(target, data);
  }
}

/**
 * The regular files under `dir` as a FileMap (POSIX paths relative to `dir`, sorted). `filter`
 * keeps only paths that start with it (a string, e.g. 'checkpoint/') or that it accepts (a function).
 * Folders that the filter rules out entirely are not read. A missing `dir` gives an empty map.
 */
export async function readFileMap(dir: string, filter?: string | ((path: string) => boolean)): Promise<FileMap> {
  const keep = (path: string): boolean => (filter === undefined ? true : typeof filter === 'string' ? path.startsWith(filter) : filter(path));
  const mayHold = (folder: string): boolean => typeof filter !== 'string' || filter.startsWith(folder) || folder.startsWith(filter);
  const out: FileMap = {};
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, ...rel.split('/').filter(Boolean)), { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && rel === '') return;
      throw e;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = rel + entry.name;
      if (entry.isDirectory()) {
        if (mayHold(`${path}/`)) await walk(`${path}/`);
      } else if (entry.isFile() && keep(path)) {
        const data = await readFile(join(dir, ...path.split('/')));
        out[path] = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      }
    }
  };
  await walk('');
  return out;
}

/** Writes the checkpoint as DIR/checkpoint.new/ and swaps it in for DIR/checkpoint/. */
export async function saveRunCheckpoint(runDir: string, ck: RunCheckpoint): Promise<void> {
  const fresh = join(runDir, 'checkpoint.new');
  const live = join(runDir, 'checkpoint');
  const old = join(runDir, 'checkpoint.old');
  await rm(fresh, { recursive: true, force: true });
  await mkdir(fresh, { recursive: true });
  await writeFileMap(fresh, checkpointToFiles(ck, ''));
  await rm(old, { recursive: true, force: true });
  if (await exists(live)) await rename(live, old);
  await rename(fresh, live);
  await rm(old, { recursive: true, force: true });
}

/**
 * DIR/checkpoint/, fully validated (CheckpointFormatError naming the file when a part is missing,
 * truncated or corrupt, also trainer.json), or undefined when the run has none yet (no files in
 * DIR/checkpoint/). A save interrupted between its
 * two renames (no checkpoint/, but a complete checkpoint.new/ or the previous checkpoint.old/) is
 * finished first.
 */
export async function loadRunCheckpoint(runDir: string): Promise<RunCheckpoint | undefined> {
  const live = join(runDir, 'checkpoint');
  if (!(await exists(live))) {
    for (const spare of ['checkpoint.new', 'checkpoint.old']) {
      const dir = join(runDir, spare);
      if (!(await exists(join(dir, 'trainer.json')))) continue;
      try {
        checkpointFromFiles(await readFileMap(dir), '');
      } catch {
        continue;
      }
      await rename(dir, live);
      break;
    }
  }
  const files = await readFileMap(runDir, 'checkpoint/');
  if (Object.keys(files).length === 0) return undefined;
  try {
    return checkpointFromFiles(files, 'checkpoint/');
  } catch (e) {
    if (e instanceof CheckpointFormatError) throw new CheckpointFormatError(`${runDir}: ${e.message}`);
    throw e;
  }
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
