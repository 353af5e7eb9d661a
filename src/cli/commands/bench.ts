/**
 * `bench`: the benchmarks. `bench sample-efficiency` compares the algorithms' learning per
 * trajectory; `bench throughput` times the hot path per backend (Node and Chromium); `bench critic-fit`
 * measures how well ArCHer's critic alone learns from a fixed data set; `bench lab-run` times the
 * lab's own run in Chromium from Start to Pause and evaluates what it learned. Plain `bench`
 * is `bench throughput` in Node only (cpu and wasm), the quick look.
 */
import * as criticFit from './bench-critic-fit';
import * as sampleEfficiency from './bench-sample-efficiency';
import * as throughput from './bench-throughput';
import * as labRun from './bench-lab-run';

export const help = `bench [sample-efficiency|throughput|critic-fit|lab-run] [flags]
  Plain \`bench\` runs \`bench throughput --browser none\` (Node's cpu and wasm only).
${sampleEfficiency.help}
${throughput.help}
${criticFit.help}
${labRun.help}`;

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  if (argv[0] === 'sample-efficiency') return sampleEfficiency.run(argv.slice(1), out, err);
  if (argv[0] === 'throughput') return throughput.run(argv.slice(1), out, err);
  if (argv[0] === 'critic-fit') return criticFit.run(argv.slice(1), out, err);
  if (argv[0] === 'lab-run') return labRun.run(argv.slice(1), out, err);
  return throughput.run(['--browser', 'none', ...argv], out, err);
}
