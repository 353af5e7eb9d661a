/**
 * `bench throughput --baseline REV`: the working tree against a git revision, timed in the same run,
 * alternating, so that a shared machine's load falls on both alike. REV's files are unpacked with
 * `git archive` into a temporary folder (this checkout's node_modules linked in) and each side runs
 * its own `bench throughput --node B --browser none --repeats 1` as a fresh process, rounds in the
 * order base, head, head, base, base, head, ... Each round pairs one base run with one head run; the
 * ratio reported is the median over rounds of head / base (below 1: the working tree is faster).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../args';
import { median } from '../../core/metrics/stats';

export const METRICS = ['iterationMs', 'criticStepMs', 'actorStepMs', 'tokenMs'] as const;
export type Metric = (typeof METRICS)[number];
export type Timing = Record<Metric, number>;

export interface BaselineRound {
  base: Timing;
  head: Timing;
}

export interface BaselineSummary {
  metric: Metric;
  baseMedian: number;
  headMedian: number;
  /** Median over rounds of head / base. */
  ratio: number;
  ratios: number[];
}

/** Medians of each side and of the paired per-round ratios. Pure. */
export function summariseRounds(rounds: readonly BaselineRound[]): BaselineSummary[] {
  if (rounds.length === 0) throw new Error('bench throughput --baseline: no rounds to summarise');
  return METRICS.map((metric) => {
    const ratios = rounds.map((r) => r.head[metric] / r.base[metric]);
    return {
      metric,
      baseMedian: median(rounds.map((r) => r.base[metric])),
      headMedian: median(rounds.map((r) => r.head[metric])),
      ratio: median(ratios),
      ratios,
    };
  });
}

/** Which side runs first in round i: base, head | head, base | base, head ... (ABBA). */
export function roundOrder(i: number): ['base', 'head'] | ['head', 'base'] {
  return i % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
}

/** The commit a revision names, or a usage error that says so. */
export function resolveRevision(rev: string): string {
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new UsageError(`bench throughput: --baseline "${rev}" is not a commit of this repository`);
  return r.stdout.trim();
}

/** Unpacks a commit's files into a new temporary folder with this checkout's node_modules linked in. */
export function unpackRevision(sha: string): string {
  const dir = mkdtempSync(join(tmpdir(), `archer-baseline-${sha.slice(0, 7)}-`));
  const r = spawnSync('sh', ['-c', `git archive --format=tar ${sha} | tar -x -C "${dir}"`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench throughput: could not unpack ${sha}: ${r.stderr}`);
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

interface SideResult {
  timing: Timing;
  settings: unknown;
}

function runSide(cwd: string, backend: string, overrides: readonly string[], out: string): Promise<SideResult> {
  return new Promise((done, fail) => {
    const args = ['src/cli/main.ts', 'bench', 'throughput', '--node', backend, '--browser', 'none', '--repeats', '1', '--out', out, ...overrides];
    const child = spawn(join(cwd, 'node_modules', '.bin', 'tsx'), args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`bench throughput in ${cwd} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      try {
        const result = JSON.parse(readFileSync(out, 'utf8')) as { rows: (Partial<Timing> & { error?: string; ran?: string })[]; settings: unknown };
        const row = result.rows[0];
        if (!row || row.error) throw new Error(`bench throughput in ${cwd}: ${row?.error ?? 'no row'}`);
        if (row.ran !== undefined && row.ran !== backend) throw new Error(`bench throughput in ${cwd} ran on ${row.ran}, not ${backend}`);
        const timing = Object.fromEntries(METRICS.map((m) => [m, Number(row[m])])) as Timing;
        for (const m of METRICS) if (!(timing[m] > 0)) throw new Error(`bench throughput in ${cwd}: no ${m} in its result`);
        done({ timing, settings: result.settings });
      } catch (e) {
        fail(e);
      }
    });
  });
}

/** The settings that decide an iteration's work (a revision's newer settings keys aside). */
export function workOf(settings: unknown): Record<string, unknown> {
  const s = (settings ?? {}) as Record<string, unknown>;
  const keys = ['subset', 'rolloutSize', 'batchSize', 'criticEpochs', 'actorEpochs', 'maxTurns'];
  return Object.fromEntries(keys.map((k) => [k, s[k]]));
}

export interface BaselineResult {
  bench: 'throughput-baseline';
  baseline: { rev: string; sha: string; settings: unknown };
  head: { settings: unknown };
  backend: string;
  overrides: string[];
  rounds: BaselineRound[];
  summary: BaselineSummary[];
  /** Set when the two sides reported different settings (a changed default): the ratio then compares different work. */
  settingsDiffer: boolean;
}

export async function runBaseline(rev: string, opts: { backend: string; rounds: number; overrides: readonly string[]; err: (text: string) => void; onRound?: (r: BaselineRound[]) => Promise<void> }): Promise<BaselineResult> {
  const sha = resolveRevision(rev);
  opts.err(`baseline ${rev} (${sha.slice(0, 10)}): unpacking\n`);
  const dir = unpackRevision(sha);
  const outDir = mkdtempSync(join(tmpdir(), 'archer-baseline-out-'));
  const rounds: BaselineRound[] = [];
  let baseSettings: unknown;
  let headSettings: unknown;
  try {
    for (let i = 0; i < opts.rounds; i++) {
      const timing: Partial<Record<'base' | 'head', Timing>> = {};
      for (const side of roundOrder(i)) {
        opts.err(`round ${i + 1} of ${opts.rounds}: ${side === 'base' ? `${rev} (base)` : 'working tree (head)'}\n`);
        const r = await runSide(side === 'base' ? dir : process.cwd(), opts.backend, opts.overrides, join(outDir, `${side}-${i}.json`));
        timing[side] = r.timing;
        if (side === 'base') baseSettings = r.settings;
        else headSettings = r.settings;
      }
      rounds.push({ base: timing.base!, head: timing.head! });
      await opts.onRound?.(rounds);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
  return {
    bench: 'throughput-baseline',
    baseline: { rev, sha, settings: baseSettings },
    head: { settings: headSettings },
    backend: opts.backend,
    overrides: [...opts.overrides],
    rounds,
    summary: summariseRounds(rounds),
    settingsDiffer: JSON.stringify(workOf(baseSettings)) !== JSON.stringify(workOf(headSettings)),
  };
}
