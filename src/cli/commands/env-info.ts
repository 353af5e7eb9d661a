import { choiceFlag, intFlag, parseFlags } from '../args';
import { describeTwentyQuestions } from '../../core/envs/twenty-questions/describe';
import { SUBSETS, type Subset } from '../../core/envs/twenty-questions/env';

export const help = `env-info --env twenty-questions [--subset full|subset10|archer10|archer157] [--max-turns N] [--json]
  Describes an environment: for Twenty Questions the knowledge base (objects, categories,
  attributes, whether every object's attribute vector is unique) and optimalBound, the exact
  expected return of the expert's greedy information-gain tree.`;

export function run(argv: string[], out: (line: string) => void): void {
  const { values } = parseFlags('env-info', argv, {
    env: { type: 'string' },
    subset: { type: 'string' },
    'max-turns': { type: 'string' },
    json: { type: 'boolean' },
  });
  choiceFlag('env-info', 'env', values.env, ['twenty-questions'] as const, 'twenty-questions');
  const subset = choiceFlag<Subset>('env-info', 'subset', values.subset, SUBSETS, 'full');
  const maxTurns = intFlag('env-info', 'max-turns', values['max-turns'], 20, 1, 50);
  const info = describeTwentyQuestions(subset, maxTurns);
  if (values.json) {
    out(JSON.stringify(info));
    return;
  }
  out(`Twenty Questions (${subset}): ${info.objects} objects in ${info.categories} categories, ${info.attributes} attributes`);
  out(`  every attribute vector unique: ${info.uniqueVectors ? 'yes' : 'NO'}`);
  out(`  optimalBound (expert tree, exact): ${info.optimalBound.toFixed(3)}  mean turns ${info.meanTurns.toFixed(2)}, longest game ${info.maxTurnsUsed}`);
  out(`  log2(objects) = ${info.log2Objects.toFixed(2)} questions is the information floor`);
}
