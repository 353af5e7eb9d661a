import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    const sb = Array.from({ length: 20 }, () => b.nextUint32());
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('restores its state bit for bit', () => {
    const a = new Rng(7);
    for (let i = 0; i < 5; i++) a.next();
    const saved = a.getState();
    const rest = Array.from({ length: 10 }, () => a.next());
    const b = Rng.fromState(saved);
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(rest);
  });

  it('draws integers uniformly enough and inside the range', () => {
    const r = new Rng(1);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
    expect(() => r.int(0)).toThrow(/positive integer/);
  });

  it('keeps its state as four uint32 words after many draws (so a saved state restores)', () => {
    const a = new Rng(123);
    for (let i = 0; i < 1000; i++) {
      a.nextUint32();
      for (const w of a.getState()) expect(w >>> 0).toBe(w);
    }
    const json = JSON.parse(JSON.stringify(a.getState()));
    expect(Rng.fromState(json).next()).toBe(a.next());
  });

  it('rejects a bad seed and a bad state', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/finite/);
    expect(() => new Rng(1).setState([1, 2, 3, -1])).toThrow(/uint32/);
  });
});
