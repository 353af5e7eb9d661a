/** A plain-text line chart: several series of (x, y) points and optional horizontal reference lines. */
export interface Series {
  label: string;
  mark: string;
  points: { x: number; y: number }[];
}

export function asciiChart(series: Series[], refs: { label: string; y: number }[], opts: { width?: number; height?: number; xLabel?: string; yLabel?: string } = {}): string {
  const width = opts.width ?? 64;
  const height = opts.height ?? 16;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = [...series.flatMap((s) => s.points.map((p) => p.y)), ...refs.map((r) => r.y)];
  if (xs.length === 0) return '(no points)';
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 1, y1 + 1];
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  const col = (x: number) => (x1 === x0 ? 0 : Math.round(((x - x0) / (x1 - x0)) * (width - 1)));
  const row = (y: number) => height - 1 - Math.round(((y - y0) / (y1 - y0)) * (height - 1));
  for (const r of refs) grid[row(r.y)]!.fill('-');
  for (const s of series) for (const p of s.points) grid[row(p.y)]![col(p.x)] = s.mark;
  const lines = grid.map((cells, i) => {
    const y = y1 - (i / (height - 1)) * (y1 - y0);
    return `${y.toFixed(1).padStart(7)} |${cells.join('')}`;
  });
  lines.push(`${' '.repeat(8)}+${'-'.repeat(width)}`);
  lines.push(`${' '.repeat(9)}${String(x0).padEnd(width - String(x1).length)}${x1}`);
  if (opts.xLabel) lines.push(`${' '.repeat(9)}${opts.xLabel}`);
  lines.push(`${' '.repeat(9)}${[...series.map((s) => `${s.mark} ${s.label}`), ...refs.map((r) => `--- ${r.label} (${r.y.toFixed(2)})`)].join('   ')}`);
  return (opts.yLabel ? `${opts.yLabel}\n` : '') + lines.join('\n');
}
