/** Loading a shipped model over HTTP (browser or worker): model.json, then its weights file. */
import { decodeWeights, parseModelJson, type ModelJson } from './checkpoint';
import type { Weights } from './transformer';

export async function fetchModel(url: string, expectedKind?: string): Promise<{ json: ModelJson; weights: Weights }> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url}: HTTP ${res.status}`);
  const json = parseModelJson(await res.json(), expectedKind);
  const path = json.weightsManifest[0]!.paths[0]!;
  const wres = await fetch(new URL(path, new URL(url, globalThis.location?.href)).toString());
  if (!wres.ok) throw new Error(`could not load the weights of ${url}: HTTP ${wres.status}`);
  return { json, weights: decodeWeights(json.weightsManifest[0]!.weights, new Uint8Array(await wres.arrayBuffer())) };
}
