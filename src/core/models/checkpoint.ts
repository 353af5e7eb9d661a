/**
 * The lab's model file format, shared by the browser and the command line: a `model.json` in the
 * spirit of tfjs' (a weights manifest naming each tensor's name, shape and dtype, pointing at a
 * binary file of little-endian float32 values) plus what the lab needs to rebuild the model: its
 * kind, sizes, the tokenizer, and free-form metadata. Pure: no file system, no DOM.
 */
import type { Weights } from './transformer';
import type { TokenizerJSON } from '../text/tokenizer';

export const CHECKPOINT_FORMAT = 'archer-lab/model@1';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export interface ModelJson {
  format: typeof CHECKPOINT_FORMAT;
  /** 'actor' or 'critic'. */
  kind: string;
  /** The model's size settings (ActorConfig / CriticConfig). */
  config: Record<string, unknown>;
  tokenizer: TokenizerJSON;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  meta: Record<string, unknown>;
}

/** Packs weights (sorted by name) into one little-endian float32 buffer and its manifest entries. */
export function encodeWeights(weights: Weights): { specs: WeightSpec[]; data: Uint8Array } {
  const names = Object.keys(weights).sort();
  const total = names.reduce((n, k) => n + (weights[k]?.data.length ?? 0), 0);
  const out = new Float32Array(total);
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const name of names) {
    const w = weights[name]!;
    out.set(w.data, offset);
    offset += w.data.length;
    specs.push({ name, shape: w.shape.slice(), dtype: 'float32' });
  }
  const bytes = new Uint8Array(out.buffer);
  if (!littleEndian()) throw new Error('checkpoint: big-endian hosts are not supported');
  return { specs, data: bytes };
}

/** The inverse of encodeWeights; checks sizes so a truncated or foreign file fails loudly. */
export function decodeWeights(specs: readonly WeightSpec[], data: Uint8Array): Weights {
  const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (data.byteLength !== expected) {
    throw new Error(`checkpoint: weights file has ${data.byteLength} bytes, the manifest describes ${expected}`);
  }
  const copy = new Uint8Array(data); // aligned copy
  const all = new Float32Array(copy.buffer, 0, expected / 4);
  const out: Weights = {};
  let offset = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32') throw new Error(`checkpoint: weight "${s.name}" has dtype ${String(s.dtype)}, only float32 is supported`);
    const n = s.shape.reduce((a, b) => a * b, 1);
    out[s.name] = { shape: s.shape.slice(), data: all.slice(offset, offset + n) };
    offset += n;
  }
  return out;
}

export function makeModelJson(kind: string, config: object, tokenizer: TokenizerJSON, specs: WeightSpec[], meta: Record<string, unknown> = {}, weightsPath = 'weights.bin'): ModelJson {
  return { format: CHECKPOINT_FORMAT, kind, config: { ...config }, tokenizer, weightsManifest: [{ paths: [weightsPath], weights: specs }], meta };
}

/** Validates a parsed model.json and names what is wrong. */
export function parseModelJson(value: unknown, expectedKind?: string): ModelJson {
  const v = value as Partial<ModelJson> | null;
  if (!v || typeof v !== 'object') throw new Error('checkpoint: model.json is not an object');
  if (v.format !== CHECKPOINT_FORMAT) throw new Error(`checkpoint: format is ${JSON.stringify(v.format)}, expected "${CHECKPOINT_FORMAT}" (not an archer-lab model file)`);
  if (expectedKind && v.kind !== expectedKind) throw new Error(`checkpoint: this is a ${String(v.kind)} model, expected ${expectedKind}`);
  if (!v.config || typeof v.config !== 'object') throw new Error('checkpoint: model.json has no config');
  if (!v.tokenizer || !Array.isArray(v.tokenizer.vocab)) throw new Error('checkpoint: model.json has no tokenizer vocabulary');
  const group = v.weightsManifest?.[0];
  if (!group || !Array.isArray(group.weights) || group.paths?.length !== 1) throw new Error('checkpoint: model.json needs one weights manifest group with one path');
  return v as ModelJson;
}

function littleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
