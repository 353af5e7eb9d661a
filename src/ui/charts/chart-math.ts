/**
 * Pure helpers for the lab's SVG charts: pulling series out of metrics rows, thinning long runs for
 * drawing, automatic y domains with readable tick labels, and the SVG path strings for lines
 * (broken at missing values) and translucent bands. No React and no DOM, so they run under vitest
 * in Node.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Band {
  lo: number;
  hi: number;
}

export type Row = Record<string, number>;

/** A mean line with its min-max band and mean +- std band, aligned index by index. */
export interface StatSeries {
  points: Point[];
  minMax: Band[];
  std: Band[];
}

const NaN_ = Number.NaN;

/**
 * Keeps at most `max` rows for drawing: every `stride`-th row counted from the first (so the kept
 * rows stay put as the run grows, until the stride changes), plus the last row. Returns the input
 * itself when it is short enough.
 */
export function downsample<T>(items: readonly T[], max = 400): T[] {
  const n = items.length;
  if (max < 2) throw new Error(`downsample: max must be at least 2, got ${max}`);
  if (n <= max) return items as T[];
  // Leave room for the last row: indices 0, s, 2s, ... < n - 1, then n - 1.
  const stride = Math.ceil((n - 1) / (max - 1));
  const out: T[] = [];
  for (let i = 0; i < n - 1; i += stride) out.push(items[i] as T);
  out.push(items[n - 1] as T);
  return out;
}

function num(row: Row, key: string): number {
  const v = row[key];
  return typeof v === 'number' ? v : NaN_;
}

/** (x, y) for every row; missing or non-finite values stay NaN so the line breaks there. */
export function extractSeries(rows: readonly Row[], xKey: string, yKey: string): Point[] {
  return rows.map((r) => ({ x: num(r, xKey), y: num(r, yKey) }));
}

/**
 * The `${prefix}/mean` line with bands from `${prefix}/min`..`${prefix}/max` and
 * `${prefix}/mean` +- `${prefix}/std` (NaN where a value is missing).
 */
export function extractStats(rows: readonly Row[], xKey: string, prefix: string): StatSeries {
  const points: Point[] = [];
  const minMax: Band[] = [];
  const std: Band[] = [];
  for (const r of rows) {
    const mean = num(r, `${prefix}/mean`);
    const sd = num(r, `${prefix}/std`);
    points.push({ x: num(r, xKey), y: mean });
    minMax.push({ lo: num(r, `${prefix}/min`), hi: num(r, `${prefix}/max`) });
    std.push({ lo: mean - sd, hi: mean + sd });
  }
  return { points, minMax, std };
}

/** How many points a line actually draws (finite x and y). */
export function countFinite(points: readonly Point[]): number {
  let n = 0;
  for (const p of points) if (Number.isFinite(p.x) && Number.isFinite(p.y)) n++;
  return n;
}

/** Whether any row has the key (even as NaN, e.g. actor metrics before warm-up ends). */
export function hasKey(rows: readonly Row[], key: string): boolean {
  for (const r of rows) if (key in r) return true;
  return false;
}

/** The smallest and largest finite value among the arguments' numbers, or undefined if none. */
export function finiteExtent(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** A "nice" step (1, 2, 2.5 or 5 times a power of ten) of at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  // Guard against floating error such as 0.30000000000000004 / 0.1 = 3.0000000000000004.
  const f = m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 2.5 + 1e-9 ? 2.5 : m <= 5 + 1e-9 ? 5 : 10;
  return f * pow;
}

/** Decimal places that show a multiple of `step` exactly (0.25 -> 2, 0.5 -> 1, 20 -> 0). */
export function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/** A tick label for a value on an axis whose ticks are `step` apart. */
export function formatTick(v: number, step: number): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a < step * 1e-9) return '0';
  if (a >= 1e6 || (step < 1e-4 && a < 1e-3)) {
    // Very large or very small: exponential with enough digits to tell neighbours apart.
    const e = Math.floor(Math.log10(step));
    const digits = Math.max(1, Math.min(6, Math.floor(Math.log10(a)) - e + 1 + decimalsFor(step / 10 ** e)));
    return v.toExponential(digits - 1);
  }
  const s = v.toFixed(decimalsFor(step));
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

export interface Axis {
  domain: [number, number];
  ticks: number[];
  step: number;
}

/**
 * An automatic axis over the finite values: padded by `pad` of the range but not across zero
 * (or, for a single value, by 10% of its size or 1) and widened outwards to whole multiples of a nice step, so
 * roughly `count` ticks show. With no finite values: [0, 1].
 */
export function autoAxis(values: Iterable<number>, count = 4, pad = 0.05): Axis {
  const ext = finiteExtent(values);
  let [lo, hi] = ext ?? [0, 1];
  if (hi - lo <= Math.abs(hi) * 1e-12) {
    const d = Math.abs(lo) * 0.1 || 1;
    lo -= d;
    hi += d;
  } else {
    // Padding never crosses zero: losses (>= 0) start at 0, returns (<= 0) end at 0.
    const d = (hi - lo) * pad;
    lo = lo >= 0 ? Math.max(0, lo - d) : lo - d;
    hi = hi <= 0 ? Math.min(0, hi + d) : hi + d;
  }
  const step = niceStep((hi - lo) / count);
  const lo2 = Math.floor(lo / step + 1e-9) * step;
  const hi2 = Math.ceil(hi / step - 1e-9) * step;
  // "+ 0" turns -0 (from ceil of a small negative) into 0.
  return { domain: [lo2 + 0, hi2 + 0], ticks: ticksBetween(lo2, hi2, step), step };
}

/** Multiples of `step` inside [lo, hi] (with a little tolerance at the ends). */
export function ticksBetween(lo: number, hi: number, step: number): number[] {
  if (!(step > 0) || !(hi >= lo)) return [];
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let k = first; k <= last && out.length < 100; k++) {
    // Round away accumulated floating error (0.1 * 3 = 0.30000000000000004).
    out.push(Number((k * step).toPrecision(12)));
  }
  return out;
}

/** An axis for a fixed domain: `count` equal divisions, as the chart always drew them. */
export function fixedAxis(domain: [number, number], count = 4): Axis {
  const [lo, hi] = domain;
  const step = (hi - lo) / count;
  return { domain, ticks: Array.from({ length: count + 1 }, (_, i) => lo + i * step), step };
}

/** Nice ticks inside an x range without widening it (data-space x such as iteration). */
export function xAxis(x0: number, x1: number, count = 4, integer = false): Axis {
  let step = niceStep((x1 - x0) / count);
  if (integer) step = Math.max(1, step);
  return { domain: [x0, x1], ticks: ticksBetween(x0, x1, step), step };
}

/**
 * A screen coordinate to one decimal, without the cost of float-to-string conversion (the bulk
 * of a chart's render time): 12.34 -> "12.3", 5 -> "5", -0.04 -> "0".
 */
export function fmtCoord(v: number): string {
  let t = Math.round(v * 10);
  if (t === 0) return '0';
  const neg = t < 0;
  if (neg) t = -t;
  const i = Math.floor(t / 10);
  const f = t - i * 10;
  const s = f === 0 ? `${i}` : `${i}.${f}`;
  return neg ? `-${s}` : s;
}

/**
 * An SVG path for a line through the points, in screen space via sx/sy: a new subpath ("M")
 * after every missing point, so gaps stay gaps; an isolated point is a zero-length subpath ("h0")
 * that round line caps draw as a dot.
 */
export function linePath(points: readonly Point[], sx: (x: number) => number, sy: (y: number) => number): string {
  const parts: string[] = [];
  let run = 0;
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      if (run === 1) parts.push('h0');
      run = 0;
      continue;
    }
    parts.push(`${run === 0 ? 'M' : 'L'}${fmtCoord(sx(p.x))},${fmtCoord(sy(p.y))}`);
    run++;
  }
  if (run === 1) parts.push('h0');
  return parts.join('');
}

/**
 * An SVG path for a band: for every stretch of consecutive points where x, lo and hi are finite,
 * a closed polygon along the `hi` edge forwards and the `lo` edge back. Stretches of one point
 * draw nothing.
 */
export function bandPath(xs: readonly number[], band: readonly Band[], sx: (x: number) => number, sy: (y: number) => number): string {
  const out: string[] = [];
  let start = -1;
  const flush = (end: number) => {
    if (start >= 0 && end - start >= 2) {
      const top: string[] = [];
      const bottom: string[] = [];
      for (let i = start; i < end; i++) {
        const x = fmtCoord(sx(xs[i] as number));
        const b = band[i] as Band;
        top.push(`${x},${fmtCoord(sy(b.hi))}`);
        bottom.push(`${x},${fmtCoord(sy(b.lo))}`);
      }
      out.push(`M${top.join('L')}L${bottom.reverse().join('L')}Z`);
    }
    start = -1;
  };
  const n = Math.min(xs.length, band.length);
  for (let i = 0; i < n; i++) {
    const b = band[i] as Band;
    const ok = Number.isFinite(xs[i]) && Number.isFinite(b.lo) && Number.isFinite(b.hi);
    if (ok && start < 0) start = i;
    if (!ok) flush(i);
  }
  flush(n);
  return out.join('');
}

/** "critic/q1_loss" -> "critic-q1_loss", for data-testid values without slashes. */
export function testIdFor(key: string): string {
  return key.replace(/\//g, '-');
}
