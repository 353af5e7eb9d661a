import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT, decodeWeights, encodeWeights, makeModelJson, parseModelJson } from './checkpoint';

const weights = {
  'b.bias': { shape: [3], data: Float32Array.from([1, -2, 3.5]) },
  'a.w': { shape: [2, 2], data: Float32Array.from([0.25, 0.5, -0.75, 1e-7]) },
};

describe('model file format', () => {
  it('round-trips weights bit for bit through one float32 buffer', () => {
    const { specs, data } = encodeWeights(weights);
    expect(specs.map((s) => s.name)).toEqual(['a.w', 'b.bias']);
    expect(data.byteLength).toBe(7 * 4);
    const back = decodeWeights(specs, data);
    expect(back['a.w']?.shape).toEqual([2, 2]);
    expect(Array.from(back['a.w']!.data)).toEqual(Array.from(weights['a.w'].data));
    expect(Array.from(back['b.bias']!.data)).toEqual(Array.from(weights['b.bias'].data));
  });

  it('refuses a truncated weights file and a file that is not an archer-lab model', () => {
    const { specs, data } = encodeWeights(weights);
    expect(() => decodeWeights(specs, data.slice(0, 20))).toThrow(/20 bytes, the manifest describes 28/);
    expect(() => parseModelJson({ format: 'tfjs-layers' })).toThrow(/not an archer-lab model file/);
    const json = makeModelJson('critic', { dModel: 8 }, { kind: 'word-tokenizer', version: 1, vocab: ['<pad>'], cased: {} }, specs);
    expect(json.format).toBe(CHECKPOINT_FORMAT);
    expect(() => parseModelJson(json, 'actor')).toThrow(/critic model, expected actor/);
    expect(parseModelJson(JSON.parse(JSON.stringify(json)), 'critic').weightsManifest[0]?.weights).toHaveLength(2);
  });
});
