import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const TSX = 'node_modules/.bin/tsx';

function cli(args: string[], input?: string) {
  const r = spawnSync(TSX, ['src/cli/main.ts', ...args], { encoding: 'utf8', input, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
}

describe('command line', () => {
  it('env-info --json describes the knowledge base', () => {
    const r = cli(['env-info', '--env', 'twenty-questions', '--json']);
    expect(r.code).toBe(0);
    const info = lastJson(r.stdout);
    expect(info.objects).toBeGreaterThanOrEqual(150);
    expect(info.categories).toBeGreaterThanOrEqual(12);
    expect(info.attributes).toBeGreaterThanOrEqual(30);
    expect(info.uniqueVectors).toBe(true);
    expect(info.optimalBound).toBeLessThan(0);
    expect(info.optimalBound).toBeGreaterThan(-20);
  });

  it('eval --json ends with one JSON object, and the expert is near its bound and far above random', () => {
    const expert = cli(['eval', '--env', 'twenty-questions', '--policy', 'expert', '--episodes', '100', '--seed', '3', '--json']);
    const random = cli(['eval', '--env', 'twenty-questions', '--policy', 'random', '--episodes', '100', '--seed', '3', '--json']);
    expect(expert.code).toBe(0);
    expect(random.code).toBe(0);
    const e = lastJson(expert.stdout);
    const r = lastJson(random.stdout);
    for (const key of ['meanReturn', 'successRate', 'meanTurns', 'invalidRate', 'optimalBound']) {
      expect(typeof e[key], key).toBe('number');
    }
    expect(Math.abs((e.meanReturn as number) - (e.optimalBound as number))).toBeLessThan(0.5);
    expect(e.meanReturn as number).toBeGreaterThan((r.meanReturn as number) + 5);
    expect(expert.stderr).toContain('100/100');
  });

  it('rejects bad flags with a clear message and exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['eval', '--policy', 'genius'], /--policy must be one of random, expert, noisy/],
      [['eval', '--policy', 'expert', '--episodes', 'many'], /--episodes must be a whole number/],
      [['eval', '--policy', 'expert', '--episodes', '0'], /--episodes must lie in/],
      [['eval', '--policy', 'expert', '--env', 'chess'], /--env must be one of twenty-questions/],
      [['eval'], /--policy is required/],
      [['eval', '--policy', 'expert', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['env-info', '--subset', 'tiny'], /--subset must be one of full, subset10, archer10, archer157, got "tiny"/],
      [['play', '--subset', 'archer10', '--object', 'harp'], /--object "harp" is not in the archer10 list \(valid: football, dog, banana, truck, pants, computer, piano, chair, pen, scissors\)/],
      [['fly-to-the-moon'], /unknown command "fly-to-the-moon"/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('play lets a person ask questions through standard input', () => {
    const r = cli(['play', '--env', 'twenty-questions', '--subset', 'subset10', '--seed', '5'], 'help\nIs it alive?\nwhat is it\nquit\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('one of 10 objects');
    expect(r.stdout).toContain('Does it have wheels?');
    expect(r.stdout).toMatch(/^(Yes|No)\.$/m);
    expect(r.stdout).toContain('Invalid Question.');
    expect(r.stdout).toMatch(/It was: \w/);
  });

  it('play --object hides the named word (any of its names): ArCHer\'s sea in four questions', () => {
    const r = cli(['play', '--subset', 'archer157', '--object', 'Seas'], 'Is it a body of water?\nIs it salty?\nIs it surrounded by land?\nIs it a sea?\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('one of 157 objects');
    expect(r.stdout).toContain('You got it in 4 questions: sea. Return -3.');
  });
});
