/**
 * archer-lab's command line: `npm run cli -- <command> [flags]`.
 * Exit codes: 0 success, 1 a failure while running, 2 bad usage (unknown command or flag, bad value).
 */
import { UsageError } from './args';
import { CheckpointFormatError } from '../storage/checkpoint-files';
import { TarFormatError } from '../storage/tar';
import * as bench from './commands/bench';
import * as chart from './commands/chart';
import * as dryRun from './commands/dry-run';
import * as envInfo from './commands/env-info';
import * as evalCmd from './commands/eval';
import * as exportCmd from './commands/export';
import * as importCmd from './commands/import';
import * as play from './commands/play';
import * as pretrain from './commands/pretrain';
import * as train from './commands/train';

interface Command {
  help: string;
  run(argv: string[], out: (line: string) => void, err: (text: string) => void): void | Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  bench,
  chart,
  'env-info': envInfo,
  'dry-run': dryRun,
  eval: evalCmd,
  play,
  pretrain,
  train,
  export: exportCmd,
  import: importCmd,
};

function usage(): string {
  return [
    'usage: npm run cli -- <command> [flags]',
    '',
    ...Object.values(COMMANDS).map((c) => c.help),
    '',
    'help [command]   shows this text, or one command\'s',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const err = (text: string): void => void process.stderr.write(text);
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] ? COMMANDS[rest[0]] : undefined;
    out(topic ? topic.help : usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')} (npm run cli -- help)\n`);
    return 2;
  }
  try {
    await command.run(rest, out, err);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${e.message}\n`);
      return 2;
    }
    // A run file that is not one, or is damaged: the message names the file; no stack needed.
    if (e instanceof CheckpointFormatError || e instanceof TarFormatError) {
      err(`${name} failed: ${e.message}\n`);
      return 1;
    }
    err(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

// Output piped into `head` and closed early is not a failure of the command.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const entry = process.argv[1] ?? '';
if (entry.endsWith('main.ts')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
