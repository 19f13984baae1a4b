/**
 * Runs the editor diagnostics ({@link editorDiagnostics}, pure, in shared/) on the UI thread for
 * short scripts and in a Web Worker for long ones, so typing stays smooth. Requests are
 * coalesced: while one is computing only the newest pending one is kept, and only the newest
 * result is delivered.
 */
import {
  createGroundingCache,
  editorDiagnostics,
  type EditorDiagnosticsInput,
} from '@shared/script/diagnostics';
import type { ScriptDiagnostic } from '@shared/script/format';
import DiagnosticsWorker from './diagnostics.worker?worker';

/** Scripts with more editor lines than this are checked in the worker. */
export const WORKER_THRESHOLD_LINES = 500;

export interface DiagnosticsRequest {
  seq: number;
  text: string;
  personaNames: readonly string[];
  /** Sent only when it changed since the last request. */
  articleText?: string;
}

export interface DiagnosticsReply {
  seq: number;
  diagnostics: ScriptDiagnostic[];
}

export interface DiagnosticsRunner {
  /** Computes diagnostics for `input`; `deliver` gets them unless a newer request overtook it. */
  run(input: EditorDiagnosticsInput, lineCount: number): void;
  dispose(): void;
}

export function createDiagnosticsRunner(
  deliver: (diagnostics: ScriptDiagnostic[]) => void,
): DiagnosticsRunner {
  let seq = 0;
  let worker: Worker | null = null;
  let workerArticle: string | null = null;
  let inFlight = false;
  let pending: EditorDiagnosticsInput | null = null;
  let disposed = false;
  const cache = createGroundingCache();

  function post(input: EditorDiagnosticsInput): void {
    if (!worker) {
      worker = new DiagnosticsWorker();
      worker.onmessage = (e: MessageEvent<DiagnosticsReply>) => {
        inFlight = false;
        if (disposed) return;
        if (pending) {
          const next = pending;
          pending = null;
          post(next);
          return; // a newer text is on its way; this result is already out of date
        }
        if (e.data.seq === seq) deliver(e.data.diagnostics);
      };
      worker.onerror = () => {
        // Fall back to the UI thread rather than leave the producer without diagnostics.
        worker?.terminate();
        worker = null;
        workerArticle = null;
        inFlight = false;
        if (!disposed) deliver(editorDiagnostics(pending ?? input, cache));
        pending = null;
      };
    }
    const request: DiagnosticsRequest = { seq: ++seq, text: input.text, personaNames: input.personaNames };
    if (input.articleText !== workerArticle) {
      request.articleText = input.articleText;
      workerArticle = input.articleText;
    }
    inFlight = true;
    worker.postMessage(request);
  }

  return {
    run(input, lineCount) {
      if (disposed) return;
      if (lineCount <= WORKER_THRESHOLD_LINES) {
        seq++;
        pending = null;
        deliver(editorDiagnostics(input, cache));
        return;
      }
      if (inFlight) pending = input;
      else post(input);
    },
    dispose() {
      disposed = true;
      worker?.terminate();
      worker = null;
    },
  };
}
