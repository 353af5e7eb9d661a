import { defineConfig } from '@playwright/test';

/** Debian's Chromium (apt-get install -y chromium): Playwright cannot download a browser here. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const PORT = Number(process.env.E2E_PORT ?? 4173);
export const BASE_URL = `http://localhost:${PORT}`;
export const DEV_PORT = Number(process.env.E2E_DEV_PORT ?? 5174);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '.results/artifacts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['json', { outputFile: '.results/report.json' }]],
  use: {
    baseURL: BASE_URL,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', testIgnore: 'webgpu.spec.ts' },
    // The one flag WebGPU needs; the adapter is SwiftShader here (DESIGN.md).
    { name: 'webgpu', testMatch: 'webgpu.spec.ts', use: { launchOptions: { executablePath, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] } } },
  ],
  webServer: [
    {
      command: `npx vite preview --port ${PORT} --strictPort`,
      cwd: '..',
      url: `http://localhost:${PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // `npm run dev`'s server, for the spec that checks the development set-up opens the lab too.
      command: `npx vite --port ${DEV_PORT} --strictPort`,
      cwd: '..',
      url: `http://localhost:${DEV_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
