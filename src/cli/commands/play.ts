import { createInterface } from 'node:readline';
import { choiceFlag, intFlag, parseFlags, UsageError } from '../args';
import { findObject } from '../../core/envs/twenty-questions/kb';
import { SUBSETS, TwentyQuestionsEnv, type Subset } from '../../core/envs/twenty-questions/env';

export const help = `play --env twenty-questions [--subset full|subset10|archer10|archer157] [--seed S] [--object NAME]
  You ask, the oracle answers: guess the hidden object in at most 20 questions. --object hides that
  object (a name or alias of the list; an unknown one is refused with the valid names).
  Type "help" for example questions, "quit" to give up.`;

const EXAMPLES = [
  'Is it alive?', 'Is it a fruit?', 'Does it have wheels?', 'Can it fly?', 'Is it made of metal?',
  'Is it bigger than a car?', 'Is it found in a kitchen?', 'Is it used for cooking?', 'Can you eat it?', 'Is it a banana?',
];

export async function run(argv: string[], out: (line: string) => void): Promise<void> {
  const { values } = parseFlags('play', argv, { env: { type: 'string' }, subset: { type: 'string' }, seed: { type: 'string' }, object: { type: 'string' } });
  choiceFlag('play', 'env', values.env, ['twenty-questions'] as const, 'twenty-questions');
  const subset = choiceFlag<Subset>('play', 'subset', values.subset, SUBSETS, 'full');
  const seed = intFlag('play', 'seed', values.seed, Math.floor(Math.random() * 2 ** 31), 0, 2 ** 31 - 1);
  const env = new TwentyQuestionsEnv({ subset });
  if (typeof values.object === 'string') {
    const index = findObject(env.kb, values.object);
    if (index === undefined) throw new UsageError(`play: --object "${values.object}" is not in the ${subset} list (valid: ${env.kb.objects.map((o) => o.name).join(', ')})`);
    env.resetTo(index);
  } else {
    env.reset(seed);
  }
  out(`I am thinking of one of ${env.kb.objects.length} objects. Ask yes/no questions (e.g. "${EXAMPLES[0]}"); "help" for more, "quit" to give up.`);

  const rl = createInterface({ input: process.stdin, terminal: Boolean(process.stdin.isTTY) });
  const prompt = (turn: number): void => {
    if (process.stdin.isTTY) process.stdout.write(`Q${turn}> `);
  };
  let turn = 1;
  let total = 0;
  let finished = false;
  prompt(turn);
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '') {
      prompt(turn);
      continue;
    }
    if (line === 'quit' || line === 'exit') break;
    if (line === 'help') {
      out(`Questions the oracle understands, for example:\n  ${EXAMPLES.join('\n  ')}`);
      prompt(turn);
      continue;
    }
    const r = env.step(line);
    total += r.reward;
    out(`${r.info.answer}`);
    if (r.terminated || r.truncated) {
      finished = true;
      out(r.terminated
        ? `You got it in ${r.info.turn} question${r.info.turn === 1 ? '' : 's'}: ${r.info.target}. Return ${total}.`
        : `Out of questions. It was: ${r.info.target}. Return ${total}.`);
      break;
    }
    turn += 1;
    prompt(turn);
  }
  rl.close();
  if (!finished) out(`It was: ${env.targetName}.`);
}
