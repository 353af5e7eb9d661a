/**
 * The built lab in headless Chromium, for the benches that measure it there: builds dist/ when it
 * is missing, serves it with `vite preview` and launches Debian's Chromium (CHROMIUM_PATH, default
 * /usr/lib/chromium/chromium) with WebGPU allowed. Both are closed when `use` ends.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright';

export async function withBuiltApp<T>(err: (text: string) => void, use: (url: string, browser: Browser) => Promise<T>): Promise<T> {
  const vite = await import('vite');
  if (!existsSync(join('dist', 'index.html'))) {
    err('building the app (dist/ is missing)\n');
    await vite.build({ logLevel: 'warn' });
  }
  const server = await vite.preview({ preview: { port: 4391, strictPort: false, host: 'localhost' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0] ?? 'http://localhost:4391/';
  try {
    const { chromium } = await import('playwright');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
      args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'],
    });
    try {
      return await use(url, browser);
    } finally {
      await browser.close();
    }
  } finally {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
