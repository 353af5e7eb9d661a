import { describe, expect, it } from 'vitest';
import {
  autoAxis,
  bandPath,
  countFinite,
  decimalsFor,
  downsample,
  extractSeries,
  extractStats,
  finiteExtent,
  fmtCoord,
  fixedAxis,
  formatTick,
  hasKey,
  linePath,
  niceStep,
  testIdFor,
  ticksBetween,
  xAxis,
  type Row,
} from './chart-math';

const id = (v: number) => v;

describe('downsample', () => {
  it('returns short inputs unchanged (same array)', () => {
    const a = [1, 2, 3];
    expect(downsample(a, 5)).toBe(a);
    expect(downsample(a, 3)).toBe(a);
  });

  it('keeps the first, the last and every stride-th item, at most max', () => {
    const a = Array.from({ length: 10 }, (_, i) => i);
    // stride = ceil(9 / 3) = 3: 0, 3, 6, then the last
    expect(downsample(a, 4)).toEqual([0, 3, 6, 9]);
    const b = Array.from({ length: 11 }, (_, i) => i);
    // stride = ceil(10 / 3) = 4: 0, 4, 8, then the last
    expect(downsample(b, 4)).toEqual([0, 4, 8, 10]);
  });

  it('caps 1000 rows at 400 and keeps the ends', () => {
    const a = Array.from({ length: 1000 }, (_, i) => i);
    const d = downsample(a, 400);
    expect(d.length).toBeLessThanOrEqual(400);
    expect(d.length).toBe(334); // stride 3: 0..996 (333 items) + 999
    expect(d[0]).toBe(0);
    expect(d[d.length - 1]).toBe(999);
    expect(d[1]).toBe(3);
  });

  it('keeps the kept rows put as the run grows (same stride)', () => {
    const a = Array.from({ length: 500 }, (_, i) => i);
    const b = Array.from({ length: 520 }, (_, i) => i);
    const da = downsample(a, 400).slice(0, -1);
    const db = downsample(b, 400);
    expect(db.slice(0, da.length)).toEqual(da);
  });

  it('rejects max < 2', () => {
    expect(() => downsample([1, 2, 3], 1)).toThrow(/at least 2/);
  });
});

describe('series extraction', () => {
  const rows: Row[] = [
    { iteration: 1, trajectories: 32, 'critic/q1/mean': -3, 'critic/q1/min': -5, 'critic/q1/max': -1, 'critic/q1/std': 0.5 },
    { iteration: 2, trajectories: 64, 'critic/q1/mean': Number.NaN },
    { iteration: 3, trajectories: 96, 'critic/q1/mean': -2, 'critic/q1/min': -4, 'critic/q1/max': 0, 'critic/q1/std': 1 },
  ];

  it('extractSeries keeps missing values as NaN', () => {
    const s = extractSeries(rows, 'trajectories', 'critic/q1/mean');
    expect(s.map((p) => p.x)).toEqual([32, 64, 96]);
    expect(s[0]?.y).toBe(-3);
    expect(Number.isNaN(s[1]?.y)).toBe(true);
    expect(s[2]?.y).toBe(-2);
    expect(countFinite(s)).toBe(2);
    expect(countFinite(extractSeries(rows, 'iteration', 'actor/loss'))).toBe(0);
  });

  it('extractStats builds min-max and mean +- std bands', () => {
    const st = extractStats(rows, 'iteration', 'critic/q1');
    expect(st.points.map((p) => p.x)).toEqual([1, 2, 3]);
    expect(st.minMax[0]).toEqual({ lo: -5, hi: -1 });
    expect(st.std[0]).toEqual({ lo: -3.5, hi: -2.5 });
    expect(st.std[2]).toEqual({ lo: -3, hi: -1 });
    expect(Number.isNaN(st.minMax[1]?.lo)).toBe(true);
    expect(Number.isNaN(st.std[1]?.hi)).toBe(true);
  });

  it('hasKey sees keys even when their value is NaN', () => {
    expect(hasKey(rows, 'critic/q1/mean')).toBe(true);
    expect(hasKey(rows, 'actor/token_baseline_loss')).toBe(false);
    expect(hasKey([{ 'actor/loss': Number.NaN }], 'actor/loss')).toBe(true);
  });

  it('testIdFor replaces slashes', () => {
    expect(testIdFor('critic/q1_loss')).toBe('critic-q1_loss');
    expect(testIdFor('actor/token_baseline_loss')).toBe('actor-token_baseline_loss');
  });
});

describe('axes and ticks', () => {
  it('finiteExtent ignores NaN and infinities', () => {
    expect(finiteExtent([3, Number.NaN, -2, Infinity, 7])).toEqual([-2, 7]);
    expect(finiteExtent([Number.NaN])).toBeUndefined();
  });

  it('niceStep rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(0.3)).toBeCloseTo(0.5, 12);
    expect(niceStep(1)).toBe(1);
    expect(niceStep(1.2)).toBe(2);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(4.6)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(0.0023)).toBeCloseTo(0.0025, 12);
    expect(niceStep(0)).toBe(1);
  });

  it('decimalsFor counts the decimals a step needs', () => {
    expect(decimalsFor(5)).toBe(0);
    expect(decimalsFor(0.5)).toBe(1);
    expect(decimalsFor(0.25)).toBe(2);
    expect(decimalsFor(0.0025)).toBe(4);
    expect(decimalsFor(0.1 + 0.2)).toBe(1);
  });

  it('formatTick uses the step to pick precision, never "-0", exponentials at the extremes', () => {
    expect(formatTick(-15, 5)).toBe('-15');
    expect(formatTick(0.25, 0.25)).toBe('0.25');
    expect(formatTick(0.5, 0.25)).toBe('0.50');
    expect(formatTick(-1e-17, 0.1)).toBe('0');
    expect(formatTick(0.0012, 0.0002)).toBe('0.0012');
    expect(formatTick(2_500_000, 500_000)).toBe('2.5e+6');
    expect(formatTick(3e-6, 1e-6)).toBe('3e-6');
    expect(formatTick(2_250_000, 250_000)).toBe('2.25e+6');
    expect(formatTick(2_000_000, 250_000)).toBe('2.00e+6');
    expect(formatTick(Number.NaN, 1)).toBe('');
  });

  it('autoAxis pads and snaps outward to a nice step', () => {
    const a = autoAxis([-18.2, -3.1]);
    // range 15.1, padded to [-18.955, -2.345]; step niceStep(16.61/4 = 4.15) = 5
    expect(a.step).toBe(5);
    expect(a.domain).toEqual([-20, 0]);
    expect(a.ticks).toEqual([-20, -15, -10, -5, 0]);
  });

  it('autoAxis does not pad across zero', () => {
    const loss = autoAxis([0.01, 3.01]);
    expect(loss.domain).toEqual([0, 4]);
    expect(loss.ticks).toEqual([0, 1, 2, 3, 4]);
    const ret = autoAxis([-19, -0.2]);
    expect(ret.domain).toEqual([-20, 0]);
    const both = autoAxis([-1, 1]);
    expect(both.domain[0]).toBeLessThan(-1);
    expect(both.domain[1]).toBeGreaterThan(1);
  });

  it('autoAxis gives distinct, readable labels for small ranges', () => {
    const a = autoAxis([0.0101, 0.0113, 0.0108]);
    expect(a.domain[0]).toBeLessThanOrEqual(0.0101);
    expect(a.domain[1]).toBeGreaterThanOrEqual(0.0113);
    const labels = a.ticks.map((t) => formatTick(t, a.step));
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.every((l) => l !== '0')).toBe(true);
    expect(a.step).toBeCloseTo(0.0005, 12);
    expect(labels).toEqual(['0.0100', '0.0105', '0.0110', '0.0115']);
  });

  it('autoAxis handles one value and no values', () => {
    const one = autoAxis([2]);
    expect(one.domain[0]).toBeLessThan(2);
    expect(one.domain[1]).toBeGreaterThan(2);
    expect(one.domain).toEqual([1.8, 2.2]);
    const zero = autoAxis([0, 0]);
    expect(zero.domain).toEqual([-1, 1]);
    const none = autoAxis([Number.NaN]);
    expect(none.domain[0]).toBeLessThanOrEqual(0);
    expect(none.domain[1]).toBeGreaterThanOrEqual(1);
  });

  it('ticksBetween lists clean multiples', () => {
    expect(ticksBetween(0, 1, 0.1)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(ticksBetween(3, 17, 5)).toEqual([5, 10, 15]);
    expect(ticksBetween(1, 0, 1)).toEqual([]);
  });

  it('fixedAxis keeps the given domain with equal divisions', () => {
    expect(fixedAxis([-20, 0])).toEqual({ domain: [-20, 0], ticks: [-20, -15, -10, -5, 0], step: 5 });
  });

  it('xAxis keeps the range and uses whole-number ticks for integer x', () => {
    expect(xAxis(1, 3, 4, true)).toEqual({ domain: [1, 3], ticks: [1, 2, 3], step: 1 });
    expect(xAxis(32, 3200, 4, true).ticks).toEqual([1000, 2000, 3000]);
    expect(xAxis(0, 1, 4, false).ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

describe('paths', () => {
  it('linePath breaks at missing points and marks isolated points', () => {
    const pts = [
      { x: 0, y: 1 },
      { x: 1, y: 2 },
      { x: 2, y: Number.NaN },
      { x: 3, y: 4 },
      { x: 4, y: Number.POSITIVE_INFINITY },
      { x: 5, y: 6 },
      { x: 6, y: 7 },
    ];
    expect(linePath(pts, id, id)).toBe('M0,1L1,2M3,4h0M5,6L6,7');
    expect(linePath([{ x: 1, y: 1 }], id, id)).toBe('M1,1h0');
    expect(linePath([], id, id)).toBe('');
  });

  it('linePath applies the scales and rounds to 1 decimal', () => {
    const sx = (x: number) => 10 + x * 100;
    const sy = (y: number) => 200 - y / 3;
    expect(linePath([{ x: 0.5, y: 1 }, { x: 1, y: 2 }], sx, sy)).toBe('M60,199.7L110,199.3');
  });

  it('fmtCoord writes one decimal, drops ".0", and never "-0"', () => {
    expect(fmtCoord(12.34)).toBe('12.3');
    expect(fmtCoord(12.36)).toBe('12.4');
    expect(fmtCoord(5)).toBe('5');
    expect(fmtCoord(4.99)).toBe('5');
    expect(fmtCoord(0.04)).toBe('0');
    expect(fmtCoord(-0.04)).toBe('0');
    expect(fmtCoord(-3.26)).toBe('-3.3');
    expect(fmtCoord(-0.5)).toBe('-0.5');
    expect(fmtCoord(639.95)).toBe('640');
  });

  it('bandPath draws one closed polygon per finite stretch: hi forwards, lo back', () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const band = [
      { lo: 0, hi: 2 },
      { lo: 1, hi: 3 },
      { lo: 2, hi: 4 },
      { lo: Number.NaN, hi: 1 },
      { lo: 0, hi: 1 }, // a one-point stretch: nothing
      { lo: Number.NaN, hi: Number.NaN },
    ];
    expect(bandPath(xs, band, id, id)).toBe('M0,2L1,3L2,4L2,2L1,1L0,0Z');
    const two = bandPath([0, 1, 2, 3], [{ lo: 0, hi: 1 }, { lo: 0, hi: 1 }, { lo: Number.NaN, hi: 0 }, { lo: 5, hi: 6 }], id, id);
    expect(two).toBe('M0,1L1,1L1,0L0,0Z');
    expect(bandPath([0, 1], [{ lo: 1, hi: 2 }, { lo: 1, hi: 2 }], (x) => x * 10, (y) => -y)).toBe('M0,-2L10,-2L10,-1L0,-1Z');
  });
});
