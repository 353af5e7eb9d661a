/** The settings slice: the config the run uses, read from the URL hash at start. */
import { create } from 'zustand';
import type { Config } from '../../core/config';
import { labConfigFromHash, labConfigToHash, labDefaults } from './lab-config';

export interface SettingsSlice {
  config: Config;
  /** Why the link's settings could not be used (they were replaced by the defaults). */
  hashError?: string;
  apply(config: Config): void;
}

function fromLocation(): { config: Config; hashError?: string } {
  try {
    return { config: labConfigFromHash(window.location.hash) };
  } catch (e) {
    return { config: labDefaults(), hashError: e instanceof Error ? e.message : String(e) };
  }
}

export const useSettingsStore = create<SettingsSlice>((set) => ({
  ...fromLocation(),
  apply: (config) => {
    const hash = labConfigToHash(config);
    window.history.replaceState(null, '', hash ? `#${hash}` : window.location.pathname + window.location.search);
    set({ config, hashError: undefined });
  },
}));
