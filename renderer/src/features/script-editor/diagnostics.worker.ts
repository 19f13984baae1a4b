/** Computes the script editor's diagnostics off the UI thread (long scripts). */
import {
  createGroundingCache,
  editorDiagnostics,
  type EditorDiagnosticsInput,
} from '@shared/script/diagnostics';
import type { DiagnosticsReply, DiagnosticsRequest } from './diagnostics-runner';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<DiagnosticsRequest>) => void) | null;
  postMessage(message: DiagnosticsReply): void;
};

// The article rarely changes; it is sent once and kept here.
let articleText = '';
const cache = createGroundingCache();

scope.onmessage = (e) => {
  const { seq, text, personaNames } = e.data;
  if (e.data.articleText !== undefined) articleText = e.data.articleText;
  const input: EditorDiagnosticsInput = { text, personaNames, articleText };
  scope.postMessage({ seq, diagnostics: editorDiagnostics(input, cache) });
};
