/**
 * The export dialog's own state (open, the job it started) and its actions: a single export goes
 * through `startExport`, a per-listener batch through `exportBatch`; both are ordinary export jobs
 * in the job area (progress, Cancel).
 */
import { createStore, useStore } from '../../state/store';
import { ensureProject, saveNow } from '../../state/project-actions';
import { registerJob, startExport } from '../../state/job-actions';
import { showError, studio } from '../../state/studio-state';
import { errorMessage, getStudio } from '../../transport/studio-client';
import { requestOptions, saveChoices, type ExportChoices } from './export-options';

export interface ExportUiState {
  open: boolean;
  /** The job the dialog started last (its progress and result are shown). */
  jobId: string | null;
  mode: 'single' | 'batch';
  starting: boolean;
}

export const exportUi = createStore<ExportUiState>({
  open: false,
  jobId: null,
  mode: 'single',
  starting: false,
});

export function useExportUi<S>(selector: (s: ExportUiState) => S): S {
  return useStore(exportUi, selector);
}

export function openExportDialog(): void {
  exportUi.set({ open: true });
}

export function closeExportDialog(): void {
  exportUi.set({ open: false });
}

/** Starts one export with the dialog's choices (and remembers them). */
export async function exportWithChoices(choices: ExportChoices): Promise<void> {
  saveChoices(choices);
  exportUi.set({ starting: true, mode: 'single', jobId: null });
  await startExport(requestOptions(choices), (jobId) => exportUi.set({ jobId }));
  exportUi.set({ starting: false });
}

/** Starts one export per listener as one job (only lines naming the listener are re-voiced). */
export async function exportForListeners(choices: ExportChoices, listeners: string[]): Promise<void> {
  saveChoices(choices);
  if (listeners.length === 0) {
    showError('Type at least one listener name (one per line) or open a CSV file.');
    return;
  }
  exportUi.set({ starting: true, mode: 'batch', jobId: null });
  try {
    const projectId = await ensureProject();
    await saveNow();
    const { episode } = studio.get();
    const { jobId } = await getStudio().exportBatch({
      projectId,
      episode,
      listeners,
      ...requestOptions(choices),
    });
    registerJob(jobId, { kind: 'export' });
    exportUi.set({ jobId });
  } catch (err) {
    showError(`Could not start the batch export: ${errorMessage(err)}`, (err as { code?: string }).code);
  } finally {
    exportUi.set({ starting: false });
  }
}
