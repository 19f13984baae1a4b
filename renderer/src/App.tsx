import { useEffect } from 'react';
import { commands, runMenuCommand } from './commands';
import { ArticlePanel } from './features/draft/ArticlePanel';
import { DraftButton } from './features/draft/DraftButton';
import { ShowPanel } from './features/draft/ShowPanel';
import { DrafterPanel } from './features/providers/DrafterPanel';
import { ExportFiles } from './features/export/ExportFiles';
import { ErrorBanner } from './features/project/ErrorBanner';
import { OpenDialog } from './features/project/OpenDialog';
import { TopBar } from './features/project/TopBar';
import { EditorEmptyState } from './features/script-editor/EditorEmptyState';
import { EditorToolbar } from './features/script-editor/EditorToolbar';
import { ScriptEditor } from './features/script-editor/ScriptEditor';
import { TimelinePanel } from './features/timeline/TimelinePanel';
import { TakesPanel } from './features/takes/TakesPanel';
import { HostsPanel } from './features/voices/HostsPanel';
import { PronunciationPanel } from './features/voices/PronunciationPanel';
import { VoiceAllConfirm } from './features/voices/VoiceCostMeter';
import { useStudio } from './state/studio-state';
import { handleVoiceProgress } from './state/voice-actions';
import { getStudio } from './transport/studio-client';

/** True inside the editor or a field with its own undo (inputs, text areas, editable text). */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('.monaco-editor')) return true;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/** True when a key press belongs to a text field, the editor or a focused control. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (isTextField(target)) return true;
  return target instanceof HTMLElement && /^(BUTTON|A)$/.test(target.tagName);
}

function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void commands.save.perform();
        return;
      }
      // Undo/redo outside the editor (after a click in the takes panel, say) walk the same
      // history; the editor binds its own keys, and text fields keep their native undo.
      const undoKey = (e.ctrlKey || e.metaKey) && !e.altKey && /^[zy]$/i.test(e.key);
      if (undoKey && !isTextField(e.target)) {
        e.preventDefault();
        const redo = e.key.toLowerCase() === 'y' || e.shiftKey;
        void (redo ? commands.redo : commands.undo).perform();
        return;
      }
      if (e.key === ' ' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
        e.preventDefault();
        void commands.playPause.perform();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  useGlobalShortcuts();
  // Per-line voice progress marks lines as rendering (never through handleVoiceLine).
  useEffect(() => getStudio().on('voiceProgress', handleVoiceProgress), []);
  // Application-menu items (Electron) run the registered commands, Undo/Redo included.
  useEffect(() => getStudio().on('menuCommand', runMenuCommand), []);
  const boot = useStudio((s) => s.boot);
  return (
    <div className="app" data-boot={boot}>
      <TopBar />
      <ErrorBanner />
      <div className="workspace">
        <aside className="sidebar">
          <div className="sidebar-scroll">
            <ArticlePanel />
            <ShowPanel />
            <PronunciationPanel />
            <HostsPanel />
            <DrafterPanel />
          </div>
          <DraftButton />
        </aside>
        <main className="centre">
          <EditorToolbar />
          <div className="editor-wrap">
            <ScriptEditor />
            <EditorEmptyState />
          </div>
          <TakesPanel />
          <ExportFiles />
        </main>
      </div>
      <TimelinePanel />
      <OpenDialog />
      <VoiceAllConfirm />
    </div>
  );
}
