import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkModelSizes,
  checkpointFromFiles,
  checkpointToFiles,
  CheckpointFormatError,
  CHECKPOINT_FILES_FORMAT,
  fnv1a32,
  modelSizesFrom,
  RUN_FORMAT,
  runFromFiles,
  runToFiles,
  type FileMap,
  type RunFiles,
} from './checkpoint-files';
import { tarPack, tarUnpack } from './tar';
import { ArcherTrainer, type Metrics } from '../core/algos/archer/trainer';
import { restoreTrainer, snapshotTrainer, type RunCheckpoint } from '../core/algos/archer/snapshot';
import { applyOverrides, defaultConfig, setValue } from '../core/config';
import { actorConfigFrom, criticConfigFrom } from '../core/agents/models';
import type { ReplayEpisode } from '../core/rollout/replay-episodes';
import { disposeTrainer, tinyConfig, tinyTrainer } from '../core/algos/archer/test-support';

const tiny = tinyConfig();

const makeTrainer = (config = tiny) => tinyTrainer(config);


const withoutPerf = (m: Metrics): Metrics => Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/')));
const enc = new TextEncoder();
const dec = new TextDecoder();

let trainer: ArcherTrainer;
let ck: RunCheckpoint;
let metrics: Metrics[];
let episodes: ReplayEpisode[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  trainer = makeTrainer();
  metrics = [];
  episodes = [];
  for (let i = 0; i < 2; i++) {
    const r = await trainer.step();
    metrics.push(r.metrics);
    episodes.push(...(await trainer.annotate(r.episodes)));
  }
  ck = await snapshotTrainer(trainer);
});

afterAll(() => disposeTrainer(trainer));

/** The error a function throws (failing the test when it throws none). */
function errorOf(f: () => unknown): CheckpointFormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointFormatError);
    return e as CheckpointFormatError;
  }
  throw new Error('expected an error');
}

function flip(bytes: Uint8Array, at: number, mask: number): void {
  bytes[at] = bytes[at]! ^ mask;
}

function copy(files: FileMap): FileMap {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.slice()]));
}

describe('checkpointToFiles / checkpointFromFiles', () => {
  it('writes the folder layout, with a files table of sizes and checksums in trainer.json', () => {
    const files = checkpointToFiles(ck);
    expect(Object.keys(files)).toEqual([
      'checkpoint/actor/model.json', 'checkpoint/actor/weights.bin',
      'checkpoint/critic/model.json', 'checkpoint/critic/weights.bin',
      'checkpoint/target/model.json', 'checkpoint/target/weights.bin',
      'checkpoint/optimizer-actor.json', 'checkpoint/optimizer-actor.bin',
      'checkpoint/optimizer-critic.json', 'checkpoint/optimizer-critic.bin',
      'checkpoint/optimizer-baseline.json', 'checkpoint/optimizer-baseline.bin',
      'checkpoint/replay.json', 'checkpoint/trainer.json',
    ]);
    const trainerJson = JSON.parse(dec.decode(files['checkpoint/trainer.json'])) as { format: string; files: Record<string, { bytes: number; fnv1a32: string }>; optimizers: string[] };
    expect(trainerJson.format).toBe(CHECKPOINT_FILES_FORMAT);
    expect(trainerJson.optimizers).toEqual(['actor', 'critic', 'baseline']);
    expect(Object.keys(trainerJson.files)).toHaveLength(13);
    const critic = files['checkpoint/critic/weights.bin']!;
    expect(trainerJson.files['critic/weights.bin']).toEqual({ bytes: critic.length, fnv1a32: fnv1a32(critic) });
    expect(JSON.parse(dec.decode(files['checkpoint/target/model.json'])).kind).toBe('critic');
    // Optimiser states keep Adam's running beta powers.
    expect(Object.keys(ck.optimizers.actor!)).toContain('~accBeta1');
    // Another prefix (the command line writes checkpoint.new/ with no prefix).
    expect(Object.keys(checkpointToFiles(ck, ''))).toContain('trainer.json');
    expect(Object.keys(checkpointToFiles(ck, 'x/ck'))).toContain('x/ck/actor/weights.bin');
  });

  it('round-trips bit for bit, and a trainer restored from the files continues exactly', async () => {
    const back = checkpointFromFiles(checkpointToFiles(ck));
    expect(back.counters).toEqual(ck.counters);
    expect(back.config).toEqual(ck.config);
    expect(back.replay).toEqual(ck.replay);
    expect(back.tokenizer).toEqual(ck.tokenizer);
    expect(back.actor.config).toEqual(ck.actor.config);
    for (const part of ['actor', 'critic', 'target'] as const) {
      for (const [k, w] of Object.entries(ck[part].weights)) {
        expect(back[part].weights[k]!.shape, `${part} ${k}`).toEqual(w.shape);
        expect(Array.from(back[part].weights[k]!.data), `${part} ${k}`).toEqual(Array.from(w.data));
      }
    }
    for (const [name, w] of Object.entries(ck.optimizers)) {
      expect(Object.keys(back.optimizers[name]!).sort()).toEqual(Object.keys(w).sort());
      for (const [k, v] of Object.entries(w)) expect(Array.from(back.optimizers[name]![k]!.data), `${name} ${k}`).toEqual(Array.from(v.data));
    }

    const b = makeTrainer();
    await restoreTrainer(b, back);
    const a = makeTrainer();
    await restoreTrainer(a, ck);
    const ra = await a.step();
    const rb = await b.step();
    expect(rb.iteration).toBe(3);
    expect(withoutPerf(rb.metrics)).toEqual(withoutPerf(ra.metrics));
    disposeTrainer(a);
    disposeTrainer(b);
  });

  it('names the file of a corrupt byte, a truncated file, a missing file', () => {
    const files = checkpointToFiles(ck);
    const corrupt = copy(files);
    flip(corrupt['checkpoint/critic/weights.bin']!, 100, 0xff);
    expect(errorOf(() => checkpointFromFiles(corrupt)).message).toMatch(
      /^checkpoint\/critic\/weights\.bin: checksum [0-9a-f]{8}, trainer\.json says [0-9a-f]{8} \(a corrupt checkpoint\)$/,
    );

    const truncated = copy(files);
    const full = files['checkpoint/critic/weights.bin']!.length;
    truncated['checkpoint/critic/weights.bin'] = files['checkpoint/critic/weights.bin']!.slice(0, full / 4);
    expect(errorOf(() => checkpointFromFiles(truncated)).message).toBe(
      `checkpoint/critic/weights.bin: ${full / 4} bytes, trainer.json says ${full} (a truncated or corrupt checkpoint)`,
    );

    const missing = copy(files);
    delete missing['checkpoint/optimizer-critic.bin'];
    expect(errorOf(() => checkpointFromFiles(missing)).message).toBe('checkpoint/optimizer-critic.bin is missing (an incomplete checkpoint)');

    const noReplay = copy(files);
    noReplay['checkpoint/replay.json'] = enc.encode('{"format":"archer-lab/replay@1"');
    expect(errorOf(() => checkpointFromFiles(noReplay)).message).toMatch(/^checkpoint\/replay\.json: /);
  });

  it('says "not an archer-lab checkpoint" for other files', () => {
    expect(errorOf(() => checkpointFromFiles({ 'notes.txt': enc.encode('hello') })).message).toBe('not an archer-lab checkpoint: no checkpoint/trainer.json');
    const random = new Uint8Array(300);
    for (let i = 0; i < random.length; i++) random[i] = (i * 131 + 7) & 0xff;
    expect(errorOf(() => checkpointFromFiles({ 'checkpoint/trainer.json': random })).message).toMatch(/^not an archer-lab checkpoint: checkpoint\/trainer\.json is not JSON/);
    expect(errorOf(() => checkpointFromFiles({ 'checkpoint/trainer.json': enc.encode('{"format":"someone-else@3"}') })).message).toMatch(
      /^not an archer-lab checkpoint: checkpoint\/trainer\.json has format "someone-else@3", expected "archer-lab\/checkpoint@1"/,
    );
    expect(errorOf(() => checkpointFromFiles({ 'checkpoint/trainer.json': enc.encode('{"hello":1}') })).message).toMatch(/^not an archer-lab checkpoint/);
    const files = checkpointToFiles(ck);
    delete files['checkpoint/trainer.json'];
    expect(errorOf(() => checkpointFromFiles(files)).message).toMatch(/^not an archer-lab checkpoint: no checkpoint\/trainer\.json \(.*incomplete checkpoint\)/);
  });

  it('still reads a trainer.json without format and files table (older command-line runs)', () => {
    const files = checkpointToFiles(ck);
    const t = JSON.parse(dec.decode(files['checkpoint/trainer.json'])) as Record<string, unknown>;
    delete t.format;
    delete t.files;
    files['checkpoint/trainer.json'] = enc.encode(JSON.stringify(t));
    const back = checkpointFromFiles(files);
    expect(back.counters).toEqual(ck.counters);
    // Without checksums, a truncated weights file is still caught by its manifest.
    const full = files['checkpoint/actor/weights.bin']!.length;
    files['checkpoint/actor/weights.bin'] = files['checkpoint/actor/weights.bin']!.slice(0, full - 8);
    expect(errorOf(() => checkpointFromFiles(files)).message).toBe(
      `checkpoint/actor/weights.bin: ${full - 8} bytes, checkpoint/actor/model.json describes ${full} (a truncated or corrupt checkpoint)`,
    );
  });

  it('checks the model.json files, counters and config', () => {
    const files = checkpointToFiles(ck);
    const edit = (path: string, f: (o: any) => void): FileMap => {
      const c = copy(files);
      const o = JSON.parse(dec.decode(c[path]));
      f(o);
      c[path] = enc.encode(JSON.stringify(o));
      // keep the table right so the content checks are reached
      const t = JSON.parse(dec.decode(c['checkpoint/trainer.json']));
      const rel = path.slice('checkpoint/'.length);
      if (rel !== 'trainer.json') t.files[rel] = { bytes: c[path]!.length, fnv1a32: fnv1a32(c[path]!) };
      c['checkpoint/trainer.json'] = enc.encode(JSON.stringify(t));
      return c;
    };
    expect(errorOf(() => checkpointFromFiles(edit('checkpoint/critic/model.json', (o) => (o.kind = 'actor')))).message).toBe(
      'checkpoint/critic/model.json: this is a actor model, expected critic',
    );
    expect(errorOf(() => checkpointFromFiles(edit('checkpoint/actor/model.json', (o) => (o.format = 'x')))).message).toMatch(/^checkpoint\/actor\/model\.json: format is "x"/);
    expect(errorOf(() => checkpointFromFiles(edit('checkpoint/trainer.json', (o) => (o.counters.iteration = -1)))).message).toMatch(
      /^checkpoint\/trainer\.json: counters\.iteration must be an integer >= 0, got -1/,
    );
    expect(errorOf(() => checkpointFromFiles(edit('checkpoint/trainer.json', (o) => (o.counters.rng = [1, 2]))))).toBeInstanceOf(CheckpointFormatError);
    expect(errorOf(() => checkpointFromFiles(edit('checkpoint/trainer.json', (o) => (o.config.algorithm.gamma = 7)))).message).toMatch(
      /^checkpoint\/trainer\.json: config: .*algorithm\.gamma/,
    );
    expect(errorOf(() => checkpointFromFiles(edit('checkpoint/target/model.json', (o) => o.weightsManifest[0].weights.reverse()))).message).toMatch(
      /^checkpoint\/target\/model\.json: its weights \(names and shapes\) differ/,
    );
  });
});

describe('checkModelSizes', () => {
  it('maps the config as actorConfigFrom / criticConfigFrom do', () => {
    const c = applyOverrides(defaultConfig(), ['model.d_model=32', 'critic.d_model=48', 'critic.n_layers=3', 'model.n_layers=2']);
    const sizes = modelSizesFrom(c);
    expect(sizes.actor).toEqual(actorConfigFrom(c));
    // How the critic reads its inputs, not a size (a checkpoint's weight shapes are checked on their own).
    const { jointEncoding, turnEncoding, ...criticSizes } = criticConfigFrom(c);
    expect(jointEncoding).toBe(false);
    expect(turnEncoding).toBe(false);
    expect(sizes.critic).toEqual(criticSizes);
  });

  it('accepts the run\'s own sizes and names a different one', () => {
    expect(() => checkModelSizes(ck, tiny)).not.toThrow();
    const big = setValue(tiny, 'model.d_model', 64);
    expect(errorOf(() => checkModelSizes(ck, big)).message).toBe("checkpoint from another model size: actor dModel 16, this run's 64");
    const deeper = setValue(setValue(tiny, 'critic.n_layers', 3), 'model.max_len', 128);
    expect(errorOf(() => checkModelSizes(ck, deeper)).message).toBe(
      "checkpoint from another model size: actor maxLen 64, this run's 128; critic nLayers 1, this run's 3; critic maxLen 64, this run's 128",
    );
  });
});

describe('runToFiles / runFromFiles', () => {
  const run = (): RunFiles => ({
    run: { format: RUN_FORMAT, name: 'tiny', createdAt: '2024-05-01T10:00:00.000Z', updatedAt: '2024-05-01T10:05:00.000Z', config: tiny, status: { iteration: 2, trajectories: 4 } },
    metrics,
    episodes,
    checkpoint: ck,
  });

  it('writes run.json, metrics.jsonl, episodes.jsonl and checkpoint/, and reads them back (also through tar)', () => {
    const files = runToFiles(run());
    expect(Object.keys(files).slice(0, 4)).toEqual(['run.json', 'metrics.jsonl', 'episodes.jsonl', 'checkpoint/actor/model.json']);
    expect(dec.decode(files['episodes.jsonl']).trim().split('\n')).toHaveLength(4);
    const back = runFromFiles(tarUnpack(tarPack(files)));
    expect(back.run).toEqual(run().run);
    expect(back.metrics).toEqual(metrics);
    expect(back.episodes).toEqual(episodes);
    expect(back.episodes[0]!.turns[0]!.q).toBeTypeOf('number');
    expect(back.checkpoint?.counters).toEqual(ck.counters);
    // Canonical: writing what was read gives the same bytes.
    const again = tarPack(runToFiles(back));
    const first = tarPack(files);
    expect(again.length).toBe(first.length);
    expect(fnv1a32(again)).toBe(fnv1a32(first));
  });

  it('a run without a checkpoint has only the three files; NaN metrics come back as NaN', () => {
    const r = { ...run(), checkpoint: undefined, metrics: [{ iteration: 0, 'critic/q1/std': NaN }] };
    const files = runToFiles(r);
    expect(Object.keys(files)).toEqual(['run.json', 'metrics.jsonl', 'episodes.jsonl']);
    const back = runFromFiles(files);
    expect(back.checkpoint).toBeUndefined();
    expect(back.metrics[0]!['critic/q1/std']).toBeNaN();
  });

  it('keeps A*PO episodes (valuesFrom none, NaN values) and WebShop page frames; refuses a malformed shop', () => {
    const nan = { ...episodes[0]!, valuesFrom: 'none' as const, turns: episodes[0]!.turns.map((t) => ({ ...t, q: NaN, v: NaN, advantage: NaN })) };
    const shop = { ...nan, shop: { instruction: 'i need socks', goalIndex: 3, frames: [{ view: { page: 'search' as const, instruction: 'i need socks' }, valid: true, reward: 0 }], reward: 0, success: false } };
    const back = runFromFiles(runToFiles({ ...run(), checkpoint: undefined, episodes: [nan, shop] }));
    expect(back.episodes[0]!.valuesFrom).toBe('none');
    expect(back.episodes[0]!.turns[0]!.q).toBeNaN();
    expect(back.episodes[1]!.shop).toEqual(shop.shop);
    const bad = `${JSON.stringify({ ...JSON.parse(dec.decode(runToFiles({ ...run(), checkpoint: undefined, episodes: [shop] })['episodes.jsonl']).trim()), shop: { frames: {} } })}\n`;
    expect(errorOf(() => runFromFiles({ ...runToFiles({ ...run(), checkpoint: undefined }), 'episodes.jsonl': enc.encode(bad) })).message).toMatch(/^episodes\.jsonl line 1: shop must be an object with a list of frames/);
  });

  it('names the file and line of what is wrong', () => {
    const files = runToFiles(run());
    expect(errorOf(() => runFromFiles({ 'hello.txt': enc.encode('hi') })).message).toBe('not an archer-lab run: no run.json');
    expect(errorOf(() => runFromFiles({ ...files, 'run.json': enc.encode('{"format":"archer-lab/model@1"}') })).message).toMatch(
      /^not an archer-lab run: run\.json has format "archer-lab\/model@1"/,
    );
    const lines = dec.decode(files['episodes.jsonl']).split('\n');
    lines[2] = lines[2]!.slice(0, 40);
    expect(errorOf(() => runFromFiles({ ...files, 'episodes.jsonl': enc.encode(lines.join('\n')) })).message).toMatch(/^episodes\.jsonl line 3: not valid JSON/);
    const compact = '{"iteration":1,"episode":0,"seed":3,"target":"cat","turns":[["Is it alive?","Yes."]],"return":-1,"success":true}\n';
    expect(errorOf(() => runFromFiles({ ...files, 'episodes.jsonl': enc.encode(compact) })).message).toMatch(/^episodes\.jsonl line 1: index must be an integer/);
    expect(errorOf(() => runFromFiles({ ...files, 'metrics.jsonl': enc.encode('{"iteration":0}\n{"iteration":1,"x":"y"}\n') })).message).toBe(
      'metrics.jsonl line 2: "x" must be a number, got "y"',
    );
    const { 'metrics.jsonl': _dropped, ...noMetrics } = files;
    expect(errorOf(() => runFromFiles(noMetrics)).message).toBe('metrics.jsonl is missing (an incomplete run)');
    // The checkpoint inside a run is validated too, and must match run.json's model sizes.
    const corrupt = copy(files);
    flip(corrupt['checkpoint/actor/weights.bin']!, 0, 1);
    expect(errorOf(() => runFromFiles(corrupt)).message).toMatch(/^checkpoint\/actor\/weights\.bin: checksum/);
    const other = runToFiles({ ...run(), run: { ...run().run, config: setValue(tiny, 'critic.d_model', 32) } });
    expect(errorOf(() => runFromFiles(other)).message).toBe("checkpoint from another model size: critic dModel 16, this run's 32");
  });
});
