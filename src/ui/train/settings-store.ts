/** The settings slice: the config the run uses (read from the URL hash at start) and the chosen backend. */
import { create } from 'zustand';
import type { Config } from '../../core/config';
import { backendChoiceProblem, isBackendChoice, type BackendChoice } from '../../core/models/backend-choice';
import { labConfigFromHash, labConfigToHash, labDefaults } from './lab-config';

export interface SettingsSlice {
  config: Config;
  /** Why the link's settings could not be used (they were replaced by the defaults). */
  hashError?: string;
  /** tfjs backend for new runs: `auto` or one by name (also in the link as ?backend=). */
  backend: BackendChoice;
  apply(config: Config): void;
  setBackend(backend: BackendChoice): void;
}

function fromLocation(): { config: Config; hashError?: string; backend: BackendChoice } {
  const param = new URLSearchParams(window.location.search).get('backend') ?? 'auto';
  const backendError = backendChoiceProblem(param);
  const backend = isBackendChoice(param) ? param : 'auto';
  try {
    return { config: labConfigFromHash(window.location.hash), backend, hashError: backendError };
  } catch (e) {
    return { config: labDefaults(), backend, hashError: [e instanceof Error ? e.message : String(e), backendError].filter(Boolean).join('; ') };
  }
}

function writeUrl(config: Config, backend: BackendChoice): void {
  const hash = labConfigToHash(config);
  const params = new URLSearchParams(window.location.search);
  if (backend === 'auto') params.delete('backend');
  else params.set('backend', backend);
  const search = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}${hash ? `#${hash}` : ''}`);
}

export const useSettingsStore = create<SettingsSlice>((set, get) => ({
  ...fromLocation(),
  apply: (config) => {
    writeUrl(config, get().backend);
    set({ config, hashError: undefined });
  },
  setBackend: (backend) => {
    writeUrl(get().config, backend);
    set({ backend });
  },
}));
