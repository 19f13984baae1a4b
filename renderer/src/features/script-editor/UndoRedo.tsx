import { commands, shortcutLabel } from '../../commands';
import { redoLabel, undoLabel, useHistory } from '../../state/history-actions';

/**
 * Undo and Redo for the episode's one history (script edits and voice actions), each telling
 * what it would take back or do again ("Undo pin take #2 on line 12").
 */
export function UndoRedo() {
  const undo = useHistory(undoLabel);
  const redo = useHistory(redoLabel);
  const busy = useHistory((s) => s.busy);
  const undoKeys = shortcutLabel(commands.undo.keybinding);
  const redoKeys = [commands.redo.keybinding, ...(commands.redo.moreKeybindings ?? [])]
    .map(shortcutLabel)
    .join(' or ');
  return (
    <span className="undo-redo">
      <button
        className="btn small icon"
        data-testid="undo-button"
        disabled={!undo || busy}
        aria-label={undo ? `Undo ${undo}` : 'Nothing to undo'}
        title={undo ? `Undo ${undo} (${undoKeys})` : 'Nothing to undo'}
        onClick={() => void commands.undo.perform()}
      >
        ↶
      </button>
      <button
        className="btn small icon"
        data-testid="redo-button"
        disabled={!redo || busy}
        aria-label={redo ? `Redo ${redo}` : 'Nothing to redo'}
        title={redo ? `Redo ${redo} (${redoKeys})` : 'Nothing to redo'}
        onClick={() => void commands.redo.perform()}
      >
        ↷
      </button>
      <span className="undo-hint muted" data-testid="undo-hint" title={undo ? `Ctrl+Z: undo ${undo}` : ''}>
        {busy ? 'Undoing…' : undo ? `Undo ${undo}` : ''}
      </span>
    </span>
  );
}
