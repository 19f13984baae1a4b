/**
 * Loads the Monaco core plus its editor contributions (not the 17 MB all-languages entry) and
 * wires the editor worker. Import `monaco` from here so the setup runs exactly once.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
