/**
 * Resume is bitwise faithful: a run trained 2N iterations straight and one trained N, saved to
 * IndexedDB (fake-indexeddb here, the same code as the browser's), reloaded into a fresh trainer
 * and trained N more end with equal metrics and equal weights (cpu backend, same seed).
 */
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArcherTrainer, type Metrics } from '../src/core/algos/archer/trainer';
import { restoreTrainer } from '../src/core/algos/archer/snapshot';
import { applyOverrides } from '../src/core/config';
import * as store from './run-persistence';
import { disposeTrainer, tinyConfig, tinyTrainer } from '../src/core/algos/archer/test-support';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const tiny = tinyConfig(['algorithm.warmup_iterations=1', 'algorithm.lm_lr=1e-5', 'seed=3']);

const makeTrainer = (config = tiny) => tinyTrainer(config);

const withoutPerf = (m: Metrics) => Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/')));

async function trainLogged(t: ArcherTrainer, runId: string, n: number): Promise<Metrics[]> {
  const rows: Metrics[] = [];
  for (let i = 0; i < n; i++) {
    const r = await t.step();
    const latest = await t.annotate(r.episodes);
    await store.logIteration(runId, r.metrics, { iteration: t.iteration, latest });
    rows.push(r.metrics);
  }
  return rows;
}

describe('run persistence (IndexedDB)', () => {
  it('2N straight equals N, saved, reloaded, N more: metrics and weights bit for bit', async () => {
    const N = 2;
    const straight = makeTrainer();
    const straightRun = await store.createRun(tiny, 'straight');
    const a = await trainLogged(straight, straightRun.id, 2 * N);

    const first = makeTrainer();
    const run = await store.createRun(tiny, 'resumed');
    await trainLogged(first, run.id, N);
    expect(await store.saveRun(run.id, first, { state: 'paused' })).toBe(N);
    // An iteration logged after the save is dropped on resume: the history continues from the save.
    await trainLogged(first, run.id, 1);

    const loaded = await store.loadRun(run.id);
    expect(loaded.checkpoint?.counters.iteration).toBe(N);
    expect(loaded.history.map((r) => r.iteration)).toEqual([1, 2]);
    const second = makeTrainer(loaded.config);
    await restoreTrainer(second, loaded.checkpoint!);
    expect(second.replay.size).toBe(loaded.history[N - 1]!['replay/size']);
    const b = await trainLogged(second, run.id, N);

    expect(b.map(withoutPerf)).toEqual(a.slice(N).map(withoutPerf));
    const wa = straight.actor.getWeights();
    const wb = second.actor.getWeights();
    for (const k of Object.keys(wa)) expect(Array.from(wb[k]!.data), k).toEqual(Array.from(wa[k]!.data));
    expect((await store.runMetrics(run.id)).map((r) => r.iteration)).toEqual([1, 2, 3, 4]);
    for (const t of [straight, first, second]) {
      disposeTrainer(t);
    }
  });

  it('export then import gives the same run: settings, metrics, checkpoint; a damaged file is refused with nothing stored', async () => {
    const t = makeTrainer();
    const run = await store.createRun(tiny, 'to export');
    await trainLogged(t, run.id, 2);
    await store.saveRun(run.id, t, { state: 'paused' });
    const { name, bytes } = await store.exportRun(run.id);
    expect(name).toBe('to export');

    const before = (await store.listRuns()).runs.length;
    const damaged = bytes.slice();
    // Flip a byte in the middle of the archive (inside a weights file or a JSON file).
    const mid = Math.floor(damaged.length / 2);
    damaged[mid] = damaged[mid]! ^ 0xff;
    await expect(store.importRun(damaged, 'damaged.tar')).rejects.toThrow(/damaged\.tar was not imported/);
    await expect(store.importRun(new TextEncoder().encode('hello'), 'notes.txt')).rejects.toThrow(/notes\.txt was not imported/);
    expect((await store.listRuns()).runs.length).toBe(before);

    const id = await store.importRun(bytes, `${name}.tar`);
    const back = await store.loadRun(id);
    expect(back.config).toEqual(tiny);
    expect(back.history.map(withoutPerf)).toEqual((await store.runMetrics(run.id)).map(withoutPerf));
    const copy = makeTrainer(back.config);
    await restoreTrainer(copy, back.checkpoint!);
    const wa = t.actor.getWeights();
    const wb = copy.actor.getWeights();
    for (const k of Object.keys(wa)) expect(Array.from(wb[k]!.data), k).toEqual(Array.from(wa[k]!.data));
    expect(copy.replay.size).toBe(t.replay.size);
    for (const x of [t, copy]) {
      disposeTrainer(x);
    }
  });

  it('duplicate keeps model sizes, rename and delete work through the store', async () => {
    const run = await store.createRun(tiny, 'original');
    const t = makeTrainer();
    await trainLogged(t, run.id, 1);
    await store.saveRun(run.id, t, { state: 'paused' });
    const bigger = applyOverrides(tiny, ['model.d_model=32']);
    await expect(store.duplicateRun(run.id, bigger)).rejects.toThrow(/must keep its model sizes/);
    const copyId = await store.duplicateRun(run.id, applyOverrides(tiny, ['algorithm.lm_lr=0.001']));
    const copy = await store.loadRun(copyId);
    expect(copy.config.algorithm.lm_lr).toBe(0.001);
    expect(copy.checkpoint?.counters.iteration).toBe(1);
    await store.renameRun(copyId, '  renamed  ');
    expect((await store.listRuns()).runs.find((r) => r.id === copyId)?.name).toBe('renamed');
    await store.deleteRun(run.id);
    expect((await store.listRuns()).runs.some((r) => r.id === run.id)).toBe(false);
    expect((await store.loadRun(copyId)).checkpoint?.counters.iteration).toBe(1);
    disposeTrainer(t);
  });
});
