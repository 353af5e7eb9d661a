import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseFlags, UsageError } from '../args';
import { runFromFiles, runToFiles, type FileMap } from '../../storage/checkpoint-files';
import { writeFileMap } from '../../storage/run-files';
import { tarUnpack } from '../../storage/tar';

export const help = `import --file FILE.tar --out DIR [--json]
  Unpacks a run exported by the browser lab or by export into the folder DIR (new or empty),
  after validating every file (formats, sizes, checksums, each JSONL line); nothing is written
  when something is wrong. Then train --out DIR resumes the run.`;

/** An archive of the run's folder itself (tar -cf run.tar runs/a) holds runs/a/run.json ...: strip that folder. */
function atRoot(files: FileMap): FileMap {
  if (files['run.json']) return files;
  const roots = Object.keys(files).filter((k) => k.endsWith('/run.json'));
  if (roots.length !== 1) return files;
  const prefix = roots[0]!.slice(0, -'run.json'.length);
  if (!Object.keys(files).every((k) => k.startsWith(prefix))) return files;
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k.slice(prefix.length), v]));
}

export async function run(argv: string[], out: (line: string) => void): Promise<void> {
  const { values } = parseFlags('import', argv, { file: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
  if (values.file === undefined) throw new UsageError('import: --file FILE.tar is required (a run exported by the lab or by export)');
  if (values.out === undefined) throw new UsageError('import: --out DIR is required (a new or empty folder)');
  const file = String(values.file);
  const dir = String(values.out);
  let bytes: Uint8Array;
  try {
    const data = await readFile(file);
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`import: cannot read --file ${file} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder' : String(code)})`);
  }
  const target = await stat(dir).catch(() => undefined);
  if (target && !target.isDirectory()) throw new UsageError(`import: --out ${dir} is a file; name a new or empty folder`);
  if (target && (await readdir(dir)).length > 0) throw new UsageError(`import: --out ${dir} is not empty; name a new or empty folder`);

  // Everything is validated before anything is written.
  const parsed = runFromFiles(atRoot(tarUnpack(bytes)));
  const files = runToFiles(parsed);

  // Written beside DIR, then renamed into place, so DIR is never half-written.
  const full = resolve(dir);
  await mkdir(dirname(full), { recursive: true });
  const tmp = join(dirname(full), `.${basename(full)}.import-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    await writeFileMap(tmp, files);
    if (target) await rmdir(full);
    await rename(tmp, full);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const counters = parsed.checkpoint?.counters;
  const report = { dir, name: parsed.run.name, files: Object.keys(files).length, iteration: counters?.iteration ?? null, trajectories: counters?.trajectories ?? null, metrics: parsed.metrics.length, episodes: parsed.episodes.length };
  if (values.json) out(JSON.stringify(report));
  else {
    out(`imported ${file} into ${dir}: run "${report.name}", ${counters ? `checkpoint at iteration ${counters.iteration} (${counters.trajectories} trajectories)` : 'no checkpoint'}, ${report.metrics} metrics rows, ${report.episodes} episodes`);
    if (counters) out(`resume it with: npm run cli -- train --out ${dir} [--iterations N]`);
  }
}
