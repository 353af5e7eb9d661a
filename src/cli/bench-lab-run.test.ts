import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (args: string[]) => spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'lab-run', ...args], { encoding: 'utf8' });

describe('bench lab-run (the Chromium run itself is e2e/bench-lab-run.spec.ts)', () => {
  it('refuses bad flags and settings before opening a browser', () => {
    expect(cli(['--minutes', '0']).stderr).toMatch(/--minutes must be a number in \(0, 600\], got "0"/);
    expect(cli(['--seeds', 'two']).stderr).toMatch(/--seeds must be a whole number/);
    expect(cli(['seed=4']).stderr).toMatch(/give no seed=/);
    const bad = cli(['algorithm.tau=7']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/algorithm\.tau/);
  });
});
