/**
 * A light SVG line chart for live training curves. Recharts 3 measured 60-180 ms per render on
 * this project's 2-core machines, which is a long task on every metrics message; this draws one
 * polyline per series and dashed reference lines in a few milliseconds.
 */
export interface ChartSeries {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface ChartReference {
  name: string;
  color: string;
  y: number;
}

interface Props {
  series: ChartSeries[];
  references?: ChartReference[];
  yDomain: [number, number];
  xLabel: string;
  height?: number;
  label: string;
}

const W = 640;
const PAD = { left: 40, right: 12, top: 10, bottom: 28 };

function ticks(lo: number, hi: number, n: number): number[] {
  const step = (hi - lo) / n;
  return Array.from({ length: n + 1 }, (_, i) => lo + i * step);
}

export function LineChartSvg({ series, references = [], yDomain, xLabel, height = 240, label }: Props) {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const x0 = xs.length > 0 ? Math.min(...xs) : 0;
  const x1 = xs.length > 0 ? Math.max(...xs) : 1;
  const [y0, y1] = yDomain;
  const sx = (x: number) => PAD.left + (x1 === x0 ? 0 : ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right));
  const sy = (y: number) => PAD.top + ((y1 - Math.min(y1, Math.max(y0, y))) / (y1 - y0)) * (height - PAD.top - PAD.bottom);
  return (
    <figure className="svg-chart">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={label} preserveAspectRatio="none" width="100%" height={height}>
        {ticks(y0, y1, 4).map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} stroke="#e2ddd0" />
            <text x={PAD.left - 6} y={sy(t) + 4} textAnchor="end" fontSize="11" fill="#5b6575">{t.toFixed(0)}</text>
          </g>
        ))}
        {ticks(x0, x1, 4).map((t) => (
          <text key={`x${t}`} x={sx(t)} y={height - PAD.bottom + 14} textAnchor="middle" fontSize="11" fill="#5b6575">{Math.round(t)}</text>
        ))}
        <text x={(W + PAD.left) / 2} y={height - 2} textAnchor="middle" fontSize="11" fill="#5b6575">{xLabel}</text>
        {references.map((r) => (
          <line key={r.name} x1={PAD.left} x2={W - PAD.right} y1={sy(r.y)} y2={sy(r.y)} stroke={r.color} strokeDasharray="6 4" />
        ))}
        {series.map((s) => (
          <polyline key={s.name} fill="none" stroke={s.color} strokeWidth={2} points={s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} />
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.name}><i style={{ background: s.color }} /> {s.name}</span>
        ))}
        {references.map((r) => (
          <span key={r.name}><i className="dashed" style={{ borderColor: r.color }} /> {r.name} ({r.y.toFixed(2)})</span>
        ))}
      </figcaption>
    </figure>
  );
}
