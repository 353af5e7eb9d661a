import * as tf from '@tensorflow/tfjs';
import { parseFlags } from '../args';
import {
  WORKED_EXAMPLE_EXPECTED,
  WORKED_EXAMPLE_INPUT,
  WORKED_EXAMPLE_STEPS,
  computeWorkedExample,
  printWorkedExample,
  workedExampleMismatches,
} from '../../core/algos/archer/worked-example';
import { assertNoLeak } from '../../core/util/tf-memory';

export const help = `dry-run [--json]
  Runs ArCHer's real critic and actor losses (tfjs, cpu backend) on the hand-worked example
  (r = -1, gamma = 0.99, Q1/Q2 = 0.25/0.30, V1/V2 = 0.15/0.20, log pi = -2.3) and prints every
  intermediate with its formula; fails if any differs from the write-up's printed digits.
  --json prints one object: {input, values, printed, expected, matches, backend}.`;

export async function run(argv: string[], out: (line: string) => void, _err: (text: string) => void): Promise<void> {
  const { values } = parseFlags('dry-run', argv, { json: { type: 'boolean' } });
  await tf.setBackend('cpu');
  await tf.ready();
  const result = await assertNoLeak('dry-run worked example', () => computeWorkedExample(WORKED_EXAMPLE_INPUT));
  const printed = printWorkedExample(result);
  const mismatches = workedExampleMismatches(printed);

  if (values.json) {
    out(
      JSON.stringify({
        backend: tf.getBackend(),
        input: WORKED_EXAMPLE_INPUT,
        values: result,
        printed,
        expected: WORKED_EXAMPLE_EXPECTED,
        matches: mismatches.length === 0,
      }),
    );
  } else {
    const i = WORKED_EXAMPLE_INPUT;
    out(`ArCHer dry run: one critic + actor update on the worked example (tfjs backend: ${tf.getBackend()})`);
    out(`  inputs: r = ${i.reward}, gamma = ${i.gamma}, done = ${i.done}`);
    out(`          Q1(s,a) = ${i.q1}, Q2(s,a) = ${i.q2}, V1(s) = ${i.v1}, V2(s) = ${i.v2}`);
    out(`          Qbar1(s,a_pi) = ${i.qbar1Pi}, Qbar2(s,a_pi) = ${i.qbar2Pi}, online Q(s,a_pi) = ${i.q1Pi} / ${i.q2Pi}, log pi(a|s) = ${i.logProb}`);
    out('');
    const labelWidth = Math.max(...WORKED_EXAMPLE_STEPS.map((s) => s.label.length));
    const valueWidth = Math.max(...WORKED_EXAMPLE_STEPS.map((s) => printed[s.key].length));
    for (const step of WORKED_EXAMPLE_STEPS) {
      const flag = printed[step.key] === WORKED_EXAMPLE_EXPECTED[step.key] ? '' : `   <-- expected ${WORKED_EXAMPLE_EXPECTED[step.key]}`;
      out(`  ${step.label.padEnd(labelWidth)}  ${printed[step.key].padStart(valueWidth)}  = ${step.formula}${flag}`);
    }
    out('');
    out(mismatches.length === 0 ? '  all values match the write-up' : `  MISMATCH: ${mismatches.join(', ')}`);
  }
  if (mismatches.length > 0) {
    throw new Error(`dry-run: computed values differ from the worked example for ${mismatches.join(', ')}`);
  }
}
