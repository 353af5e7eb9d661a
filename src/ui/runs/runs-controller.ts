/** The run list's actions, through the trainer worker (which owns the IndexedDB connection). */
import * as Comlink from 'comlink';
import { trainerWorker } from '../clients/trainer-client';
import { useRunsStore } from './runs-store';
import { useSettingsStore } from '../train/settings-store';
import { attachRun } from '../train/run-controller';

function fail(e: unknown): false {
  useRunsStore.getState().set({ error: e instanceof Error ? e.message : String(e), busy: undefined });
  return false;
}

export async function refreshRuns(): Promise<void> {
  try {
    const { runs, activeId, usage } = await trainerWorker().listRuns();
    useRunsStore.getState().set({ runs, activeId, usage });
  } catch (e) {
    fail(e);
  }
}

export async function resumeRun(id: string): Promise<void> {
  useRunsStore.getState().set({ error: undefined });
  await attachRun({ resume: id });
  await refreshRuns();
}

export async function renameRun(id: string, name: string): Promise<boolean> {
  try {
    await trainerWorker().renameRun(id, name);
    useRunsStore.getState().set({ error: undefined });
    await refreshRuns();
    return true;
  } catch (e) {
    return fail(e);
  }
}

export async function deleteRun(id: string): Promise<void> {
  try {
    await trainerWorker().deleteRun(id);
    useRunsStore.getState().set({ error: undefined });
  } catch (e) {
    fail(e);
  }
  await refreshRuns();
}

/** A copy of the run (checkpoint, metrics, episodes) that continues under the current settings. */
export async function duplicateRun(id: string): Promise<void> {
  try {
    useRunsStore.getState().set({ error: undefined });
    const newId = await trainerWorker().duplicateRun(id, useSettingsStore.getState().config);
    await attachRun({ resume: newId });
  } catch (e) {
    fail(e);
  }
  await refreshRuns();
}

export async function runMetrics(id: string): Promise<Record<string, number>[]> {
  return trainerWorker().runMetrics(id);
}

/** Downloads the run as one .tar file (the same layout as a command-line run folder). */
export async function exportRun(id: string): Promise<void> {
  try {
    useRunsStore.getState().set({ busy: 'exporting…', error: undefined });
    const { name, bytes } = await trainerWorker().exportRun(id);
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/x-tar' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name.replace(/[^\w.-]+/g, '_')}.archer-run.tar`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
    useRunsStore.getState().set({ busy: undefined });
  } catch (e) {
    fail(e);
  }
}

/** Reads a run file, has the worker check it fully, then stores and resumes it. */
export async function importRun(file: File): Promise<void> {
  try {
    useRunsStore.getState().set({ busy: `importing ${file.name}…`, error: undefined });
    const buffer = await file.arrayBuffer();
    const id = await trainerWorker().importRun(Comlink.transfer(buffer, [buffer]), file.name);
    useRunsStore.getState().set({ busy: undefined });
    await attachRun({ resume: id });
  } catch (e) {
    fail(e);
  }
  await refreshRuns();
}
