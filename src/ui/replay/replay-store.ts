/** The replay slice: the episodes the trainer streamed back, with the critic's values per question. */
import { create } from 'zustand';
import type { ReplayEpisode } from '../../core/rollout/replay-episodes';

export interface ReplaySlice {
  /** Iteration of `latest` (0 before the first one). */
  iteration: number;
  /** The episodes of the latest iteration's rollout. */
  latest: ReplayEpisode[];
  /** Best and worst episodes of the run so far (by return). */
  best?: ReplayEpisode;
  worst?: ReplayEpisode;
  setEpisodes(e: { iteration: number; latest: ReplayEpisode[]; best?: ReplayEpisode; worst?: ReplayEpisode }): void;
  reset(): void;
}

export const useReplayStore = create<ReplaySlice>((set) => ({
  iteration: 0,
  latest: [],
  setEpisodes: ({ iteration, latest, best, worst }) => set({ iteration, latest, best, worst }),
  reset: () => set({ iteration: 0, latest: [], best: undefined, worst: undefined }),
}));
