/** The runs slice: the runs saved in this browser, which one is active, and storage use. */
import { create } from 'zustand';

import type { RunSummary } from '../../../workers/run-persistence';

export type { RunSummary };

export interface RunsSlice {
  runs: RunSummary[];
  activeId?: string;
  usage?: { usage?: number; quota?: number };
  /** The last storage problem (quota, corrupt record, a file that is not a run): shown until the next success. */
  error?: string;
  /** What a slow action is doing (export, import). */
  busy?: string;
  set(patch: Partial<Omit<RunsSlice, 'set'>>): void;
}

export const useRunsStore = create<RunsSlice>((set) => ({
  runs: [],
  set: (patch) => set(patch),
}));
