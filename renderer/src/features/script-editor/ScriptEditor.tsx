import { useEffect, useRef, useState } from 'react';
import { PartialPrompt } from '../draft/PartialPrompt';
import type { ScriptEditorController } from './script-editor-controller';

/**
 * The Monaco script editor. Monaco is loaded on demand (its own chunk) so the studio shell paints
 * at once; all behaviour lives in the controller.
 */
export function ScriptEditor() {
  const hostRef = useRef<HTMLDivElement>(null);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let controller: ScriptEditorController | null = null;
    let disposed = false;
    import('./script-editor-controller').then(
      (m) => {
        if (disposed) return;
        controller = m.createScriptEditorController(hostRef.current!);
        setLoaded(true);
      },
      (err: unknown) => setFailed(String(err)),
    );
    return () => {
      disposed = true;
      controller?.dispose();
    };
  }, []);
  return (
    // `monaco-component` scopes the theme's CSS variables here, so the context menu (rendered in a
    // shadow root beside the editor) inherits its colours.
    <div
      className="script-editor monaco-component"
      data-testid="script-editor"
      data-ready={loaded}
      ref={hostRef}
    >
      {!loaded && (
        <div className="editor-loading muted">
          {failed ? `The editor failed to load: ${failed}` : 'Loading editor…'}
        </div>
      )}
      {/* Beside Monaco's own DOM, so its keybindings never see the prompt's keystrokes. */}
      {loaded && <PartialPrompt />}
    </div>
  );
}
