import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './args';
import * as exportCmd from './commands/export';
import * as importCmd from './commands/import';
import { CheckpointFormatError, RUN_FORMAT, runFromFiles } from '../storage/checkpoint-files';
import { readFileMap } from '../storage/run-files';
import { tarPack, tarUnpack, TarFormatError } from '../storage/tar';

const TSX = 'node_modules/.bin/tsx';
const TINY = ['model.d_model=16', 'model.n_layers=1', 'model.n_heads=2', 'model.max_len=64', 'critic.d_model=16'];
const SETTINGS = ['env.subset=subset10', 'agent_proxy.max_turn=5', 'algorithm.rollout_size=2', 'algorithm.batch_size=4',
  'algorithm.critic_epochs=1', 'algorithm.actor_epochs=1', 'algorithm.warmup_iterations=0', ...TINY];

function cli(args: string[]) {
  const r = spawnSync(TSX, ['src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('export and import: a command-line run moves through one .tar and resumes', () => {
  it('trains 1 iteration, exports, imports into another folder and resumes there', async () => {
    const root = mkdtempSync(join(tmpdir(), 'archer-export-'));
    const a = join(root, 'alpha');
    const common = ['--init', join(root, 'no-reference'), '--eval-every', '1', '--eval-episodes', '2', '--save-every', '1', '--seed', '4', '--json'];
    const first = cli(['train', '--iterations', '1', '--out', a, ...common, ...SETTINGS]);
    expect(first.code, first.stderr).toBe(0);

    // The folder is an unpacked run: run.json, ReplayEpisode lines, checkpoint/.
    const runJson = JSON.parse(readFileSync(join(a, 'run.json'), 'utf8')) as Record<string, any>;
    expect(runJson.format).toBe(RUN_FORMAT);
    expect(runJson.name).toBe('alpha');
    expect(runJson.status).toEqual({ iteration: 1, trajectories: 2 });
    expect(Date.parse(runJson.createdAt)).toBeLessThanOrEqual(Date.parse(runJson.updatedAt));
    expect(runJson.config.model.d_model).toBe(16);
    const episodes = lines(join(a, 'episodes.jsonl'));
    expect(episodes).toHaveLength(2);
    expect(episodes[0]).toMatchObject({ iteration: 1, index: 0, valuesFrom: 'after-iteration' });
    expect(typeof (episodes[0]!.turns as { advantage: number }[])[0]!.advantage).toBe('number');
    const folder = runFromFiles(await readFileMap(a, exportCmd.isRunFile));
    expect(folder.checkpoint?.counters.iteration).toBe(1);

    // export
    const tarFile = join(root, 'alpha.tar');
    const said: string[] = [];
    await exportCmd.run(['--run', a, '--out', tarFile, '--json'], (l) => said.push(l));
    expect(JSON.parse(said[0]!)).toMatchObject({ file: tarFile, name: 'alpha', iteration: 1, trajectories: 2, files: 17 });
    const listing = execFileSync('tar', ['-tvf', tarFile], { encoding: 'utf8' });
    const names = listing.trim().split('\n').map((l) => l.split(/\s+/).pop());
    expect(names.slice(0, 3)).toEqual(['run.json', 'metrics.jsonl', 'episodes.jsonl']);
    expect(names).toContain('checkpoint/critic/weights.bin');
    expect(names[names.length - 1]).toBe('checkpoint/trainer.json');
    expect(names).not.toContain('summary.json');
    const tarBytes = new Uint8Array(readFileSync(tarFile));

    // import
    const b = join(root, 'beta');
    said.length = 0;
    await importCmd.run(['--file', tarFile, '--out', b], (l) => said.push(l));
    expect(said.join('\n')).toMatch(/checkpoint at iteration 1 \(2 trajectories\)/);
    expect(readdirSync(b).sort()).toEqual(['checkpoint', 'episodes.jsonl', 'metrics.jsonl', 'run.json']);
    expect(readdirSync(root).filter((n) => n.includes('.import-'))).toEqual([]);
    // Exporting the imported folder gives the same bytes.
    const again = join(root, 'again.tar');
    await exportCmd.run(['--run', b, '--out', again], () => undefined);
    expect(Buffer.compare(readFileSync(again), Buffer.from(tarBytes))).toBe(0);

    // resume in the imported folder
    const resumed = cli(['train', '--iterations', '2', '--out', b, ...common]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming');
    expect(lines(join(b, 'metrics.jsonl')).map((m) => [m.iteration, m.trajectories])).toEqual([[0, 0], [1, 2], [2, 4]]);
    expect(lines(join(b, 'episodes.jsonl')).map((e) => e.iteration)).toEqual([1, 1, 2, 2]);
    const after = JSON.parse(readFileSync(join(b, 'run.json'), 'utf8')) as Record<string, any>;
    expect(after).toMatchObject({ name: 'alpha', createdAt: runJson.createdAt, status: { iteration: 2, trajectories: 4 } });
    const moved = runFromFiles(await readFileMap(b, exportCmd.isRunFile));
    expect(moved.checkpoint?.counters.iteration).toBe(2);

    // Refusals: a non-empty folder, a damaged archive (nothing written), something that is no archive.
    expect(await rejection(importCmd.run(['--file', tarFile, '--out', b], () => undefined))).toBeInstanceOf(UsageError);
    const files = tarUnpack(tarBytes);
    const w = files['checkpoint/actor/weights.bin']!;
    w[10] = w[10]! ^ 0x40;
    const damaged = join(root, 'damaged.tar');
    writeFileSync(damaged, tarPack(files));
    const c = join(root, 'gamma');
    const bad = await rejection(importCmd.run(['--file', damaged, '--out', c], () => undefined));
    expect(bad).toBeInstanceOf(CheckpointFormatError);
    expect(bad.message).toMatch(/^checkpoint\/actor\/weights\.bin: checksum [0-9a-f]{8}, trainer\.json says/);
    expect(existsSync(c)).toBe(false);
    const notTar = await rejection(importCmd.run(['--file', join(a, 'run.json'), '--out', c], () => undefined));
    expect(notTar).toBeInstanceOf(TarFormatError);
    expect(notTar.message).toMatch(/^not a tar archive/);
    expect(existsSync(c)).toBe(false);
    // An archive of the folder itself (tar -cf x.tar alpha) is read too.
    execFileSync('tar', ['-cf', join(root, 'plain.tar'), 'alpha'], { cwd: root });
    mkdirSync(c);
    await importCmd.run(['--file', join(root, 'plain.tar'), '--out', c], () => undefined);
    expect(existsSync(join(c, 'checkpoint', 'trainer.json'))).toBe(true);

    // Through main: a damaged file fails with exit 1 and a one-line message; bad flags exit 2.
    const viaMain = cli(['import', '--file', damaged, '--out', join(root, 'delta')]);
    expect(viaMain.code).toBe(1);
    expect(viaMain.stderr.trim()).toMatch(/^import failed: checkpoint\/actor\/weights\.bin: checksum .* \(a corrupt checkpoint\)$/);
  }, 90_000);

  it('rejects bad flags and folders that are not runs with UsageError', async () => {
    const root = mkdtempSync(join(tmpdir(), 'archer-export-flags-'));
    const usage = async (p: Promise<unknown>, message: RegExp) => {
      const e = await rejection(p);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(message);
    };
    const quiet = () => undefined;
    await usage(exportCmd.run(['--out', 'x.tar'], quiet), /--run DIR is required/);
    await usage(exportCmd.run(['--run', root], quiet), /--out FILE\.tar is required/);
    await usage(exportCmd.run(['--run', join(root, 'nope'), '--out', join(root, 'x.tar')], quiet), /is not a folder/);
    await usage(exportCmd.run(['--run', root, '--out', join(root, 'x.tar')], quiet), /has no run\.json \(not a run folder/);
    mkdirSync(join(root, 'old', 'checkpoint'), { recursive: true });
    writeFileSync(join(root, 'old', 'checkpoint', 'trainer.json'), '{}');
    await usage(exportCmd.run(['--run', join(root, 'old'), '--out', join(root, 'x.tar')], quiet), /from before the run format/);
    await usage(exportCmd.run(['--run', root, '--out', 'x.tar', '--level', '9'], quiet), /Unknown option '--level'/);
    await usage(importCmd.run(['--out', root], quiet), /--file FILE\.tar is required/);
    await usage(importCmd.run(['--file', 'x.tar'], quiet), /--out DIR is required/);
    await usage(importCmd.run(['--file', join(root, 'missing.tar'), '--out', join(root, 'n')], quiet), /cannot read --file .* \(no such file\)/);
    const r = cli(['export', '--run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/export: Option '--run <value>' argument missing/);
    const help = cli(['help']);
    expect(help.stdout).toContain('export --run DIR --out FILE.tar');
    expect(help.stdout).toContain('import --file FILE.tar --out DIR');
  });
});
