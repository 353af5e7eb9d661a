/**
 * The IndexedDB layout of the run store (database 'archer-lab', version 1) and the checks every record
 * read back goes through: a record that does not have the expected shape becomes a CorruptRecordError
 * naming the store, key and what is wrong, instead of a TypeError somewhere in the UI.
 *
 *   runs         keyPath 'id'                          RunRecord
 *   metrics      keyPath ['runId', 'index']            MetricsChunk   (at most METRICS_PER_CHUNK rows)
 *   episodes     keyPath ['runId', 'iteration']        EpisodesRecord
 *   checkpoints  keyPath 'id', index 'by-run' (runId)  CheckpointManifest
 *   chunks       keyPath ['checkpointId', 'path', 'index']  ChunkRecord (at most CHUNK_BYTES bytes)
 */
import type { DBSchema } from 'idb';
import { CorruptRecordError } from './errors';

export const DB_NAME = 'archer-lab';
export const DB_VERSION = 1;
export const STORE_NAMES = ['runs', 'metrics', 'episodes', 'checkpoints', 'chunks'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

/** Metric rows per `metrics` record. */
export const METRICS_PER_CHUNK = 100;
/** Bytes per `chunks` record (1 MiB), so no single stored value is huge. */
export const CHUNK_BYTES = 1 << 20;

/** A checkpoint as files: relative path ('checkpoint/actor/weights.bin') -> bytes. */
export type FileMap = Record<string, Uint8Array>;

export type MetricRow = Record<string, number>;

export interface RunStatusRecord {
  state: string;
  iteration: number;
  trajectories: number;
  backend?: string;
  elapsedMs?: number;
}

/** What a run row says about its current checkpoint (the manifest itself is in `checkpoints`). */
export interface CheckpointRef {
  id: string;
  iteration: number;
  trajectories: number;
  savedAt: string;
  bytes: number;
}

export interface RunRecord {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  config: unknown;
  status: RunStatusRecord;
  checkpoint?: CheckpointRef;
  parentId?: string;
  metricsCount: number;
}

export interface MetricsChunk {
  runId: string;
  index: number;
  rows: MetricRow[];
}

export interface EpisodesPayload {
  latest: unknown[];
  best?: unknown;
  worst?: unknown;
}

export interface EpisodesRecord extends EpisodesPayload {
  runId: string;
  iteration: number;
}

export interface CheckpointFileEntry {
  path: string;
  bytes: number;
  chunks: number;
  /** FNV-1a 32-bit over the file's bytes, 8 lowercase hex digits. */
  checksum: string;
}

export interface CheckpointManifest {
  id: string;
  runId: string;
  createdAt: string;
  iteration: number;
  trajectories: number;
  files: CheckpointFileEntry[];
}

export interface ChunkRecord {
  checkpointId: string;
  path: string;
  index: number;
  data: ArrayBuffer | Uint8Array;
}

export interface RunDbSchema extends DBSchema {
  runs: { key: string; value: RunRecord };
  metrics: { key: [string, number]; value: MetricsChunk };
  episodes: { key: [string, number]; value: EpisodesRecord };
  checkpoints: { key: string; value: CheckpointManifest; indexes: { 'by-run': string } };
  chunks: { key: [string, string, number]; value: ChunkRecord };
}

/** Every key of a compound-key store whose first component(s) are `prefix` (arrays sort after all strings and numbers). */
export function prefixRange(...prefix: (string | number)[]): IDBKeyRange {
  return IDBKeyRange.bound(prefix, [...prefix, []]);
}

// ---------------------------------------------------------------------------------------------
// Shape checks of records read back.

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function keyText(key: unknown): string {
  try {
    return JSON.stringify(key) ?? String(key);
  } catch {
    return String(key);
  }
}

/** Checks a `runs` row; `key` is its primary key as stored. */
export function checkRunRecord(value: unknown, key: unknown): RunRecord {
  const fail = (what: string): never => {
    throw new CorruptRecordError(`Corrupt run record ${keyText(key)} in IndexedDB: ${what}.`, {
      store: 'runs',
      key,
      runId: typeof key === 'string' ? key : undefined,
    });
  };
  if (!isObject(value)) return fail('it is not an object');
  if (typeof value.id !== 'string' || value.id === '') fail('it has no id');
  if (typeof value.name !== 'string') fail('it has no name');
  if (typeof value.createdAt !== 'string') fail('it has no createdAt');
  if (typeof value.updatedAt !== 'string') fail('it has no updatedAt');
  if (!isObject(value.config)) fail('it has no config object');
  const status = value.status;
  if (!isObject(status)) return fail('it has no status');
  if (typeof status.state !== 'string') fail('status.state is not a string');
  if (typeof status.iteration !== 'number') fail('status.iteration is not a number');
  if (typeof status.trajectories !== 'number') fail('status.trajectories is not a number');
  if (status.backend !== undefined && typeof status.backend !== 'string') fail('status.backend is not a string');
  if (status.elapsedMs !== undefined && typeof status.elapsedMs !== 'number') fail('status.elapsedMs is not a number');
  if (!isCount(value.metricsCount)) fail('metricsCount is not a non-negative integer');
  if (value.parentId !== undefined && typeof value.parentId !== 'string') fail('parentId is not a string');
  const ck = value.checkpoint;
  if (ck !== undefined) {
    if (!isObject(ck)) return fail('checkpoint is not an object');
    if (typeof ck.id !== 'string') fail('checkpoint.id is not a string');
    if (!isCount(ck.iteration)) fail('checkpoint.iteration is not a non-negative integer');
    if (!isCount(ck.trajectories)) fail('checkpoint.trajectories is not a non-negative integer');
    if (typeof ck.savedAt !== 'string') fail('checkpoint.savedAt is not a string');
    if (!isCount(ck.bytes)) fail('checkpoint.bytes is not a non-negative integer');
  }
  return value as unknown as RunRecord;
}

export function checkMetricsChunk(value: unknown, runId: string, key: unknown): MetricsChunk {
  const fail = (what: string): never => {
    throw new CorruptRecordError(`Corrupt metrics chunk ${keyText(key)} of run '${runId}': ${what}.`, {
      store: 'metrics',
      key,
      runId,
    });
  };
  if (!isObject(value)) return fail('it is not an object');
  if (!Array.isArray(value.rows)) return fail('rows is not an array');
  value.rows.forEach((row: unknown, i) => {
    if (!isObject(row)) fail(`row ${i} is not an object`);
    else if (typeof row.iteration !== 'number') fail(`row ${i} has no numeric iteration`);
  });
  return value as unknown as MetricsChunk;
}

export function checkEpisodesRecord(value: unknown, runId: string, key: unknown): EpisodesRecord {
  const fail = (what: string): never => {
    throw new CorruptRecordError(`Corrupt episodes record ${keyText(key)} of run '${runId}': ${what}.`, {
      store: 'episodes',
      key,
      runId,
    });
  };
  if (!isObject(value)) return fail('it is not an object');
  if (typeof value.iteration !== 'number') fail('iteration is not a number');
  if (!Array.isArray(value.latest)) fail('latest is not an array');
  return value as unknown as EpisodesRecord;
}

export function checkManifest(value: unknown, runId: string, checkpointId: string): CheckpointManifest {
  const fail = (what: string): never => {
    throw new CorruptRecordError(`Corrupt checkpoint manifest '${checkpointId}' of run '${runId}': ${what}.`, {
      store: 'checkpoints',
      key: checkpointId,
      runId,
      checkpointId,
    });
  };
  if (!isObject(value)) return fail('it is not an object');
  if (value.id !== checkpointId) fail('its id does not match its key');
  if (value.runId !== runId) fail(`it belongs to run ${keyText(value.runId)}`);
  if (!isCount(value.iteration)) fail('iteration is not a non-negative integer');
  if (!isCount(value.trajectories)) fail('trajectories is not a non-negative integer');
  if (!Array.isArray(value.files)) return fail('files is not an array');
  const seen = new Set<string>();
  value.files.forEach((f: unknown, i) => {
    if (!isObject(f)) return fail(`file entry ${i} is not an object`);
    if (typeof f.path !== 'string' || f.path === '') fail(`file entry ${i} has no path`);
    const path = f.path as string;
    if (seen.has(path)) fail(`file '${path}' is listed twice`);
    seen.add(path);
    if (!isCount(f.bytes)) fail(`file '${path}' has no byte count`);
    if (!isCount(f.chunks)) fail(`file '${path}' has no chunk count`);
    if ((f.bytes as number) > 0 && f.chunks === 0) fail(`file '${path}' has bytes but no chunks`);
    if (typeof f.checksum !== 'string' || !/^[0-9a-f]{8}$/.test(f.checksum)) fail(`file '${path}' has no checksum`);
    return undefined;
  });
  return value as unknown as CheckpointManifest;
}
