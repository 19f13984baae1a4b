import { useEffect, useRef } from 'react';
import { createScriptEditorController } from './script-editor-controller';

/** The Monaco script editor; all behaviour lives in the controller. */
export function ScriptEditor() {
  const hostRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const controller = createScriptEditorController(hostRef.current!);
    return () => controller.dispose();
  }, []);
  return <div className="script-editor" data-testid="script-editor" ref={hostRef} />;
}
