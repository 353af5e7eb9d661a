import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CHUNK_BYTES,
  CorruptRecordError,
  STORE_NAMES,
  StorageError,
  estimateUsage,
  fnv1a32,
  openRunDb,
  type FileMap,
  type MetricRow,
  type RunDb,
  type RunDbSchema,
  type StoreName,
} from './run-db';

let counter = 0;
const opened: { close(): void }[] = [];

/** A fresh database per test, with a clock that ticks one second per call so createdAt orders runs. */
async function fresh(): Promise<{ db: RunDb; name: string }> {
  const name = `run-db-test-${++counter}-${Math.random().toString(36).slice(2)}`;
  let t = Date.parse('2025-01-01T00:00:00.000Z');
  const db = await openRunDb(name, { now: () => new Date((t += 1000)) });
  opened.push(db);
  return { db, name };
}

/** A second, raw connection to the same database, to look at or tamper with records directly. */
async function raw(name: string): Promise<IDBPDatabase<RunDbSchema>> {
  const db = await openDB<RunDbSchema>(name);
  opened.push(db);
  return db;
}

async function counts(name: string): Promise<Record<StoreName, number>> {
  const db = await raw(name);
  const out = {} as Record<StoreName, number>;
  for (const store of STORE_NAMES) out[store] = await db.count(store);
  return out;
}

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  vi.unstubAllGlobals();
});

const CONFIG = { env: { name: 'twenty_questions' }, seed: 1 };

function rows(from: number, to: number): MetricRow[] {
  const out: MetricRow[] = [];
  for (let i = from; i <= to; i++) out.push({ iteration: i, loss: i / 10 });
  return out;
}

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function checkpointFiles(seed: number): FileMap {
  return {
    'checkpoint/actor/weights.bin': bytes(2.5 * CHUNK_BYTES, seed),
    'checkpoint/actor/weights.json': new TextEncoder().encode(JSON.stringify({ seed })),
    'checkpoint/replay.json': bytes(1000 + seed, seed + 1),
    'checkpoint/empty.bin': new Uint8Array(0),
  };
}

async function expectStorageError(p: Promise<unknown>, kind: StorageError['kind'], message?: RegExp): Promise<StorageError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  const e = error as StorageError;
  expect(e.kind).toBe(kind);
  if (message) expect(e.message).toMatch(message);
  return e;
}

/** Replaces IDBObjectStore.prototype.put while `body` runs. */
async function withPatchedPut(
  patch: (original: IDBObjectStore['put'], store: IDBObjectStore, value: unknown, key?: IDBValidKey) => IDBRequest,
  body: () => Promise<void>,
): Promise<void> {
  const proto = IDBObjectStore.prototype;
  const original = proto.put;
  proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    return patch(original, this, value, key);
  };
  try {
    await body();
  } finally {
    proto.put = original;
  }
}

describe('fnv1a32', () => {
  it('matches the reference vectors', () => {
    const enc = new TextEncoder();
    expect(fnv1a32(new Uint8Array(0))).toBe('811c9dc5');
    expect(fnv1a32(enc.encode('a'))).toBe('e40c292c');
    expect(fnv1a32(enc.encode('foobar'))).toBe('bf9cf968');
  });
});

describe('schema', () => {
  it('creates the five stores with their keys', async () => {
    const { name } = await fresh();
    const db = await raw(name);
    expect(db.version).toBe(1);
    expect([...db.objectStoreNames].sort()).toEqual([...STORE_NAMES].sort());
    const tx = db.transaction(STORE_NAMES);
    expect(tx.objectStore('runs').keyPath).toBe('id');
    expect(tx.objectStore('metrics').keyPath).toEqual(['runId', 'index']);
    expect(tx.objectStore('episodes').keyPath).toEqual(['runId', 'iteration']);
    expect(tx.objectStore('checkpoints').keyPath).toBe('id');
    expect(tx.objectStore('checkpoints').index('by-run').keyPath).toBe('runId');
    expect(tx.objectStore('chunks').keyPath).toEqual(['checkpointId', 'path', 'index']);
    await tx.done;
  });

  it('opens the default database name', async () => {
    const db = await openRunDb();
    opened.push(db);
    expect(Array.isArray(await db.listRuns())).toBe(true);
  });
});

describe('runs', () => {
  it('creates, gets and lists runs newest first', async () => {
    const { db } = await fresh();
    const a = await db.createRun({ name: '  first  ', config: CONFIG });
    const b = await db.createRun({ name: 'second', config: { ...CONFIG, seed: 2 } });
    expect(a.name).toBe('first');
    expect(a.id).not.toBe(b.id);
    expect(a.status).toEqual({ state: 'idle', iteration: 0, trajectories: 0 });
    expect(a.metricsCount).toBe(0);
    expect(a.createdAt < b.createdAt).toBe(true);
    expect(await db.getRun(a.id)).toEqual(a);
    expect(await db.getRun('nope')).toBeUndefined();
    expect((await db.listRuns()).map((r) => r.name)).toEqual(['second', 'first']);
  });

  it('rejects an empty name and a config that is not an object', async () => {
    const { db, name } = await fresh();
    await expectStorageError(db.createRun({ name: '   ', config: CONFIG }), 'invalid', /name must not be empty/);
    await expectStorageError(db.createRun({ name: 'x', config: null }), 'invalid', /config/);
    await expectStorageError(db.createRun({ name: 'x', config: { f: () => 1 } }), 'invalid', /Cannot store/);
    expect((await counts(name)).runs).toBe(0);
  });

  it('renames (trimmed, non-empty)', async () => {
    const { db } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    const renamed = await db.renameRun(run.id, '  b  ');
    expect(renamed.name).toBe('b');
    expect(renamed.updatedAt > run.updatedAt).toBe(true);
    expect((await db.getRun(run.id))!.name).toBe('b');
    await expectStorageError(db.renameRun(run.id, ' \t '), 'invalid', /must not be empty/);
    expect((await db.getRun(run.id))!.name).toBe('b');
    await expectStorageError(db.renameRun('missing', 'c'), 'not-found', /missing/);
  });

  it('updates the status by merging a patch', async () => {
    const { db } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    await db.updateRunStatus(run.id, { state: 'running', iteration: 3, backend: 'wasm' });
    const patched = await db.updateRunStatus(run.id, { trajectories: 48, elapsedMs: 1234, probes: ['x'] } as never);
    expect(patched.status).toEqual({ state: 'running', iteration: 3, trajectories: 48, backend: 'wasm', elapsedMs: 1234 });
    expect((await db.getRun(run.id))!.status).toEqual(patched.status);
    await expectStorageError(db.updateRunStatus(run.id, { iteration: -1 }), 'invalid', /iteration/);
    await expectStorageError(db.updateRunStatus('missing', { state: 'paused' }), 'not-found');
  });
});

describe('metrics', () => {
  it('stores 250 rows as chunks of 100, 100, 50 and returns them in order', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    await db.appendMetrics(run.id, rows(1, 250));
    const store = await raw(name);
    const chunks = await store.getAll('metrics');
    expect(chunks.map((c) => [c.index, c.rows.length])).toEqual([
      [0, 100],
      [1, 100],
      [2, 50],
    ]);
    expect(await db.getMetrics(run.id)).toEqual(rows(1, 250));
    expect((await db.getRun(run.id))!.metricsCount).toBe(250);
  });

  it('fills the last chunk before starting new ones', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    await db.appendMetrics(run.id, rows(1, 30));
    await db.appendMetrics(run.id, rows(31, 30 + 70));
    await db.appendMetrics(run.id, rows(101, 210));
    await db.appendMetrics(run.id, []);
    const chunks = await (await raw(name)).getAll('metrics');
    expect(chunks.map((c) => c.rows.length)).toEqual([100, 100, 10]);
    expect(await db.getMetrics(run.id)).toEqual(rows(1, 210));
    expect((await db.getRun(run.id))!.metricsCount).toBe(210);
  });

  it('keeps runs apart and checks its input', async () => {
    const { db } = await fresh();
    const a = await db.createRun({ name: 'a', config: CONFIG });
    const b = await db.createRun({ name: 'b', config: CONFIG });
    await db.appendMetrics(a.id, rows(1, 5));
    await db.appendMetrics(b.id, rows(100, 101));
    expect(await db.getMetrics(a.id)).toEqual(rows(1, 5));
    expect(await db.getMetrics(b.id)).toEqual(rows(100, 101));
    await expectStorageError(db.appendMetrics(a.id, [{ loss: 1 }]), 'invalid', /iteration/);
    await expectStorageError(db.appendMetrics(a.id, [{ iteration: 1, note: 'x' } as never]), 'invalid', /'note' is not a number/);
    await expectStorageError(db.appendMetrics('missing', rows(1, 1)), 'not-found');
    await expectStorageError(db.getMetrics('missing'), 'not-found');
    expect(await db.getMetrics(a.id)).toEqual(rows(1, 5));
  });

  it('truncates rows past an iteration and re-packs the chunks', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    await db.appendMetrics(run.id, rows(1, 250));
    expect(await db.truncateMetrics(run.id, 400)).toBe(0);
    expect(await db.truncateMetrics(run.id, 120)).toBe(130);
    expect(await db.getMetrics(run.id)).toEqual(rows(1, 120));
    expect((await db.getRun(run.id))!.metricsCount).toBe(120);
    expect((await (await raw(name)).getAll('metrics')).map((c) => c.rows.length)).toEqual([100, 20]);
    await db.appendMetrics(run.id, rows(121, 200));
    expect(await db.getMetrics(run.id)).toEqual(rows(1, 200));
    expect((await (await raw(name)).getAll('metrics')).map((c) => c.rows.length)).toEqual([100, 100]);
    expect(await db.truncateMetrics(run.id, 0)).toBe(200);
    expect(await db.getMetrics(run.id)).toEqual([]);
    expect((await counts(name)).metrics).toBe(0);
    expect((await db.getRun(run.id))!.metricsCount).toBe(0);
  });

  it('reports a metrics chunk whose rows is not an array as corrupt', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    await db.appendMetrics(run.id, rows(1, 150));
    await (await raw(name)).put('metrics', { runId: run.id, index: 1, rows: 'oops' } as never);
    const e = await expectStorageError(db.getMetrics(run.id), 'corrupt', /rows is not an array/);
    expect(e).toBeInstanceOf(CorruptRecordError);
    expect((e as CorruptRecordError).store).toBe('metrics');
    await expectStorageError(db.appendMetrics(run.id, rows(151, 151)), 'corrupt', /rows is not an array/);
  });
});

describe('episodes', () => {
  it('puts, reads the latest and truncates', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    const other = await db.createRun({ name: 'b', config: CONFIG });
    expect(await db.latestEpisodes(run.id)).toBeUndefined();
    for (const it of [5, 1, 12, 3]) await db.putEpisodes(run.id, it, { latest: [{ it }], best: { it, r: 1 }, worst: { it, r: 0 } });
    await db.putEpisodes(other.id, 99, { latest: [] });
    expect(await db.latestEpisodes(run.id)).toEqual({ runId: run.id, iteration: 12, latest: [{ it: 12 }], best: { it: 12, r: 1 }, worst: { it: 12, r: 0 } });
    await db.putEpisodes(run.id, 12, { latest: [{ it: 12, again: true }] });
    expect(await db.latestEpisodes(run.id)).toEqual({ runId: run.id, iteration: 12, latest: [{ it: 12, again: true }] });
    expect(await db.truncateEpisodes(run.id, 4)).toBe(2);
    expect((await db.latestEpisodes(run.id))!.iteration).toBe(3);
    expect(await db.truncateEpisodes(run.id, 4)).toBe(0);
    expect((await db.latestEpisodes(other.id))!.iteration).toBe(99);
    expect((await counts(name)).episodes).toBe(3);
    await expectStorageError(db.putEpisodes(run.id, 1, { latest: 'x' } as never), 'invalid', /latest/);
    await expectStorageError(db.putEpisodes('missing', 1, { latest: [] }), 'not-found');
  });

  it('reports a malformed episodes record as corrupt', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    await (await raw(name)).put('episodes', { runId: run.id, iteration: 7, latest: null } as never);
    await expectStorageError(db.latestEpisodes(run.id), 'corrupt', /latest is not an array/);
  });
});

describe('checkpoints', () => {
  it('splits a 2.5 MiB file into 3 chunks and reassembles every file byte for byte', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    expect(await db.loadCheckpoint(run.id)).toBeUndefined();
    const files = checkpointFiles(1);
    const ref = await db.saveCheckpoint(run.id, files, { iteration: 10, trajectories: 160 });
    const total = Object.values(files).reduce((n, f) => n + f.length, 0);
    expect(ref).toMatchObject({ iteration: 10, trajectories: 160, bytes: total });
    expect((await db.getRun(run.id))!.checkpoint).toEqual(ref);

    const store = await raw(name);
    const weights = await store.getAll('chunks', IDBKeyRange.bound([ref.id, 'checkpoint/actor/weights.bin'], [ref.id, 'checkpoint/actor/weights.bin', []]));
    expect(weights.map((c) => [c.index, (c.data as Uint8Array).byteLength])).toEqual([
      [0, CHUNK_BYTES],
      [1, CHUNK_BYTES],
      [2, CHUNK_BYTES / 2],
    ]);
    for (const c of await store.getAll('chunks')) expect((c.data as Uint8Array).byteLength).toBeLessThanOrEqual(CHUNK_BYTES);
    const manifest = (await store.get('checkpoints', ref.id))!;
    expect(manifest.runId).toBe(run.id);
    expect(manifest.files.find((f) => f.path === 'checkpoint/actor/weights.bin')).toEqual({
      path: 'checkpoint/actor/weights.bin',
      bytes: 2.5 * CHUNK_BYTES,
      chunks: 3,
      checksum: fnv1a32(files['checkpoint/actor/weights.bin']!),
    });
    expect(manifest.files.find((f) => f.path === 'checkpoint/empty.bin')).toMatchObject({ bytes: 0, chunks: 0 });
    expect((await counts(name)).chunks).toBe(3 + 1 + 1);

    const loaded = (await db.loadCheckpoint(run.id))!;
    expect(Object.keys(loaded).sort()).toEqual(Object.keys(files).sort());
    for (const [path, data] of Object.entries(files)) {
      expect(loaded[path]!.length).toBe(data.length);
      expect(Buffer.from(loaded[path]!).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('stores copies of subarray views, not their whole buffers', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    const big = bytes(3 * CHUNK_BYTES, 9);
    await db.saveCheckpoint(run.id, { 'a.bin': big.subarray(100, 200) }, { iteration: 1, trajectories: 1 });
    const [chunk] = await (await raw(name)).getAll('chunks');
    expect((chunk!.data as Uint8Array).buffer.byteLength).toBe(100);
    expect(Buffer.from((await db.loadCheckpoint(run.id))!['a.bin']!).equals(Buffer.from(big.subarray(100, 200)))).toBe(true);
  });

  it('writes new, then switches: after a second save only its records remain', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    const first = await db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 10, trajectories: 160 });
    const second = await db.saveCheckpoint(run.id, checkpointFiles(2), { iteration: 20, trajectories: 320 });
    expect(second.id).not.toBe(first.id);
    expect((await db.getRun(run.id))!.checkpoint).toEqual(second);
    const store = await raw(name);
    expect(await store.getAllKeys('checkpoints')).toEqual([second.id]);
    const chunkKeys = await store.getAllKeys('chunks');
    expect(chunkKeys.length).toBe(5);
    expect(chunkKeys.every((k) => k[0] === second.id)).toBe(true);
    expect(await store.count('chunks', IDBKeyRange.bound([first.id], [first.id, []]))).toBe(0);
    const loaded = (await db.loadCheckpoint(run.id))!;
    expect(Buffer.from(loaded['checkpoint/replay.json']!).equals(Buffer.from(checkpointFiles(2)['checkpoint/replay.json']!))).toBe(true);
  });

  it('serialises overlapping saves of one run', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    const [a, b] = await Promise.all([
      db.saveCheckpoint(run.id, { 'x.bin': bytes(10, 1) }, { iteration: 1, trajectories: 1 }),
      db.saveCheckpoint(run.id, { 'x.bin': bytes(10, 2) }, { iteration: 2, trajectories: 2 }),
    ]);
    expect((await db.getRun(run.id))!.checkpoint).toEqual(b);
    expect(await (await raw(name)).getAllKeys('checkpoints')).toEqual([b.id]);
    expect(a.id).not.toBe(b.id);
    expect(Buffer.from((await db.loadCheckpoint(run.id))!['x.bin']!).equals(Buffer.from(bytes(10, 2)))).toBe(true);
  });

  it('checks its input', async () => {
    const { db } = await fresh();
    const run = await db.createRun({ name: 'a', config: CONFIG });
    await expectStorageError(db.saveCheckpoint(run.id, { 'a.bin': [1, 2] as never }, { iteration: 1, trajectories: 1 }), 'invalid', /a\.bin/);
    await expectStorageError(db.saveCheckpoint(run.id, { 'a.bin': new Uint8Array(1) }, { iteration: -1, trajectories: 1 }), 'invalid');
    await expectStorageError(db.saveCheckpoint('missing', { 'a.bin': new Uint8Array(1) }, { iteration: 1, trajectories: 1 }), 'not-found');
    await expectStorageError(db.loadCheckpoint('missing'), 'not-found');
  });

  it('keeps the previous checkpoint when a chunk write throws QuotaExceededError', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'my run', config: CONFIG });
    const first = await db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 10, trajectories: 160 });
    const before = await counts(name);
    let calls = 0;
    await withPatchedPut(
      (original, store, value, key) => {
        if (store.name === 'chunks' && ++calls === 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.call(store, value, key);
      },
      async () => {
        const e = await expectStorageError(db.saveCheckpoint(run.id, checkpointFiles(2), { iteration: 12, trajectories: 192 }), 'quota');
        expect(e.message).toBe(
          "Browser storage is full (QuotaExceededError) while saving checkpoint of run 'my run' at iteration 12: the previous save (iteration 10) is kept. Free space by deleting runs.",
        );
        expect((e.cause as DOMException).name).toBe('QuotaExceededError');
      },
    );
    expect(calls).toBe(3);
    expect(await counts(name)).toEqual(before);
    const store = await raw(name);
    expect(await store.getAllKeys('checkpoints')).toEqual([first.id]);
    expect((await store.getAllKeys('chunks')).every((k) => k[0] === first.id)).toBe(true);
    expect((await db.getRun(run.id))!.checkpoint).toEqual(first);
    const loaded = (await db.loadCheckpoint(run.id))!;
    expect(Buffer.from(loaded['checkpoint/actor/weights.bin']!).equals(Buffer.from(checkpointFiles(1)['checkpoint/actor/weights.bin']!))).toBe(true);
    // And the next save goes through.
    const third = await db.saveCheckpoint(run.id, checkpointFiles(3), { iteration: 14, trajectories: 224 });
    expect(await (await raw(name)).getAllKeys('checkpoints')).toEqual([third.id]);
  });

  it('keeps the previous checkpoint when the transaction aborts with QuotaExceededError as its error', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'r', config: CONFIG });
    const first = await db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 10, trajectories: 160 });
    const before = await counts(name);
    let calls = 0;
    await withPatchedPut(
      (original, store, value, key) => {
        const request = original.call(store, value, key);
        // What a browser does when the disk fills: the requests fail with AbortError, the transaction's error is QuotaExceededError.
        if (store.name === 'chunks' && ++calls === 2) (store.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
        return request;
      },
      async () => {
        await expectStorageError(
          db.saveCheckpoint(run.id, checkpointFiles(2), { iteration: 12, trajectories: 192 }),
          'quota',
          /^Browser storage is full \(QuotaExceededError\) while saving checkpoint of run 'r' at iteration 12: the previous save \(iteration 10\) is kept\./,
        );
      },
    );
    expect(await counts(name)).toEqual(before);
    expect((await db.getRun(run.id))!.checkpoint).toEqual(first);
    expect(Object.keys((await db.loadCheckpoint(run.id))!).length).toBe(4);
  });

  it('keeps the previous checkpoint and removes the new one when the switch fails', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'r', config: CONFIG });
    const first = await db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 10, trajectories: 160 });
    const before = await counts(name);
    await withPatchedPut(
      (original, store, value, key) => {
        if (store.name === 'runs') throw new DOMException('full', 'QuotaExceededError');
        return original.call(store, value, key);
      },
      async () => {
        await expectStorageError(db.saveCheckpoint(run.id, checkpointFiles(2), { iteration: 12, trajectories: 192 }), 'quota', /previous save \(iteration 10\) is kept/);
      },
    );
    expect(await counts(name)).toEqual(before);
    expect((await db.getRun(run.id))!.checkpoint).toEqual(first);
    expect(await db.loadCheckpoint(run.id)).toBeDefined();
  });

  it('says nothing was saved when a first save fails, and leaves no records', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'r', config: CONFIG });
    await withPatchedPut(
      (original, store, value, key) => {
        if (store.name === 'chunks') throw new DOMException('full', 'QuotaExceededError');
        return original.call(store, value, key);
      },
      async () => {
        await expectStorageError(db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 3, trajectories: 48 }), 'quota', /nothing was saved/);
      },
    );
    expect(await counts(name)).toEqual({ runs: 1, metrics: 0, episodes: 0, checkpoints: 0, chunks: 0 });
    expect(await db.loadCheckpoint(run.id)).toBeUndefined();
  });

  it('wraps other failures in an error that says the previous save is kept', async () => {
    const { db } = await fresh();
    const run = await db.createRun({ name: 'r', config: CONFIG });
    await db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 10, trajectories: 160 });
    await withPatchedPut(
      (original, store, value, key) => {
        if (store.name === 'chunks') throw new DOMException('disk on fire', 'UnknownError');
        return original.call(store, value, key);
      },
      async () => {
        const e = await db.saveCheckpoint(run.id, checkpointFiles(2), { iteration: 12, trajectories: 1 }).catch((x: unknown) => x);
        expect(e).not.toBeInstanceOf(StorageError);
        expect((e as Error).message).toBe("Saving checkpoint of run 'r' at iteration 12 failed (UnknownError: disk on fire): the previous save (iteration 10) is kept.");
      },
    );
    expect(await db.loadCheckpoint(run.id)).toBeDefined();
  });

  it('reports a chunk whose bytes were altered as corrupt, naming the path', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'r', config: CONFIG });
    const ref = await db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 10, trajectories: 160 });
    const store = await raw(name);
    const key: [string, string, number] = [ref.id, 'checkpoint/actor/weights.bin', 1];
    const chunk = (await store.get('chunks', key))!;
    const data = new Uint8Array(chunk.data as Uint8Array);
    data[12345] = data[12345]! ^ 0xff;
    await store.put('chunks', { ...chunk, data });
    const e = (await expectStorageError(db.loadCheckpoint(run.id), 'corrupt', /checkpoint\/actor\/weights\.bin/)) as CorruptRecordError;
    expect(e).toBeInstanceOf(CorruptRecordError);
    expect(e.message).toContain(run.id);
    expect(e.message).toContain(ref.id);
    expect(e.message).toMatch(/checksum/);
    expect(e).toMatchObject({ runId: run.id, checkpointId: ref.id, path: 'checkpoint/actor/weights.bin' });
  });

  it('reports a missing chunk, a short chunk and a missing manifest as corrupt', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'r', config: CONFIG });
    const ref = await db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 10, trajectories: 160 });
    const store = await raw(name);
    const key: [string, string, number] = [ref.id, 'checkpoint/actor/weights.bin', 2];
    const chunk = (await store.get('chunks', key))!;

    await store.put('chunks', { ...chunk, data: (chunk.data as Uint8Array).slice(0, 10) });
    await expectStorageError(db.loadCheckpoint(run.id), 'corrupt', /file 'checkpoint\/actor\/weights\.bin' has \d+ bytes where the manifest says/);

    await store.delete('chunks', key);
    const e = (await expectStorageError(db.loadCheckpoint(run.id), 'corrupt', /chunk 2 of file 'checkpoint\/actor\/weights\.bin' is missing/)) as CorruptRecordError;
    expect(e.path).toBe('checkpoint/actor/weights.bin');
    expect(e.message).toContain(ref.id);

    await store.put('chunks', { ...chunk, data: 'not bytes' as never });
    await expectStorageError(db.loadCheckpoint(run.id), 'corrupt', /is malformed/);

    await store.delete('checkpoints', ref.id);
    await expectStorageError(db.loadCheckpoint(run.id), 'corrupt', /manifest is missing/);
    await expectStorageError(db.duplicateRun(run.id, { name: 'copy' }), 'corrupt', /manifest is missing/);
  });

  it('reports a malformed manifest as corrupt', async () => {
    const { db, name } = await fresh();
    const run = await db.createRun({ name: 'r', config: CONFIG });
    const ref = await db.saveCheckpoint(run.id, { 'a.bin': new Uint8Array(3) }, { iteration: 1, trajectories: 1 });
    const store = await raw(name);
    const manifest = (await store.get('checkpoints', ref.id))!;
    await store.put('checkpoints', { ...manifest, files: [{ path: 'a.bin', bytes: 3 }] } as never);
    await expectStorageError(db.loadCheckpoint(run.id), 'corrupt', /file 'a\.bin' has no chunk count/);
  });
});

describe('corrupt run rows', () => {
  it('getRun throws kind corrupt; listRuns skips the row and scanRuns reports it; deleteRun removes it', async () => {
    const { db, name } = await fresh();
    const good = await db.createRun({ name: 'good', config: CONFIG });
    const store = await raw(name);
    await store.put('runs', { ...good, id: 'bad', config: undefined } as never);
    await store.put('runs', { ...good, id: 5 } as never); // keyPath 'id' means a row always has some id; this one is not a string
    await store.put('runs', { ...good, id: 'bad-status', status: { state: 'idle' } } as never);

    const e = (await expectStorageError(db.getRun('bad'), 'corrupt', /"bad".*no config object/)) as CorruptRecordError;
    expect(e).toMatchObject({ store: 'runs', key: 'bad' });
    await expectStorageError(db.getRun('bad-status'), 'corrupt', /status\.iteration/);
    await expectStorageError(db.renameRun('bad', 'x'), 'corrupt');
    await expectStorageError(db.appendMetrics('bad', rows(1, 1)), 'corrupt');

    expect((await db.listRuns()).map((r) => r.id)).toEqual([good.id]);
    const scan = await db.scanRuns();
    expect(scan.runs.map((r) => r.id)).toEqual([good.id]);
    expect(scan.corrupt.map((c) => String(c.key)).sort()).toEqual(['5', 'bad', 'bad-status']);
    expect(scan.corrupt.find((c) => c.key === 5)!.message).toMatch(/Corrupt run record 5 .*it has no id/);
    expect(scan.corrupt.every((c) => c.kind === 'corrupt')).toBe(true);

    expect(await db.deleteRun('bad')).toBe(true);
    expect(await db.deleteRun('bad-status')).toBe(true);
    expect(await (await raw(name)).count('runs')).toBe(2); // good + the numeric-id row, which deleteRun(string) cannot name
    expect((await db.scanRuns()).corrupt.map((c) => c.key)).toEqual([5]);
  });

  it('names the field of the wrong type', async () => {
    const { db, name } = await fresh();
    const store = await raw(name);
    await store.put('runs', { id: 'x', name: 1, createdAt: 'a', updatedAt: 'a', config: {}, status: {}, metricsCount: 0 } as never);
    await expectStorageError(db.getRun('x'), 'corrupt', /no name/);
  });
});

describe('deleteRun', () => {
  it('removes the run and every record of it in all stores, and nothing of other runs', async () => {
    const { db, name } = await fresh();
    const keep = await db.createRun({ name: 'keep', config: CONFIG });
    await db.appendMetrics(keep.id, rows(1, 20));
    await db.putEpisodes(keep.id, 1, { latest: [1] });
    await db.saveCheckpoint(keep.id, { 'k.bin': bytes(10, 3) }, { iteration: 1, trajectories: 1 });
    const before = await counts(name);

    const run = await db.createRun({ name: 'gone', config: CONFIG });
    await db.appendMetrics(run.id, rows(1, 250));
    for (let i = 1; i <= 5; i++) await db.putEpisodes(run.id, i, { latest: [i] });
    await db.saveCheckpoint(run.id, checkpointFiles(1), { iteration: 5, trajectories: 80 });
    // A leftover checkpoint of the run that no run row points at (a save cut short between its two steps).
    const store = await raw(name);
    await store.put('checkpoints', { id: 'leftover', runId: run.id, createdAt: 'x', iteration: 4, trajectories: 64, files: [] });
    await store.put('chunks', { checkpointId: 'leftover', path: 'a', index: 0, data: new Uint8Array(1) });
    expect((await counts(name)).chunks).toBeGreaterThan(before.chunks);

    expect(await db.deleteRun(run.id)).toBe(true);
    const after = await counts(name);
    // The leftover's manifest goes (found by run); its chunk too, since deleteRun deletes each checkpoint's chunk range.
    expect(after).toEqual(before);
    expect(await db.getRun(run.id)).toBeUndefined();
    expect(await db.getMetrics(keep.id)).toEqual(rows(1, 20));
    expect(await db.loadCheckpoint(keep.id)).toBeDefined();
    expect(await db.deleteRun(run.id)).toBe(false);
  });
});

describe('duplicateRun', () => {
  async function seeded(db: RunDb) {
    const src = await db.createRun({ name: 'src', config: CONFIG });
    await db.appendMetrics(src.id, rows(1, 130));
    await db.putEpisodes(src.id, 7, { latest: [{ a: 1 }], best: { a: 2 } });
    await db.putEpisodes(src.id, 8, { latest: [{ a: 3 }] });
    const ref = await db.saveCheckpoint(src.id, checkpointFiles(4), { iteration: 8, trajectories: 128 });
    return { src: (await db.getRun(src.id))!, ref };
  }

  it('copies checkpoint, metrics and episodes into an independent run', async () => {
    const { db, name } = await fresh();
    const { src, ref } = await seeded(db);
    const before = await counts(name);
    const copy = await db.duplicateRun(src.id, { name: '  copy ', config: { ...CONFIG, seed: 5 } });
    expect(copy).toMatchObject({ name: 'copy', parentId: src.id, metricsCount: 130, config: { ...CONFIG, seed: 5 } });
    expect(copy.status).toEqual({ state: 'idle', iteration: 8, trajectories: 128 });
    expect(copy.checkpoint!.id).not.toBe(ref.id);
    expect(copy.checkpoint).toMatchObject({ iteration: 8, trajectories: 128, bytes: ref.bytes });
    expect(await counts(name)).toEqual({
      runs: before.runs + 1,
      metrics: before.metrics * 2,
      episodes: before.episodes * 2,
      checkpoints: before.checkpoints * 2,
      chunks: before.chunks * 2,
    });
    expect((await db.listRuns())[0]!.id).toBe(copy.id);

    // Deleting the source leaves the copy whole.
    await db.deleteRun(src.id);
    expect(await db.getMetrics(copy.id)).toEqual(rows(1, 130));
    expect(await db.latestEpisodes(copy.id)).toEqual({ runId: copy.id, iteration: 8, latest: [{ a: 3 }] });
    const loaded = (await db.loadCheckpoint(copy.id))!;
    for (const [path, data] of Object.entries(checkpointFiles(4))) expect(Buffer.from(loaded[path]!).equals(Buffer.from(data))).toBe(true);
    expect(await counts(name)).toEqual(before);
  });

  it('leaves the source whole when the copy is changed or deleted', async () => {
    const { db, name } = await fresh();
    const { src } = await seeded(db);
    const before = await counts(name);
    const copy = await db.duplicateRun(src.id, { name: 'copy' });
    expect(copy.config).toEqual(src.config);
    await db.appendMetrics(copy.id, rows(131, 140));
    await db.truncateEpisodes(copy.id, 7);
    await db.saveCheckpoint(copy.id, { 'other.bin': bytes(5, 5) }, { iteration: 9, trajectories: 140 });
    expect(await db.getMetrics(src.id)).toEqual(rows(1, 130));
    expect((await db.latestEpisodes(src.id))!.iteration).toBe(8);
    await db.deleteRun(copy.id);
    expect(await counts(name)).toEqual(before);
    expect((await db.getRun(src.id))!.metricsCount).toBe(130);
    const loaded = (await db.loadCheckpoint(src.id))!;
    expect(Buffer.from(loaded['checkpoint/actor/weights.bin']!).equals(Buffer.from(checkpointFiles(4)['checkpoint/actor/weights.bin']!))).toBe(true);
  });

  it('duplicates a run without a checkpoint, and checks its input', async () => {
    const { db } = await fresh();
    const src = await db.createRun({ name: 'src', config: CONFIG });
    const copy = await db.duplicateRun(src.id, { name: 'copy' });
    expect(copy.checkpoint).toBeUndefined();
    expect(await db.loadCheckpoint(copy.id)).toBeUndefined();
    expect(await db.getMetrics(copy.id)).toEqual([]);
    await expectStorageError(db.duplicateRun(src.id, { name: '' }), 'invalid');
    await expectStorageError(db.duplicateRun('missing', { name: 'x' }), 'not-found');
  });
});

describe('estimateUsage', () => {
  it('is undefined without navigator.storage and passes the estimate through with it', async () => {
    vi.stubGlobal('navigator', {});
    expect(await estimateUsage()).toBeUndefined();
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 1234, quota: 99999 }) } });
    expect(await estimateUsage()).toEqual({ usage: 1234, quota: 99999 });
    vi.stubGlobal('navigator', {
      storage: {
        estimate: async () => {
          throw new Error('no');
        },
      },
    });
    expect(await estimateUsage()).toBeUndefined();
  });
});
