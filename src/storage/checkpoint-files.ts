/**
 * One file format for a training run, shared by the browser (IndexedDB, and a single .tar to
 * download / upload) and the command line (a folder). Pure: no file system, no DOM; runs in a
 * worker and in Node. A run is a map of relative POSIX paths to bytes:
 *
 *   run.json                        { format: 'archer-lab/run@1', name, createdAt, updatedAt, config, status? }
 *   metrics.jsonl                   one metrics row (Record<string, number>) per line
 *   episodes.jsonl                  one ReplayEpisode per line
 *   checkpoint/actor/model.json     'archer-lab/model@1', kind actor  + checkpoint/actor/weights.bin
 *   checkpoint/critic/model.json    'archer-lab/model@1', kind critic + checkpoint/critic/weights.bin
 *   checkpoint/target/model.json    'archer-lab/model@1', kind critic + checkpoint/target/weights.bin
 *   checkpoint/optimizer-<name>.json + .bin   Adam state per optimiser (weight specs + float32 data)
 *   checkpoint/replay.json          ReplaySnapshot ('archer-lab/replay@1')
 *   checkpoint/trainer.json         { format: 'archer-lab/checkpoint@1', config, counters, optimizers,
 *                                     files: { 'actor/model.json': { bytes, fnv1a32 }, ... } }
 *
 * The checkpoint/ part is optional (a run that has not saved one yet). trainer.json is written last
 * and lists the size and FNV-1a checksum of every other checkpoint file (paths relative to
 * checkpoint/), so a reader detects truncated or corrupt parts. JSON cannot hold NaN: a metric or
 * critic value written as null reads back as NaN.
 */
import { decodeWeights, encodeWeights, makeModelJson, parseModelJson, type ModelJson, type WeightSpec } from '../core/models/checkpoint';
import type { Weights } from '../core/models/transformer';
import type { RunCheckpoint, TrainerCounters } from '../core/algos/archer/snapshot';
import { ReplayBuffer, type ReplaySnapshot } from '../core/replay/replay-buffer';
import type { ReplayEpisode, ReplayTurn } from '../core/rollout/replay-episodes';
import type { TokenizerJSON } from '../core/text/tokenizer';
import type { RngState } from '../core/util/rng';
import type { Config } from '../core/config/schema';
import { validateConfig } from '../core/config/validate';
import { fnv1a32 } from './idb/checksum';

/** Relative POSIX paths to bytes: a run or checkpoint as files, independent of where they are kept. */
export type FileMap = Record<string, Uint8Array>;

export const CHECKPOINT_FILES_FORMAT = 'archer-lab/checkpoint@1';
export const RUN_FORMAT = 'archer-lab/run@1';

/** A checkpoint or run whose files are missing, truncated, corrupt or of another format. */
export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export { fnv1a32 };

export interface FileEntry {
  bytes: number;
  fnv1a32: string;
}

/** checkpoint/trainer.json. `format` and `files` are absent in checkpoints written before the format had a name. */
export interface TrainerJson {
  format?: typeof CHECKPOINT_FILES_FORMAT;
  config: unknown;
  counters: TrainerCounters;
  optimizers: string[];
  files?: Record<string, FileEntry>;
}

function normalizePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

function fail(message: string): never {
  throw new CheckpointFormatError(message);
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/^checkpoint: /, '');

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function text(bytes: Uint8Array, path: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    return fail(`${path}: not UTF-8 text (a corrupt file)`);
  }
}

function json(bytes: Uint8Array, path: string): unknown {
  const t = text(bytes, path);
  try {
    return JSON.parse(t) as unknown;
  } catch (e) {
    return fail(`${path}: not valid JSON (${messageOf(e)}; a truncated or corrupt file)`);
  }
}

const OPTIMIZER_NAME = /^[A-Za-z0-9_-]+$/;

function modelFiles(dir: string, kind: string, config: object, tokenizer: TokenizerJSON, weights: Weights): [string, Uint8Array][] {
  const { specs, data } = encodeWeights(weights);
  return [
    [`${dir}/model.json`, encoder.encode(`${JSON.stringify(makeModelJson(kind, config, tokenizer, specs), null, 1)}\n`)],
    [`${dir}/weights.bin`, data],
  ];
}

/**
 * A checkpoint as files under `prefix` (default 'checkpoint/'), trainer.json last with the size and
 * checksum of every other file.
 */
export function checkpointToFiles(ck: RunCheckpoint, prefix = 'checkpoint/'): FileMap {
  const p = normalizePrefix(prefix);
  const body: [string, Uint8Array][] = [
    ...modelFiles('actor', 'actor', ck.actor.config, ck.tokenizer, ck.actor.weights),
    ...modelFiles('critic', 'critic', ck.critic.config, ck.tokenizer, ck.critic.weights),
    ...modelFiles('target', 'critic', ck.critic.config, ck.tokenizer, ck.target.weights),
  ];
  const optimizers = Object.keys(ck.optimizers);
  for (const name of optimizers) {
    if (!OPTIMIZER_NAME.test(name)) fail(`checkpointToFiles: optimizer name "${name}" is not usable as a file name (letters, digits, _ and - only)`);
    const { specs, data } = encodeWeights(ck.optimizers[name]!);
    body.push([`optimizer-${name}.json`, encoder.encode(JSON.stringify(specs))]);
    body.push([`optimizer-${name}.bin`, data]);
  }
  body.push(['replay.json', encoder.encode(JSON.stringify(ck.replay))]);
  const files: Record<string, FileEntry> = {};
  for (const [path, data] of body) files[path] = { bytes: data.length, fnv1a32: fnv1a32(data) };
  const trainer: TrainerJson = { format: CHECKPOINT_FILES_FORMAT, config: ck.config, counters: ck.counters, optimizers, files };
  const out: FileMap = {};
  for (const [path, data] of body) out[p + path] = data;
  out[`${p}trainer.json`] = encoder.encode(`${JSON.stringify(trainer, null, 1)}\n`);
  return out;
}

function checkInt(value: unknown, where: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(`${where} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return value as number;
}

function checkRng(value: unknown, where: string): RngState {
  if (!Array.isArray(value) || value.length !== 4 || value.some((w) => typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    fail(`${where} must be four unsigned 32-bit integers, got ${JSON.stringify(value)}`);
  }
  return value as unknown as RngState;
}

function checkCounters(value: unknown, where: string): TrainerCounters {
  if (!isObject(value)) return fail(`${where}: counters must be an object`);
  const counters: TrainerCounters = {
    iteration: checkInt(value.iteration, `${where}: counters.iteration`),
    trajectories: checkInt(value.trajectories, `${where}: counters.trajectories`),
    rng: checkRng(value.rng, `${where}: counters.rng`),
  };
  if (value.evalRng !== undefined) counters.evalRng = checkRng(value.evalRng, `${where}: counters.evalRng`);
  return counters;
}

function checkConfig(value: unknown, where: string): Config {
  try {
    return validateConfig(value);
  } catch (e) {
    return fail(`${where}: config: ${messageOf(e)}`);
  }
}

function checkSpecs(value: unknown, where: string): WeightSpec[] {
  if (!Array.isArray(value)) return fail(`${where}: the weight list must be an array`);
  const seen = new Set<string>();
  for (const [i, s] of value.entries()) {
    if (!isObject(s) || typeof s.name !== 'string') fail(`${where}: weight ${i} has no name`);
    const spec = s as Record<string, unknown>;
    const name = spec.name as string;
    if (seen.has(name)) fail(`${where}: weight "${name}" appears twice`);
    seen.add(name);
    if (!Array.isArray(spec.shape) || spec.shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
      fail(`${where}: weight "${name}" has shape ${JSON.stringify(spec.shape)}, expected a list of non-negative integers`);
    }
    if (spec.dtype !== 'float32') fail(`${where}: weight "${name}" has dtype ${JSON.stringify(spec.dtype)}, only float32 is supported`);
  }
  return value as WeightSpec[];
}

function decode(specs: WeightSpec[], data: Uint8Array, specsPath: string, dataPath: string): Weights {
  const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (data.byteLength !== expected) fail(`${dataPath}: ${data.byteLength} bytes, ${specsPath} describes ${expected} (a truncated or corrupt checkpoint)`);
  try {
    return decodeWeights(specs, data);
  } catch (e) {
    return fail(`${dataPath}: ${messageOf(e)}`);
  }
}

function sizesOf(config: unknown): Record<string, unknown> {
  return isObject(config) ? config : {};
}

const MODEL_SIZE_KEYS = ['dModel', 'nLayers', 'nHeads', 'maxLen'] as const;

function readModel(files: FileMap, p: string, dir: string, kind: string): { json: ModelJson; weights: Weights } {
  const path = `${p}${dir}/model.json`;
  let model: ModelJson;
  try {
    model = parseModelJson(json(files[path]!, path), kind);
  } catch (e) {
    if (e instanceof CheckpointFormatError) throw e;
    return fail(`${path}: ${messageOf(e)}`);
  }
  const group = model.weightsManifest[0]!;
  if (group.paths[0] !== 'weights.bin') fail(`${path}: the weights manifest points at "${String(group.paths[0])}", expected "weights.bin"`);
  const config = sizesOf(model.config);
  for (const key of MODEL_SIZE_KEYS) checkInt(config[key], `${path}: config.${key}`, 1);
  const specs = checkSpecs(group.weights, path);
  return { json: model, weights: decode(specs, files[`${p}${dir}/weights.bin`]!, path, `${p}${dir}/weights.bin`) };
}

/**
 * Reads and fully validates a checkpoint from files under `prefix`: every file present, sizes and
 * checksums as trainer.json lists them, model.json formats and kinds, weight sizes, the replay
 * snapshot, counters and config. Throws CheckpointFormatError naming the file. A trainer.json
 * without `format` / `files` (command-line runs before the format was named) is accepted without
 * the checksum checks.
 */
export function checkpointFromFiles(files: FileMap, prefix = 'checkpoint/'): RunCheckpoint {
  const p = normalizePrefix(prefix);
  const trainerPath = `${p}trainer.json`;
  const trainerBytes = files[trainerPath];
  if (!trainerBytes) {
    const others = Object.keys(files).some((k) => k.startsWith(p));
    fail(`not an archer-lab checkpoint: no ${trainerPath}${others ? ` (the other ${p} files are there: an incomplete checkpoint)` : ''}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(trainerBytes)) as unknown;
  } catch (e) {
    fail(`not an archer-lab checkpoint: ${trainerPath} is not JSON (${messageOf(e)})`);
  }
  if (!isObject(raw)) return fail(`not an archer-lab checkpoint: ${trainerPath} is not a JSON object`);
  if (raw.format !== undefined && raw.format !== CHECKPOINT_FILES_FORMAT) {
    fail(`not an archer-lab checkpoint: ${trainerPath} has format ${JSON.stringify(raw.format)}, expected "${CHECKPOINT_FILES_FORMAT}"`);
  }
  if (raw.format === undefined && (!isObject(raw.counters) || !Array.isArray(raw.optimizers))) {
    fail(`not an archer-lab checkpoint: ${trainerPath} has no format, counters or optimizer list`);
  }
  if (!Array.isArray(raw.optimizers) || raw.optimizers.some((n) => typeof n !== 'string' || !OPTIMIZER_NAME.test(n))) {
    fail(`${trainerPath}: optimizers must be a list of names (letters, digits, _ and -), got ${JSON.stringify(raw.optimizers)}`);
  }
  const optimizers = raw.optimizers as string[];
  if (new Set(optimizers).size !== optimizers.length) fail(`${trainerPath}: an optimizer is listed twice`);

  const expected = ['actor', 'critic', 'target'].flatMap((d) => [`${d}/model.json`, `${d}/weights.bin`]);
  for (const name of optimizers) expected.push(`optimizer-${name}.json`, `optimizer-${name}.bin`);
  expected.push('replay.json');
  for (const rel of expected) if (!files[p + rel]) fail(`${p}${rel} is missing (an incomplete checkpoint)`);

  if (raw.format !== undefined) {
    if (!isObject(raw.files)) return fail(`${trainerPath}: no files table (size and checksum of each file)`);
    const table = raw.files;
    for (const rel of expected) if (!isObject(table[rel])) fail(`${p}${rel} is not listed in ${trainerPath}'s files table (a corrupt checkpoint)`);
    for (const [rel, entry] of Object.entries(table)) {
      const path = p + rel;
      const data = files[path];
      if (!data) fail(`${path} is missing (an incomplete checkpoint)`);
      if (!isObject(entry) || typeof entry.bytes !== 'number' || typeof entry.fnv1a32 !== 'string') fail(`${trainerPath}: files["${rel}"] must be { bytes, fnv1a32 }`);
      const e = entry as unknown as FileEntry;
      if (data!.length !== e.bytes) fail(`${path}: ${data!.length} bytes, trainer.json says ${e.bytes} (a truncated or corrupt checkpoint)`);
      const sum = fnv1a32(data!);
      if (sum !== e.fnv1a32.toLowerCase()) fail(`${path}: checksum ${sum}, trainer.json says ${e.fnv1a32} (a corrupt checkpoint)`);
    }
  }

  const counters = checkCounters(raw.counters, trainerPath);
  checkConfig(raw.config, trainerPath);

  const actor = readModel(files, p, 'actor', 'actor');
  const critic = readModel(files, p, 'critic', 'critic');
  const target = readModel(files, p, 'target', 'critic');
  const vocab = JSON.stringify(actor.json.tokenizer);
  for (const [dir, m] of [['critic', critic], ['target', target]] as const) {
    if (JSON.stringify(m.json.tokenizer) !== vocab) fail(`${p}${dir}/model.json: its tokenizer differs from ${p}actor/model.json's`);
  }
  if (JSON.stringify(target.json.config) !== JSON.stringify(critic.json.config)) fail(`${p}target/model.json: its sizes differ from ${p}critic/model.json's`);
  const shapes = (m: ModelJson) => JSON.stringify(m.weightsManifest[0]!.weights.map((s) => [s.name, s.shape]));
  if (shapes(target.json) !== shapes(critic.json)) fail(`${p}target/model.json: its weights (names and shapes) differ from ${p}critic/model.json's`);

  const optimizerWeights: Record<string, Weights> = {};
  for (const name of optimizers) {
    const specsPath = `${p}optimizer-${name}.json`;
    const specs = checkSpecs(json(files[specsPath]!, specsPath), specsPath);
    optimizerWeights[name] = decode(specs, files[`${p}optimizer-${name}.bin`]!, specsPath, `${p}optimizer-${name}.bin`);
  }

  const replayPath = `${p}replay.json`;
  const replay = json(files[replayPath]!, replayPath);
  try {
    ReplayBuffer.fromJSON(replay);
  } catch (e) {
    fail(`${replayPath}: ${messageOf(e).replace(/^ReplayBuffer\.fromJSON: /, '')}`);
  }

  return {
    config: raw.config,
    counters,
    tokenizer: actor.json.tokenizer,
    actor: { config: actor.json.config, weights: actor.weights },
    critic: { config: critic.json.config, weights: critic.weights },
    target: { weights: target.weights },
    optimizers: optimizerWeights,
    replay: replay as ReplaySnapshot,
  };
}

/** The model sizes a config builds (as src/core/agents/models.ts's actorConfigFrom / criticConfigFrom map them). */
export function modelSizesFrom(config: Config): { actor: Record<(typeof MODEL_SIZE_KEYS)[number], number>; critic: Record<(typeof MODEL_SIZE_KEYS)[number], number> } {
  return {
    actor: { dModel: config.model.d_model, nLayers: config.model.n_layers, nHeads: config.model.n_heads, maxLen: config.model.max_len },
    critic: { dModel: config.critic.d_model, nLayers: config.critic.n_layers, nHeads: config.model.n_heads, maxLen: config.model.max_len },
  };
}

/** Throws CheckpointFormatError when the checkpoint's actor or critic sizes differ from what `config` builds. */
export function checkModelSizes(ck: RunCheckpoint, config: Config): void {
  const want = modelSizesFrom(config);
  const problems: string[] = [];
  for (const model of ['actor', 'critic'] as const) {
    const have = sizesOf(ck[model].config);
    for (const key of MODEL_SIZE_KEYS) {
      if (have[key] !== want[model][key]) problems.push(`${model} ${key} ${String(have[key])}, this run's ${want[model][key]}`);
    }
  }
  if (problems.length > 0) fail(`checkpoint from another model size: ${problems.join('; ')}`);
}

// ---- the run bundle ----

export interface RunInfoStatus {
  iteration: number;
  trajectories: number;
  [key: string]: unknown;
}

/** run.json. */
export interface RunInfo {
  format: typeof RUN_FORMAT;
  name: string;
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
  config: Config;
  status?: RunInfoStatus;
}

export interface RunFiles {
  run: RunInfo;
  metrics: Record<string, number>[];
  episodes: ReplayEpisode[];
  checkpoint?: RunCheckpoint;
}

export function encodeRunInfo(info: RunInfo): string {
  return `${JSON.stringify(info, null, 1)}\n`;
}

/** Validates a parsed run.json (config checked against the schema, defaults filled). */
export function parseRunInfo(value: unknown, where = 'run.json'): RunInfo {
  if (!isObject(value)) return fail(`not an archer-lab run: ${where} is not a JSON object`);
  if (value.format !== RUN_FORMAT) fail(`not an archer-lab run: ${where} has format ${JSON.stringify(value.format)}, expected "${RUN_FORMAT}"`);
  if (typeof value.name !== 'string') fail(`${where}: name must be a string`);
  for (const key of ['createdAt', 'updatedAt'] as const) {
    const t = value[key];
    if (typeof t !== 'string' || Number.isNaN(Date.parse(t))) fail(`${where}: ${key} must be an ISO date, got ${JSON.stringify(t)}`);
  }
  const info: RunInfo = {
    format: RUN_FORMAT,
    name: value.name as string,
    createdAt: value.createdAt as string,
    updatedAt: value.updatedAt as string,
    config: checkConfig(value.config, where),
  };
  if (value.status !== undefined) {
    if (!isObject(value.status)) fail(`${where}: status must be an object`);
    const s = value.status as Record<string, unknown>;
    checkInt(s.iteration, `${where}: status.iteration`);
    checkInt(s.trajectories, `${where}: status.trajectories`);
    info.status = s as RunInfoStatus;
  }
  return info;
}

/** Rows as JSON lines (NaN and infinities become null, as JSON writes them). */
export function toJsonl(rows: readonly unknown[]): string {
  return rows.length === 0 ? '' : `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

function parseJsonl<T>(bytes: Uint8Array, path: string, check: (row: unknown, where: string) => T): T[] {
  const lines = text(bytes, path).split('\n');
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${path} line ${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line) as unknown;
    } catch (e) {
      fail(`${where}: not valid JSON (${messageOf(e)})`);
    }
    out.push(check(row, where));
  });
  return out;
}

/** A number, or null standing for a value JSON could not write (read back as NaN). */
function num(value: unknown, where: string): number {
  if (value === null) return NaN;
  if (typeof value !== 'number') fail(`${where} must be a number, got ${JSON.stringify(value)}`);
  return value as number;
}

function checkMetricsRow(row: unknown, where: string): Record<string, number> {
  if (!isObject(row)) return fail(`${where}: a metrics row must be a JSON object`);
  checkInt(row.iteration, `${where}: iteration`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(row)) out[k] = num(v, `${where}: "${k}"`);
  return out;
}

const TURN_NUMBERS = ['reward', 'q1', 'q2', 'v1', 'v2', 'q', 'v', 'advantage'] as const;

function checkEpisode(row: unknown, where: string): ReplayEpisode {
  if (!isObject(row)) return fail(`${where}: an episode must be a JSON object`);
  const iteration = checkInt(row.iteration, `${where}: iteration`);
  const index = checkInt(row.index, `${where}: index`);
  if (typeof row.seed !== 'number' || !Number.isFinite(row.seed)) fail(`${where}: seed must be a number`);
  if (typeof row.target !== 'string') fail(`${where}: target must be a string`);
  for (const key of ['success', 'truncated'] as const) if (typeof row[key] !== 'boolean') fail(`${where}: ${key} must be true or false`);
  if (row.valuesFrom !== 'after-iteration' && row.valuesFrom !== 'none') fail(`${where}: valuesFrom must be "after-iteration" or "none", got ${JSON.stringify(row.valuesFrom)} (not a replay episode)`);
  if (row.shop !== undefined && !(isObject(row.shop) && Array.isArray(row.shop.frames))) fail(`${where}: shop must be an object with a list of frames`);
  if (!Array.isArray(row.turns)) return fail(`${where}: turns must be a list`);
  const turns = row.turns.map((t, k): ReplayTurn => {
    const w = `${where}: turns[${k}]`;
    if (!isObject(t)) return fail(`${w} must be an object`);
    if (typeof t.question !== 'string' || typeof t.answer !== 'string') fail(`${w}: question and answer must be strings`);
    const turn = { question: t.question as string, answer: t.answer as string } as ReplayTurn;
    for (const key of TURN_NUMBERS) turn[key] = num(t[key], `${w}.${key}`);
    return turn;
  });
  return {
    iteration,
    index,
    seed: row.seed as number,
    target: row.target as string,
    return: num(row.return, `${where}: return`),
    success: row.success as boolean,
    truncated: row.truncated as boolean,
    turns,
    valuesFrom: row.valuesFrom as ReplayEpisode['valuesFrom'],
    ...(row.shop !== undefined ? { shop: row.shop as unknown as ReplayEpisode['shop'] } : {}),
  };
}

/** metrics.jsonl's rows, validated (each an object of numbers with an integer `iteration`); errors name the line. */
export function parseMetricsJsonl(bytes: Uint8Array, path = 'metrics.jsonl'): Record<string, number>[] {
  return parseJsonl(bytes, path, checkMetricsRow);
}

/** episodes.jsonl's ReplayEpisodes, validated; errors name the line. */
export function parseEpisodesJsonl(bytes: Uint8Array, path = 'episodes.jsonl'): ReplayEpisode[] {
  return parseJsonl(bytes, path, checkEpisode);
}

/** A run as files: run.json, metrics.jsonl, episodes.jsonl and, when it has one, checkpoint/. */
export function runToFiles(r: RunFiles): FileMap {
  const files: FileMap = {
    'run.json': encoder.encode(encodeRunInfo(r.run)),
    'metrics.jsonl': encoder.encode(toJsonl(r.metrics)),
    'episodes.jsonl': encoder.encode(toJsonl(r.episodes)),
  };
  return r.checkpoint ? { ...files, ...checkpointToFiles(r.checkpoint, 'checkpoint/') } : files;
}

/**
 * Reads and validates a whole run: run.json's format and config, every line of metrics.jsonl and
 * episodes.jsonl, and the checkpoint (if any file under checkpoint/ exists) as checkpointFromFiles
 * does, its model sizes matching run.json's config. Files outside the format are ignored.
 */
export function runFromFiles(files: FileMap): RunFiles {
  const runBytes = files['run.json'];
  if (!runBytes) fail('not an archer-lab run: no run.json');
  let runValue: unknown;
  try {
    runValue = JSON.parse(decoder.decode(runBytes)) as unknown;
  } catch (e) {
    fail(`not an archer-lab run: run.json is not JSON (${messageOf(e)})`);
  }
  const run = parseRunInfo(runValue);
  for (const name of ['metrics.jsonl', 'episodes.jsonl']) if (!files[name]) fail(`${name} is missing (an incomplete run)`);
  const metrics = parseMetricsJsonl(files['metrics.jsonl']!);
  const episodes = parseEpisodesJsonl(files['episodes.jsonl']!);
  const out: RunFiles = { run, metrics, episodes };
  if (Object.keys(files).some((k) => k.startsWith('checkpoint/'))) {
    out.checkpoint = checkpointFromFiles(files, 'checkpoint/');
    checkModelSizes(out.checkpoint, run.config);
  }
  return out;
}
