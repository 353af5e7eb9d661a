/** The run slice of the lab's state: the trainer's status and the metrics it has streamed. */
import { create } from 'zustand';
import type { RunStatus } from '../clients/trainer-client';

export type MetricsRow = Record<string, number>;

export interface RunSlice {
  status: RunStatus;
  rows: MetricsRow[];
  setStatus(status: RunStatus): void;
  addRow(row: MetricsRow): void;
  reset(): void;
}

const IDLE: RunStatus = { state: 'idle', iteration: 0, trajectories: 0, elapsedMs: 0 };

export const useRunStore = create<RunSlice>((set) => ({
  status: IDLE,
  rows: [],
  setStatus: (status) => set({ status }),
  addRow: (row) => set((s) => ({ rows: [...s.rows, row] })),
  reset: () => set({ status: IDLE, rows: [] }),
}));
