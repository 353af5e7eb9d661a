import { describe, expect, it } from 'vitest';
import { UsageError } from '../args';
import { help, run } from './dry-run';

async function capture(argv: string[]): Promise<{ lines: string[]; errText: string }> {
  const lines: string[] = [];
  let errText = '';
  await run(argv, (l) => lines.push(l), (t) => (errText += t));
  return { lines, errText };
}

describe('dry-run command', () => {
  it('prints one JSON object with every intermediate as numbers and as printed strings', async () => {
    const { lines } = await capture(['--json']);
    expect(lines).toHaveLength(1);
    const obj = JSON.parse(lines[0]!) as {
      backend: string;
      matches: boolean;
      values: Record<string, number>;
      printed: Record<string, string>;
      input: Record<string, unknown>;
    };
    expect(obj.backend).toBe('cpu');
    expect(obj.matches).toBe(true);
    expect(obj.printed).toMatchObject({
      qTarget1: '-0.685',
      qTarget2: '-0.640',
      lossQ1: '0.874',
      lossQ2: '0.884',
      lossV1: '0.090',
      lossV2: '0.090',
      total: '1.938',
      advantage: '0.100',
      logProb: '-2.300',
      pgLoss: '0.230',
    });
    for (const [k, v] of Object.entries(obj.values)) {
      expect(typeof v).toBe('number');
      expect(v.toFixed(3)).toBe(obj.printed[k]);
    }
    expect(Object.keys(obj.values)).toEqual(
      expect.arrayContaining(['qTarget1', 'qTarget2', 'vTarget1', 'vTarget2', 'lossQ1', 'lossQ2', 'lossV1', 'lossV2', 'total', 'advantage', 'logProb', 'pgLoss']),
    );
    expect(obj.input.reward).toBe(-1);
  });

  it('prints a readable table with a formula per line', async () => {
    const { lines } = await capture([]);
    const text = lines.join('\n');
    expect(text).toMatch(/Q1 target\s+-0\.685\s+= r \+ gamma \(1 - done\) Vbar1\(s'\)/);
    expect(text).toMatch(/critic loss\s+1\.938\s+= loss Q1 \+ loss Q2 \+ loss V1 \+ loss V2/);
    expect(text).toMatch(/advantage\s+0\.100\s+= min\(Q1, Q2\)\(s, a_pi\) - min\(V1, V2\)\(s\)/);
    expect(text).toMatch(/pg loss\s+0\.230\s+= -mean/);
    expect(text).toMatch(/all values match the write-up/);
    expect(text).not.toMatch(/MISMATCH|expected/);
  });

  it('rejects unknown flags and positionals with a UsageError', async () => {
    await expect(capture(['--bogus'])).rejects.toBeInstanceOf(UsageError);
    await expect(capture(['extra'])).rejects.toBeInstanceOf(UsageError);
  });

  it('has help text naming the command and its flag', () => {
    expect(help).toMatch(/^dry-run \[--json\]/);
  });
});
