/**
 * Model checkpoints as files (Node command line): DIR/model.json + DIR/weights.bin. Writes go to a
 * temporary name first and are renamed into place, so a crash never leaves a half-written model.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeWeights, encodeWeights, makeModelJson, parseModelJson, type ModelJson } from '../core/models/checkpoint';
import type { Weights } from '../core/models/transformer';
import type { TokenizerJSON } from '../core/text/tokenizer';

export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export async function saveModel(dir: string, kind: string, config: object, tokenizer: TokenizerJSON, weights: Weights, meta: Record<string, unknown> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { specs, data } = encodeWeights(weights);
  await writeAtomic(join(dir, 'weights.bin'), data);
  await writeAtomic(join(dir, 'model.json'), `${JSON.stringify(makeModelJson(kind, config, tokenizer, specs, meta), null, 1)}\n`);
}

export async function loadModel(dir: string, expectedKind?: string): Promise<{ json: ModelJson; weights: Weights }> {
  let text: string;
  try {
    text = await readFile(join(dir, 'model.json'), 'utf8');
  } catch {
    throw new Error(`no model.json in ${dir}`);
  }
  const json = parseModelJson(JSON.parse(text), expectedKind);
  const path = json.weightsManifest[0]!.paths[0]!;
  const data = await readFile(join(dir, path));
  return { json, weights: decodeWeights(json.weightsManifest[0]!.weights, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
}
