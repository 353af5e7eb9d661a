import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFlags, UsageError } from '../args';
import { runFromFiles, runToFiles } from '../../storage/checkpoint-files';
import { exists, readFileMap } from '../../storage/run-files';
import { tarPack } from '../../storage/tar';
import { writeAtomic } from '../../storage/model-files';

export const help = `export --run DIR --out FILE.tar [--json]
  Packs a run folder (written by train --out DIR, or by import) into one .tar in the lab's run
  format (run.json, metrics.jsonl, episodes.jsonl, checkpoint/), validating every file first; the
  browser lab's Import reads it, and import --file FILE.tar --out DIR unpacks it again.`;

/** The run format's files in a folder (summary.json, temporary and spare checkpoint folders left out). */
export const isRunFile = (path: string): boolean => ['run.json', 'metrics.jsonl', 'episodes.jsonl'].includes(path) || (path.startsWith('checkpoint/') && !path.includes('.tmp-'));

export async function run(argv: string[], out: (line: string) => void): Promise<void> {
  const { values } = parseFlags('export', argv, { run: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
  if (values.run === undefined) throw new UsageError('export: --run DIR is required (a folder written by train --out DIR)');
  if (values.out === undefined) throw new UsageError('export: --out FILE.tar is required');
  const dir = String(values.run);
  const file = String(values.out);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`export: ${dir} is not a folder (--run takes a folder written by train --out DIR)`);
  if ((await stat(file).catch(() => undefined))?.isDirectory()) throw new UsageError(`export: --out ${file} is a folder; name the .tar file to write`);
  if (!(await exists(join(dir, 'run.json')))) {
    const old = await exists(join(dir, 'checkpoint', 'trainer.json'));
    throw new UsageError(`export: ${dir} has no run.json${old ? ' (a run from before the run format: resume it once with train --out DIR to write one)' : ' (not a run folder written by train --out DIR)'}`);
  }
  if (!(await exists(join(dir, 'checkpoint', 'trainer.json')))) {
    throw new UsageError(`export: ${dir} has no checkpoint/ yet (train saves one every --save-every iterations and at the end)`);
  }
  const parsed = runFromFiles(await readFileMap(dir, isRunFile));
  const files = runToFiles(parsed);
  const tar = tarPack(files);
  await writeAtomic(file, tar);
  const counters = parsed.checkpoint!.counters;
  const report = { file, bytes: tar.length, files: Object.keys(files).length, name: parsed.run.name, iteration: counters.iteration, trajectories: counters.trajectories };
  if (values.json) out(JSON.stringify(report));
  else out(`exported ${dir} (${report.name}: iteration ${report.iteration}, ${report.trajectories} trajectories, ${report.files} files) to ${file} (${(tar.length / 1024).toFixed(0)} KiB)`);
}

