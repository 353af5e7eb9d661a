/**
 * The browser's run store: training runs kept in IndexedDB (via `idb`) so that a reload resumes where
 * it was. Used from the trainer worker (which writes metrics, episodes and checkpoints) and from the
 * page (which lists, renames, duplicates and deletes runs). Layout: see ./schema.ts.
 *
 *   const db = await openRunDb();                       // database 'archer-lab' (a name of your own in tests)
 *   db.close(): void
 *
 *   Runs
 *   db.listRuns(): Promise<RunRecord[]>                 newest first (createdAt); malformed rows are skipped
 *   db.scanRuns(): Promise<{ runs: RunRecord[]; corrupt: CorruptRecordError[] }>
 *                                                       the same, plus one error per malformed row (to show them)
 *   db.getRun(id): Promise<RunRecord | undefined>       throws 'corrupt' for a malformed row
 *   db.createRun({ name, config }): Promise<RunRecord>  name trimmed, non-empty; config a (validated) object
 *   db.renameRun(id, name): Promise<RunRecord>
 *   db.updateRunStatus(id, patch): Promise<RunRecord>   patch of { state, iteration, trajectories, backend, elapsedMs }
 *   db.deleteRun(id): Promise<boolean>                  run + metrics + episodes + checkpoints + chunks, one
 *                                                       transaction; works on malformed rows; false if nothing was there
 *   db.duplicateRun(id, { name, config? }): Promise<RunRecord>
 *                                                       a new run (parentId = id) holding copies of the source's
 *                                                       checkpoint, metrics and episodes; shares no record with it
 *   Metrics (chunks of METRICS_PER_CHUNK rows; run.metricsCount kept in step)
 *   db.appendMetrics(runId, rows): Promise<void>        fills the last chunk, then adds chunks
 *   db.getMetrics(runId): Promise<MetricRow[]>          every row, in order
 *   db.truncateMetrics(runId, maxIteration): Promise<number>   drops rows with iteration > maxIteration; returns how many
 *   Episodes (one record per iteration)
 *   db.putEpisodes(runId, iteration, { latest, best?, worst? }): Promise<void>
 *   db.latestEpisodes(runId): Promise<EpisodesRecord | undefined>   the highest iteration's
 *   db.truncateEpisodes(runId, maxIteration): Promise<number>       drops iterations > maxIteration; returns how many
 *   Checkpoints (files split into chunks of CHUNK_BYTES, each file checked by size and FNV-1a checksum)
 *   db.saveCheckpoint(runId, files, { iteration, trajectories }): Promise<CheckpointRef>
 *   db.loadCheckpoint(runId): Promise<FileMap | undefined>          undefined when the run has no checkpoint
 *
 *   estimateUsage(): Promise<{ usage?: number; quota?: number } | undefined>   navigator.storage.estimate()
 *
 * saveCheckpoint writes new, then switches: all chunks and the manifest go under a new checkpoint id in
 * one transaction; only once that has committed does a second transaction point run.checkpoint at it and
 * delete the previous checkpoint (and any other checkpoint of the run: leftovers of a save cut short).
 * If either step fails, the new id's records are deleted again and the run still loads its previous
 * checkpoint. Saves of one run are serialised within one RunDb; the trainer worker is meant to be the
 * only writer of a run's checkpoints.
 *
 * Errors (./errors.ts): StorageError with kind 'quota' (the browser is out of space; the message is for
 * the user), 'corrupt' (CorruptRecordError: a malformed record or a checkpoint that does not verify,
 * naming the run, checkpoint, file path), 'not-found' (no such run) or 'invalid' (bad argument). A save
 * that fails for another reason throws a plain Error that says the previous save is kept (cause: the
 * original error). Other IndexedDB failures are rethrown as they came.
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { fnv1a32, splitChunks } from './checksum';
import { CorruptRecordError, describeError, isQuotaError, StorageError } from './errors';
import {
  CHUNK_BYTES,
  DB_NAME,
  DB_VERSION,
  METRICS_PER_CHUNK,
  STORE_NAMES,
  checkEpisodesRecord,
  checkManifest,
  checkMetricsChunk,
  checkRunRecord,
  prefixRange,
  type CheckpointFileEntry,
  type CheckpointManifest,
  type CheckpointRef,
  type ChunkRecord,
  type EpisodesPayload,
  type EpisodesRecord,
  type FileMap,
  type MetricRow,
  type RunDbSchema,
  type RunRecord,
  type RunStatusRecord,
  type StoreName,
} from './schema';

export { CorruptRecordError, StorageError, isQuotaError, type StorageErrorKind } from './errors';
export { fnv1a32 } from './checksum';
export {
  CHUNK_BYTES,
  DB_NAME,
  DB_VERSION,
  METRICS_PER_CHUNK,
  STORE_NAMES,
  type CheckpointFileEntry,
  type CheckpointManifest,
  type CheckpointRef,
  type ChunkRecord,
  type EpisodesPayload,
  type EpisodesRecord,
  type FileMap,
  type MetricRow,
  type MetricsChunk,
  type RunDbSchema,
  type RunRecord,
  type RunStatusRecord,
  type StoreName,
} from './schema';

export interface RunDbOptions {
  /** The clock for createdAt/updatedAt/savedAt (tests). */
  now?: () => Date;
  /** New run and checkpoint ids (default crypto.randomUUID()). */
  newId?: () => string;
}

export interface NewRun {
  name: string;
  config: unknown;
}

export interface DuplicateRun {
  name: string;
  /** The new run's config; the source's when left out. */
  config?: unknown;
}

export interface CheckpointInfo {
  iteration: number;
  trajectories: number;
}

export interface RunScan {
  runs: RunRecord[];
  corrupt: CorruptRecordError[];
}

export interface UsageEstimate {
  usage?: number;
  quota?: number;
}

/** Opens (creating or upgrading) the run database. */
export async function openRunDb(name: string = DB_NAME, options: RunDbOptions = {}): Promise<RunDb> {
  let opened: IDBPDatabase<RunDbSchema> | undefined;
  const db = await openDB<RunDbSchema>(name, DB_VERSION, {
    upgrade(upgrading, oldVersion) {
      if (oldVersion < 1) {
        upgrading.createObjectStore('runs', { keyPath: 'id' });
        upgrading.createObjectStore('metrics', { keyPath: ['runId', 'index'] });
        upgrading.createObjectStore('episodes', { keyPath: ['runId', 'iteration'] });
        upgrading.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('by-run', 'runId');
        upgrading.createObjectStore('chunks', { keyPath: ['checkpointId', 'path', 'index'] });
      }
    },
    // A newer version of the app (another tab) wants to upgrade: let it, rather than block it forever.
    blocking() {
      opened?.close();
    },
  });
  opened = db;
  return new RunDb(db, options);
}

/** navigator.storage.estimate() where the browser has it (page or worker); undefined elsewhere or on failure. */
export async function estimateUsage(): Promise<UsageEstimate | undefined> {
  const storage = typeof navigator === 'undefined' ? undefined : (navigator as { storage?: StorageManager }).storage;
  if (typeof storage?.estimate !== 'function') return undefined;
  try {
    const { usage, quota } = await storage.estimate();
    return { usage, quota };
  } catch {
    return undefined;
  }
}

function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context; getRandomValues does not
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Marks a request's promise as handled (so an abort does not make it an unhandled rejection) and returns it. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function invalid(message: string): StorageError {
  return new StorageError('invalid', message);
}

function runNotFound(id: string): StorageError {
  return new StorageError('not-found', `No run '${id}' in browser storage.`);
}

function checkName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') throw invalid('A run name must not be empty.');
  return trimmed;
}

function checkConfig(config: unknown): void {
  if (!isObject(config)) throw invalid('A run config must be an object.');
}

function checkIteration(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${what} must be a finite number (got ${String(value)}).`);
  return value;
}

function checkRows(rows: unknown): MetricRow[] {
  if (!Array.isArray(rows)) throw invalid('Metric rows must be an array.');
  rows.forEach((row: unknown, i) => {
    if (!isObject(row)) throw invalid(`Metric row ${i} is not an object.`);
    for (const [key, value] of Object.entries(row)) {
      if (typeof value !== 'number') throw invalid(`Metric row ${i}: '${key}' is not a number.`);
    }
    if (!Number.isFinite(row.iteration)) throw invalid(`Metric row ${i} has no finite iteration.`);
  });
  return rows as MetricRow[];
}

function checkStatusPatch(patch: unknown): Partial<RunStatusRecord> {
  if (!isObject(patch)) throw invalid('A status patch must be an object.');
  const out: Partial<RunStatusRecord> = {};
  if (patch.state !== undefined) {
    if (typeof patch.state !== 'string' || patch.state === '') throw invalid('status.state must be a non-empty string.');
    out.state = patch.state;
  }
  for (const key of ['iteration', 'trajectories', 'elapsedMs'] as const) {
    const v = patch[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalid(`status.${key} must be a non-negative number.`);
    out[key] = v;
  }
  if (patch.backend !== undefined) {
    if (typeof patch.backend !== 'string') throw invalid('status.backend must be a string.');
    out.backend = patch.backend;
  }
  return out;
}

function checkFiles(files: unknown): [string, Uint8Array][] {
  if (!isObject(files)) throw invalid('Checkpoint files must be an object of path -> bytes.');
  const entries = Object.entries(files);
  for (const [path, bytes] of entries) {
    if (path === '') throw invalid('A checkpoint file path must not be empty.');
    if (!(bytes instanceof Uint8Array)) throw invalid(`Checkpoint file '${path}' is not a Uint8Array.`);
  }
  return (entries as [string, Uint8Array][]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function asBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

/** A write refused for lack of space becomes StorageError 'quota'; a value IndexedDB cannot clone, 'invalid'. */
function mapWriteError(error: unknown, doing: string): unknown {
  if (error instanceof StorageError) return error;
  if (isQuotaError(error)) {
    return new StorageError('quota', `Browser storage is full (QuotaExceededError) while ${doing}. Free space by deleting runs.`, {
      cause: error,
    });
  }
  if (isObject(error) && error.name === 'DataCloneError') {
    return new StorageError('invalid', `Cannot store this value while ${doing}: ${describeError(error)}.`, { cause: error });
  }
  return error;
}

/** The error to report when a transaction failed: the transaction's own error when it says more (quota). */
function rootError(bodyError: unknown, txError: unknown): unknown {
  if (bodyError instanceof StorageError) return bodyError;
  if (txError !== undefined && isQuotaError(txError) && !isQuotaError(bodyError)) return txError;
  if (isObject(bodyError) && bodyError.name === 'AbortError' && txError !== undefined) return txError;
  return bodyError;
}

export class RunDb {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly saves = new Map<string, Promise<void>>();

  constructor(
    private readonly db: IDBPDatabase<RunDbSchema>,
    options: RunDbOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomId;
  }

  close(): void {
    this.db.close();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /**
   * Runs `body` in a transaction and resolves once the transaction has committed. If `body` throws, the
   * transaction is aborted (nothing it wrote stays) and the error rethrown; a failed commit (e.g.
   * QuotaExceededError) rejects with the transaction's error.
   */
  private async inTx<Names extends ArrayLike<StoreName>, Mode extends IDBTransactionMode, T>(
    names: Names,
    mode: Mode,
    body: (tx: IDBPTransaction<RunDbSchema, Names, Mode>) => Promise<T>,
    options?: IDBTransactionOptions,
  ): Promise<T> {
    const tx = this.db.transaction(names, mode, options);
    const done = handled(tx.done);
    let result: T;
    try {
      result = await body(tx);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already aborted (a failed request aborts it) or finished
      }
      const txError = await done.then(
        () => undefined,
        (e: unknown) => e,
      );
      throw rootError(error, txError);
    }
    await done;
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Runs

  /** All well-formed runs, newest first. Malformed rows are left out; scanRuns() reports them. */
  async listRuns(): Promise<RunRecord[]> {
    return (await this.scanRuns()).runs;
  }

  /** All runs, newest first, and a CorruptRecordError for each malformed row (which deleteRun can remove). */
  async scanRuns(): Promise<RunScan> {
    const [keys, values] = await this.inTx(['runs'] as const, 'readonly', (tx) => {
      const store = tx.objectStore('runs');
      return Promise.all([store.getAllKeys(), store.getAll()]);
    });
    const runs: RunRecord[] = [];
    const corrupt: CorruptRecordError[] = [];
    values.forEach((value, i) => {
      try {
        runs.push(checkRunRecord(value, keys[i]));
      } catch (e) {
        if (e instanceof CorruptRecordError) corrupt.push(e);
        else throw e;
      }
    });
    runs.sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : -1));
    return { runs, corrupt };
  }

  /** The run, or undefined when there is none; a malformed row throws CorruptRecordError. */
  async getRun(id: string): Promise<RunRecord | undefined> {
    const value: unknown = await this.inTx(['runs'] as const, 'readonly', (tx) => tx.objectStore('runs').get(id));
    return value === undefined ? undefined : checkRunRecord(value, id);
  }

  async createRun({ name, config }: NewRun): Promise<RunRecord> {
    const trimmed = checkName(name);
    checkConfig(config);
    const at = this.stamp();
    const record: RunRecord = {
      id: this.newId(),
      name: trimmed,
      createdAt: at,
      updatedAt: at,
      config,
      status: { state: 'idle', iteration: 0, trajectories: 0 },
      metricsCount: 0,
    };
    try {
      await this.inTx(['runs'] as const, 'readwrite', (tx) => tx.objectStore('runs').add(record));
    } catch (e) {
      throw mapWriteError(e, `creating run '${trimmed}'`);
    }
    return record;
  }

  /** Reads, changes and writes back one run row in one transaction. */
  private async updateRun(id: string, doing: string, change: (run: RunRecord) => void): Promise<RunRecord> {
    try {
      return await this.inTx(['runs'] as const, 'readwrite', async (tx) => {
        const store = tx.objectStore('runs');
        const run = await this.requireRun(store, id);
        change(run);
        run.updatedAt = this.stamp();
        await store.put(run);
        return run;
      });
    } catch (e) {
      throw mapWriteError(e, doing);
    }
  }

  private async requireRun(store: { get(key: string): Promise<RunRecord | undefined> }, id: string): Promise<RunRecord> {
    const value: unknown = await store.get(id);
    if (value === undefined) throw runNotFound(id);
    return checkRunRecord(value, id);
  }

  async renameRun(id: string, name: string): Promise<RunRecord> {
    const trimmed = checkName(name);
    return this.updateRun(id, `renaming run '${id}'`, (run) => {
      run.name = trimmed;
    });
  }

  /** Merges `patch` into run.status (unknown keys are ignored). */
  async updateRunStatus(id: string, patch: Partial<RunStatusRecord>): Promise<RunRecord> {
    const checked = checkStatusPatch(patch);
    return this.updateRun(id, `updating the status of run '${id}'`, (run) => {
      run.status = { ...run.status, ...checked };
    });
  }

  /**
   * Deletes the run and everything of it (metrics, episodes, checkpoints and their chunks) in one
   * transaction. Works on a malformed run row too. Resolves false when there was nothing to delete.
   */
  async deleteRun(id: string): Promise<boolean> {
    return this.inTx(STORE_NAMES, 'readwrite', async (tx) => {
      const runs = tx.objectStore('runs');
      const checkpoints = tx.objectStore('checkpoints');
      const chunks = tx.objectStore('chunks');
      const metrics = tx.objectStore('metrics');
      const episodes = tx.objectStore('episodes');
      const [row, checkpointIds, metricsCount, episodesCount] = await Promise.all([
        runs.get(id) as Promise<unknown>,
        checkpoints.index('by-run').getAllKeys(id),
        metrics.count(prefixRange(id)),
        episodes.count(prefixRange(id)),
      ]);
      const ids = new Set(checkpointIds);
      const ref = isObject(row) && isObject(row.checkpoint) ? row.checkpoint.id : undefined;
      if (typeof ref === 'string') ids.add(ref); // its chunks even if its manifest is gone
      const requests: Promise<unknown>[] = [
        handled(runs.delete(id)),
        handled(metrics.delete(prefixRange(id))),
        handled(episodes.delete(prefixRange(id))),
      ];
      for (const ck of ids) requests.push(handled(checkpoints.delete(ck)), handled(chunks.delete(prefixRange(ck))));
      await Promise.all(requests);
      return row !== undefined || ids.size > 0 || metricsCount > 0 || episodesCount > 0;
    });
  }

  /**
   * A new run (parentId = the source) that starts from copies of the source's checkpoint (under a new
   * checkpoint id), metrics and episodes, all in one transaction; deleting either run leaves the other
   * intact. Its status is idle at the checkpoint's iteration and trajectories (0 without one).
   */
  async duplicateRun(id: string, { name, config }: DuplicateRun): Promise<RunRecord> {
    const trimmed = checkName(name);
    if (config !== undefined) checkConfig(config);
    try {
      return await this.inTx(STORE_NAMES, 'readwrite', async (tx) => {
        const runs = tx.objectStore('runs');
        const source = await this.requireRun(runs, id);
        const newRunId = this.newId();
        const at = this.stamp();

        let checkpoint: CheckpointRef | undefined;
        if (source.checkpoint) {
          const manifest = await this.requireManifest(tx.objectStore('checkpoints'), source);
          const copyId = this.newId();
          const chunks = tx.objectStore('chunks');
          for (const file of manifest.files) {
            for (let index = 0; index < file.chunks; index++) {
              const chunk: unknown = await chunks.get([manifest.id, file.path, index]);
              if (!isObject(chunk) || asBytes(chunk.data) === undefined) {
                throw this.corruptChunk(source, manifest.id, file.path, index, chunk === undefined ? 'missing' : 'malformed');
              }
              await chunks.put({ checkpointId: copyId, path: file.path, index, data: chunk.data as ChunkRecord['data'] });
            }
          }
          await tx.objectStore('checkpoints').add({ ...manifest, id: copyId, runId: newRunId, files: manifest.files.map((f) => ({ ...f })) });
          checkpoint = { ...source.checkpoint, id: copyId };
        }

        const metrics = tx.objectStore('metrics');
        const [metricKeys, metricValues] = await Promise.all([metrics.getAllKeys(prefixRange(id)), metrics.getAll(prefixRange(id))]);
        const episodes = tx.objectStore('episodes');
        const [episodeKeys, episodeValues] = await Promise.all([episodes.getAllKeys(prefixRange(id)), episodes.getAll(prefixRange(id))]);
        const writes: Promise<unknown>[] = [];
        metricValues.forEach((value, i) => {
          const key = metricKeys[i]!;
          const chunk = checkMetricsChunk(value, id, key);
          writes.push(handled(metrics.put({ runId: newRunId, index: key[1], rows: chunk.rows })));
        });
        episodeValues.forEach((value, i) => {
          const key = episodeKeys[i]!;
          const rec = checkEpisodesRecord(value, id, key);
          writes.push(handled(episodes.put({ ...rec, runId: newRunId, iteration: key[1] })));
        });

        const record: RunRecord = {
          id: newRunId,
          name: trimmed,
          createdAt: at,
          updatedAt: at,
          config: config ?? source.config,
          status: { state: 'idle', iteration: checkpoint?.iteration ?? 0, trajectories: checkpoint?.trajectories ?? 0 },
          parentId: source.id,
          metricsCount: source.metricsCount,
        };
        if (checkpoint) record.checkpoint = checkpoint;
        writes.push(handled(runs.add(record)));
        await Promise.all(writes);
        return record;
      });
    } catch (e) {
      throw mapWriteError(e, `duplicating run '${id}'`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Metrics

  /** Appends rows (each with a numeric `iteration`): fills the run's last chunk, then adds new ones. */
  async appendMetrics(runId: string, rows: MetricRow[]): Promise<void> {
    const checked = checkRows(rows);
    if (checked.length === 0) return;
    try {
      await this.inTx(['runs', 'metrics'] as const, 'readwrite', async (tx) => {
        const runs = tx.objectStore('runs');
        const run = await this.requireRun(runs, runId);
        const store = tx.objectStore('metrics');
        const cursor = await store.openCursor(prefixRange(runId), 'prev');
        let index = 0;
        let at = 0;
        const writes: Promise<unknown>[] = [];
        if (cursor) {
          const last = checkMetricsChunk(cursor.value, runId, cursor.key);
          index = cursor.key[1];
          if (last.rows.length < METRICS_PER_CHUNK) {
            at = Math.min(METRICS_PER_CHUNK - last.rows.length, checked.length);
            writes.push(handled(store.put({ runId, index, rows: [...last.rows, ...checked.slice(0, at)] })));
          }
          index += 1;
        }
        for (; at < checked.length; at += METRICS_PER_CHUNK, index++) {
          writes.push(handled(store.put({ runId, index, rows: checked.slice(at, at + METRICS_PER_CHUNK) })));
        }
        run.metricsCount += checked.length;
        run.updatedAt = this.stamp();
        writes.push(handled(runs.put(run)));
        await Promise.all(writes);
      });
    } catch (e) {
      throw mapWriteError(e, `saving metrics of run '${runId}'`);
    }
  }

  /** Every metric row of the run, in the order appended. */
  async getMetrics(runId: string): Promise<MetricRow[]> {
    return this.inTx(['runs', 'metrics'] as const, 'readonly', async (tx) => {
      await this.requireRun(tx.objectStore('runs'), runId);
      const store = tx.objectStore('metrics');
      const [keys, values] = await Promise.all([store.getAllKeys(prefixRange(runId)), store.getAll(prefixRange(runId))]);
      return values.flatMap((value, i) => checkMetricsChunk(value, runId, keys[i]).rows);
    });
  }

  /**
   * Drops the rows with iteration > maxIteration (resuming from a checkpoint older than the last logged
   * row), rewriting the chunks from the first one that changed so that only the last chunk is partial.
   * Resolves to the number of rows dropped.
   */
  async truncateMetrics(runId: string, maxIteration: number): Promise<number> {
    const max = checkIteration(maxIteration, 'maxIteration');
    try {
      return await this.inTx(['runs', 'metrics'] as const, 'readwrite', async (tx) => {
        const runs = tx.objectStore('runs');
        const run = await this.requireRun(runs, runId);
        const store = tx.objectStore('metrics');
        const [keys, values] = await Promise.all([store.getAllKeys(prefixRange(runId)), store.getAll(prefixRange(runId))]);
        let first = -1;
        let total = 0;
        let dropped = 0;
        const rest: MetricRow[] = [];
        values.forEach((value, i) => {
          const rows = checkMetricsChunk(value, runId, keys[i]).rows;
          const kept = rows.filter((r) => r.iteration! <= max); // checked: every stored row has a numeric iteration
          total += kept.length;
          dropped += rows.length - kept.length;
          if (first < 0 && kept.length !== rows.length) first = i;
          if (first >= 0) rest.push(...kept);
        });
        if (first < 0) return 0;
        const writes: Promise<unknown>[] = keys.slice(first).map((key) => handled(store.delete(key)));
        let index = keys[first]![1];
        for (let at = 0; at < rest.length; at += METRICS_PER_CHUNK, index++) {
          writes.push(handled(store.put({ runId, index, rows: rest.slice(at, at + METRICS_PER_CHUNK) })));
        }
        run.metricsCount = total;
        run.updatedAt = this.stamp();
        writes.push(handled(runs.put(run)));
        await Promise.all(writes);
        return dropped;
      });
    } catch (e) {
      throw mapWriteError(e, `truncating metrics of run '${runId}'`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Episodes

  /** Stores the episodes shown for one iteration (replacing what that iteration had). */
  async putEpisodes(runId: string, iteration: number, payload: EpisodesPayload): Promise<void> {
    const it = checkIteration(iteration, 'iteration');
    if (!isObject(payload) || !Array.isArray(payload.latest)) throw invalid('Episodes need a `latest` array.');
    const record: EpisodesRecord = { runId, iteration: it, latest: payload.latest };
    if (payload.best !== undefined) record.best = payload.best;
    if (payload.worst !== undefined) record.worst = payload.worst;
    try {
      await this.inTx(['runs', 'episodes'] as const, 'readwrite', async (tx) => {
        await this.requireRun(tx.objectStore('runs'), runId);
        await tx.objectStore('episodes').put(record);
      });
    } catch (e) {
      throw mapWriteError(e, `saving episodes of run '${runId}' at iteration ${it}`);
    }
  }

  /** The episodes record with the highest iteration, or undefined when the run has none. */
  async latestEpisodes(runId: string): Promise<EpisodesRecord | undefined> {
    return this.inTx(['runs', 'episodes'] as const, 'readonly', async (tx) => {
      await this.requireRun(tx.objectStore('runs'), runId);
      const cursor = await tx.objectStore('episodes').openCursor(prefixRange(runId), 'prev');
      return cursor ? checkEpisodesRecord(cursor.value, runId, cursor.key) : undefined;
    });
  }

  /** Drops the episodes of iterations > maxIteration; resolves to how many records went. */
  async truncateEpisodes(runId: string, maxIteration: number): Promise<number> {
    const max = checkIteration(maxIteration, 'maxIteration');
    return this.inTx(['runs', 'episodes'] as const, 'readwrite', async (tx) => {
      await this.requireRun(tx.objectStore('runs'), runId);
      const store = tx.objectStore('episodes');
      const above = IDBKeyRange.bound([runId, max], [runId, []], true, false);
      const count = await store.count(above);
      if (count > 0) await store.delete(above);
      return count;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Checkpoints

  /**
   * Saves `files` as the run's checkpoint: writes them (chunked, with a manifest) under a new checkpoint
   * id, and only once that has committed switches run.checkpoint to it and deletes the previous one.
   * On failure the previous checkpoint stays loadable and nothing of the new one remains; running out of
   * space throws StorageError 'quota' with a message for the user.
   */
  async saveCheckpoint(runId: string, files: FileMap, info: CheckpointInfo): Promise<CheckpointRef> {
    const previous = this.saves.get(runId) ?? Promise.resolve();
    const result = previous.then(() => this.saveCheckpointNow(runId, files, info));
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.saves.set(runId, settled);
    void settled.then(() => {
      if (this.saves.get(runId) === settled) this.saves.delete(runId);
    });
    return result;
  }

  private async saveCheckpointNow(runId: string, files: FileMap, info: CheckpointInfo): Promise<CheckpointRef> {
    if (!isObject(info) || !isCount(info.iteration) || !isCount(info.trajectories)) {
      throw invalid('A checkpoint needs a non-negative integer iteration and trajectories.');
    }
    const entries = checkFiles(files);
    const run = await this.getRun(runId);
    if (!run) throw runNotFound(runId);

    const id = this.newId();
    const createdAt = this.stamp();
    const fileEntries: CheckpointFileEntry[] = [];
    const chunkRecords: ChunkRecord[] = [];
    let bytes = 0;
    for (const [path, data] of entries) {
      const pieces = splitChunks(data, CHUNK_BYTES);
      fileEntries.push({ path, bytes: data.length, chunks: pieces.length, checksum: fnv1a32(data) });
      pieces.forEach((piece, index) => chunkRecords.push({ checkpointId: id, path, index, data: piece }));
      bytes += data.length;
    }
    const manifest: CheckpointManifest = { id, runId, createdAt, iteration: info.iteration, trajectories: info.trajectories, files: fileEntries };
    const ref: CheckpointRef = { id, iteration: info.iteration, trajectories: info.trajectories, savedAt: createdAt, bytes };

    // 1. Write new: every chunk and the manifest under the new id, in one transaction.
    try {
      await this.inTx(
        ['checkpoints', 'chunks'] as const,
        'readwrite',
        async (tx) => {
          const chunks = tx.objectStore('chunks');
          const writes: Promise<unknown>[] = [];
          for (const record of chunkRecords) writes.push(handled(chunks.put(record)));
          writes.push(handled(tx.objectStore('checkpoints').add(manifest)));
          await Promise.all(writes);
        },
        { durability: 'strict' },
      );
    } catch (e) {
      await this.discardCheckpoint(id);
      throw this.saveError(e, run, info);
    }

    // 2. Switch: point the run at it, then drop the previous checkpoint (and any leftover of the run).
    try {
      await this.inTx(
        ['runs', 'checkpoints', 'chunks'] as const,
        'readwrite',
        async (tx) => {
          const runs = tx.objectStore('runs');
          const current = await this.requireRun(runs, runId);
          const checkpoints = tx.objectStore('checkpoints');
          const stale = new Set((await checkpoints.index('by-run').getAllKeys(runId)).filter((k) => k !== id));
          if (current.checkpoint && current.checkpoint.id !== id) stale.add(current.checkpoint.id);
          const chunks = tx.objectStore('chunks');
          const writes: Promise<unknown>[] = [];
          for (const old of stale) writes.push(handled(checkpoints.delete(old)), handled(chunks.delete(prefixRange(old))));
          current.checkpoint = ref;
          current.updatedAt = createdAt;
          writes.push(handled(runs.put(current)));
          await Promise.all(writes);
        },
        { durability: 'strict' },
      );
    } catch (e) {
      await this.discardCheckpoint(id);
      throw this.saveError(e, run, info);
    }
    return ref;
  }

  /** Best effort: deletes a checkpoint that no run points at yet (a failed save). */
  private async discardCheckpoint(id: string): Promise<void> {
    try {
      await this.inTx(['checkpoints', 'chunks'] as const, 'readwrite', async (tx) => {
        await Promise.all([handled(tx.objectStore('checkpoints').delete(id)), handled(tx.objectStore('chunks').delete(prefixRange(id)))]);
      });
    } catch {
      // Nothing more to do here: a failed write transaction left nothing behind anyway, and the next
      // successful save of the run deletes any checkpoint of it other than the new one.
    }
  }

  private saveError(error: unknown, run: RunRecord, info: CheckpointInfo): unknown {
    if (error instanceof StorageError) return error;
    const kept = run.checkpoint
      ? `the previous save (iteration ${run.checkpoint.iteration}) is kept`
      : 'nothing was saved (this run has no earlier save)';
    if (isQuotaError(error)) {
      return new StorageError(
        'quota',
        `Browser storage is full (QuotaExceededError) while saving checkpoint of run '${run.name}' at iteration ${info.iteration}: ${kept}. Free space by deleting runs.`,
        { cause: error },
      );
    }
    return new Error(`Saving checkpoint of run '${run.name}' at iteration ${info.iteration} failed (${describeError(error)}): ${kept}.`, {
      cause: error,
    });
  }

  private async requireManifest(
    store: { get(key: string): Promise<CheckpointManifest | undefined> },
    run: RunRecord,
  ): Promise<CheckpointManifest> {
    const id = run.checkpoint!.id;
    const value: unknown = await store.get(id);
    if (value === undefined) {
      throw new CorruptRecordError(`Run '${run.name}' (${run.id}) points at checkpoint '${id}', whose manifest is missing from browser storage.`, {
        store: 'checkpoints',
        key: id,
        runId: run.id,
        checkpointId: id,
      });
    }
    return checkManifest(value, run.id, id);
  }

  private corruptChunk(run: RunRecord, checkpointId: string, path: string, index: number, what: string): CorruptRecordError {
    return new CorruptRecordError(
      `Checkpoint '${checkpointId}' of run '${run.name}' (${run.id}) is corrupt: chunk ${index} of file '${path}' is ${what}.`,
      { store: 'chunks', key: [checkpointId, path, index], runId: run.id, checkpointId, path },
    );
  }

  /**
   * The run's checkpoint as files, each reassembled from its chunks and checked against the manifest
   * (size and FNV-1a checksum); undefined when the run has no checkpoint. A missing or damaged chunk, or
   * a missing manifest, throws CorruptRecordError naming the run, checkpoint id and file path.
   */
  async loadCheckpoint(runId: string): Promise<FileMap | undefined> {
    const read = await this.inTx(['runs', 'checkpoints', 'chunks'] as const, 'readonly', async (tx) => {
      const run = await this.requireRun(tx.objectStore('runs'), runId);
      if (!run.checkpoint) return undefined;
      const manifest = await this.requireManifest(tx.objectStore('checkpoints'), run);
      const chunks = tx.objectStore('chunks');
      const parts: unknown[][] = [];
      for (const file of manifest.files) {
        const gets: Promise<unknown>[] = [];
        for (let index = 0; index < file.chunks; index++) gets.push(chunks.get([manifest.id, file.path, index]));
        parts.push(await Promise.all(gets));
      }
      return { run, manifest, parts };
    });
    if (!read) return undefined;

    const { run, manifest, parts } = read;
    const files: FileMap = {};
    manifest.files.forEach((file, f) => {
      const out = new Uint8Array(file.bytes);
      let at = 0;
      parts[f]!.forEach((chunk, index) => {
        if (chunk === undefined) throw this.corruptChunk(run, manifest.id, file.path, index, 'missing');
        const data = isObject(chunk) ? asBytes(chunk.data) : undefined;
        if (!data) throw this.corruptChunk(run, manifest.id, file.path, index, 'malformed');
        if (at + data.length > file.bytes) {
          throw this.corruptChunk(run, manifest.id, file.path, index, `longer than the manifest's ${file.bytes} bytes allow`);
        }
        out.set(data, at);
        at += data.length;
      });
      const fail = (what: string): never => {
        throw new CorruptRecordError(`Checkpoint '${manifest.id}' of run '${run.name}' (${run.id}) is corrupt: file '${file.path}' ${what}.`, {
          store: 'chunks',
          key: [manifest.id, file.path],
          runId: run.id,
          checkpointId: manifest.id,
          path: file.path,
        });
      };
      if (at !== file.bytes) fail(`has ${at} bytes where the manifest says ${file.bytes}`);
      const checksum = fnv1a32(out);
      if (checksum !== file.checksum) fail(`fails its checksum (${checksum}, manifest ${file.checksum})`);
      files[file.path] = out;
    });
    return files;
  }
}
