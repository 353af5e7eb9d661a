/**
 * A typed test API on `window.archerLab`, for Playwright specs (and curious people in the console):
 * read the run's status and streamed metrics without scraping the page.
 */
import { useRunStore, type MetricsRow } from './train/run-store';
import type { RunStatus } from './clients/trainer-client';

export interface ArcherLabTestApi {
  status(): RunStatus;
  metrics(): MetricsRow[];
}

declare global {
  interface Window {
    archerLab?: ArcherLabTestApi;
  }
}

export function installTestApi(): void {
  window.archerLab = {
    status: () => useRunStore.getState().status,
    metrics: () => useRunStore.getState().rows,
  };
}
