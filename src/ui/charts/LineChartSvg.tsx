/**
 * A light SVG line chart for live training curves. Recharts 3 measured 60-180 ms per render on
 * this project's 2-core machines, which is a long task on every metrics message; this draws one
 * path per series (broken where values are missing), one path per band and dashed reference lines
 * in a few milliseconds. No per-point React elements.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { autoAxis, bandPath, fixedAxis, formatTick, linePath, xAxis, type Band } from './chart-math';

/** A translucent band around a series (e.g. min-max, or mean +- std), aligned with its points. */
export interface ChartBand {
  name?: string;
  values: Band[];
  /** Fill opacity; default 0.15. Draw lighter (wider) bands first. */
  opacity?: number;
}

export interface ChartSeries {
  name: string;
  color: string;
  /** Points with a non-finite x or y are skipped and break the line. */
  points: { x: number; y: number }[];
  /** Bands drawn under the line in order, index-aligned with `points`. */
  bands?: ChartBand[];
  /** Dashed line (e.g. a secondary series). */
  dashed?: boolean;
}

export interface ChartReference {
  name: string;
  color: string;
  y: number;
}

interface Props {
  series: ChartSeries[];
  references?: ChartReference[];
  /** Fixed y domain; when omitted, it is chosen from the points, bands and references. */
  yDomain?: [number, number];
  xLabel: string;
  height?: number;
  /** Accessible name of the chart. */
  label: string;
  /** Width of the drawing before the chart measures its box (then it follows the box). */
  width?: number;
  /** Whether x values are whole numbers (iterations, trajectories): no fractional x ticks. */
  integerX?: boolean;
  /** Show the legend under the chart; default true. */
  legend?: boolean;
}

const PAD = { left: 48, right: 12, top: 10, bottom: 28 };
const AXIS = '#5b6575';
const GRID = '#e2ddd0';

function LineChartSvgImpl({ series, references: allReferences = [], yDomain, xLabel, height = 240, label, width = 640, integerX = true, legend = true }: Props) {
  // Follow the figure's pixel width so the drawing is never stretched (text stays undistorted).
  const figure = useRef<HTMLElement>(null);
  const [w, setW] = useState(width);
  useEffect(() => {
    const el = figure.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = (px: number) => {
      const next = Math.round(px);
      if (next > 80) setW((prev) => (Math.abs(prev - next) >= 2 ? next : prev));
    };
    // No synchronous clientWidth read here: it forces a layout inside React's commit (16 charts mount
    // together on the first metrics row). A ResizeObserver reports the first size after layout anyway.
    const ro = new ResizeObserver((entries) => {
      const e = entries[0];
      if (e) measure(e.contentRect.width);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const references = allReferences.filter((r) => Number.isFinite(r.y));
  let x0 = Infinity;
  let x1 = -Infinity;
  const ys: number[] = [];
  for (const s of series) {
    for (const p of s.points) {
      if (!Number.isFinite(p.x)) continue;
      if (p.x < x0) x0 = p.x;
      if (p.x > x1) x1 = p.x;
      if (!yDomain) ys.push(p.y);
    }
    if (!yDomain) for (const b of s.bands ?? []) for (const v of b.values) ys.push(v.lo, v.hi);
  }
  if (!(x0 <= x1)) [x0, x1] = [0, 1];
  else if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (!yDomain) for (const r of references) ys.push(r.y);

  const yAxis = yDomain ? fixedAxis(yDomain) : autoAxis(ys);
  const xA = xAxis(x0, x1, w < 400 ? 3 : 4, integerX);
  const [y0, y1] = yAxis.domain;
  const plotW = w - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => PAD.top + ((y1 - Math.min(y1, Math.max(y0, y))) / (y1 - y0 || 1)) * plotH;

  return (
    <figure className="svg-chart" ref={figure}>
      <svg viewBox={`0 0 ${w} ${height}`} role="img" aria-label={label} preserveAspectRatio="none" width="100%" height={height}>
        <title>{label}</title>
        {yAxis.ticks.map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={w - PAD.right} y1={sy(t)} y2={sy(t)} stroke={GRID} />
            <text x={PAD.left - 6} y={sy(t) + 4} textAnchor="end" fontSize="11" fill={AXIS}>{formatTick(t, yAxis.step)}</text>
          </g>
        ))}
        {xA.ticks.map((t) => (
          <text key={`x${t}`} x={sx(t)} y={height - PAD.bottom + 14} textAnchor="middle" fontSize="11" fill={AXIS}>{formatTick(t, xA.step)}</text>
        ))}
        <text x={(w + PAD.left) / 2} y={height - 2} textAnchor="middle" fontSize="11" fill={AXIS}>{xLabel}</text>
        {series.map((s) => {
          if (!s.bands || s.bands.length === 0) return null;
          const xs = s.points.map((p) => p.x);
          return s.bands.map((b, i) => (
            <path key={`${s.name}-band${i}`} d={bandPath(xs, b.values, sx, sy)} fill={s.color} fillOpacity={b.opacity ?? 0.15} stroke="none" />
          ));
        })}
        {references.map((r) => (
          <line key={r.name} x1={PAD.left} x2={w - PAD.right} y1={sy(r.y)} y2={sy(r.y)} stroke={r.color} strokeDasharray="6 4" />
        ))}
        {series.map((s) => (
          <path
            key={s.name}
            d={linePath(s.points, sx, sy)}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            strokeLinecap="round"
            strokeLinejoin="round"
            strokeDasharray={s.dashed ? '4 3' : undefined}
          />
        ))}
      </svg>
      {legend && (
        <figcaption className="legend">
          {series.map((s) => (
            <span key={s.name}>{s.dashed ? <i className="dashed" style={{ borderColor: s.color }} /> : <i style={{ background: s.color }} />} {s.name}</span>
          ))}
          {series.flatMap((s) =>
            (s.bands ?? []).filter((b) => b.name).map((b) => (
              <span key={`${s.name}-${b.name}`}><i className="band" style={{ background: s.color, opacity: Math.min(1, (b.opacity ?? 0.15) * 2) }} /> {b.name}</span>
            )),
          )}
          {references.map((r) => (
            <span key={r.name}><i className="dashed" style={{ borderColor: r.color }} /> {r.name} ({r.y.toFixed(2)})</span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}

/** Memoised: re-renders only when its props change (keep series arrays stable with useMemo). */
export const LineChartSvg = memo(LineChartSvgImpl);
