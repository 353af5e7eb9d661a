import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFlags, UsageError } from '../args';
import { asciiChart, type Series } from '../ascii-chart';

export const help = `chart DIR [DIR ...] [--metric eval/return/mean] [--width W] [--height H]
  Draws a metric of one or more training runs (their metrics.jsonl) against trajectories, with
  the knowledge base's optimalBound as a reference line, as a text chart; prints the points too.`;

const MARKS = ['*', 'o', '+', 'x', '#', '@'];

export async function run(argv: string[], out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseFlags('chart', argv, { metric: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' } }, true);
  if (positionals.length === 0) throw new UsageError('chart: name at least one run folder (written by train --out DIR)');
  const metric = String(values.metric ?? 'eval/return/mean');
  const series: Series[] = [];
  let bound: number | undefined;
  for (const [i, dir] of positionals.entries()) {
    let text: string;
    try {
      text = await readFile(join(dir, 'metrics.jsonl'), 'utf8');
    } catch {
      throw new UsageError(`chart: no metrics.jsonl in ${dir}`);
    }
    const rows = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, number>);
    const points = rows.filter((r) => typeof r[metric] === 'number').map((r) => ({ x: r.trajectories ?? 0, y: r[metric] as number }));
    bound ??= rows.find((r) => typeof r.optimalBound === 'number')?.optimalBound;
    series.push({ label: dir, mark: MARKS[i % MARKS.length] as string, points });
    out(`${dir}: ${points.map((p) => `${p.x}:${p.y.toFixed(2)}`).join('  ')}`);
  }
  const refs = bound === undefined || !metric.includes('return') ? [] : [{ label: 'optimalBound (expert tree)', y: bound }];
  out(asciiChart(series, refs, { width: Number(values.width ?? 64), height: Number(values.height ?? 16), xLabel: 'trajectories', yLabel: metric }));
}
