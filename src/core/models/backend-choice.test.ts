import { describe, expect, it } from 'vitest';
import { fallbackOrder, fastestBackend, isBackendChoice, type BackendProbe } from './backend-choice';

const probe = (name: BackendProbe['name'], available: boolean, software: boolean): BackendProbe => ({ name, available, software, detail: '' });
const cpuOnly = [probe('wasm', true, true), probe('cpu', true, true)];

describe('fallbackOrder', () => {
  it('auto: a real GPU first, webgpu before webgl, then wasm and cpu', () => {
    expect(fallbackOrder('auto', [probe('webgpu', true, false), probe('webgl', true, false), ...cpuOnly])).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(fallbackOrder('auto', [probe('webgpu', false, false), probe('webgl', true, false), ...cpuOnly])).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('auto passes over software GPU adapters (SwiftShader is slower than wasm)', () => {
    expect(fallbackOrder('auto', [probe('webgpu', true, true), probe('webgl', true, true), ...cpuOnly])).toEqual(['wasm', 'cpu']);
  });

  it('a named backend is tried first, then the ones after it', () => {
    expect(fallbackOrder('webgpu', cpuOnly)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(fallbackOrder('wasm', cpuOnly)).toEqual(['wasm', 'cpu']);
    expect(fallbackOrder('cpu', cpuOnly)).toEqual(['cpu']);
  });

  it('rejects an unknown backend by name', () => {
    expect(() => fallbackOrder('tpu' as never, cpuOnly)).toThrow(/unknown backend "tpu"/);
    expect(isBackendChoice('webgl')).toBe(true);
    expect(isBackendChoice('WebGL')).toBe(false);
  });
});

describe('fastestBackend', () => {
  it('picks the lowest median and ignores failures', () => {
    expect(fastestBackend([{ name: 'webgpu', error: 'no adapter' }, { name: 'webgl', medianMs: 900 }, { name: 'wasm', medianMs: 800 }, { name: 'cpu', medianMs: 2600 }])).toBe('wasm');
    expect(fastestBackend([{ name: 'webgl', medianMs: Number.NaN }])).toBeUndefined();
  });
});
