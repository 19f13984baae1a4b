import { commands, shortcutLabel, type Command } from '../../commands';
import { redoLabel, undoLabel, useHistory } from '../../state/history-actions';

/**
 * Undo and Redo for the episode's one history (script edits and voice actions), each telling
 * what it would take back or do again ("Undo pin take #2 on line 12").
 */
export function UndoRedo() {
  const undo = useHistory(undoLabel);
  const redo = useHistory(redoLabel);
  const busy = useHistory((s) => s.busy);
  const keys = (c: Command) =>
    [c.keybinding, ...(c.moreKeybindings ?? [])].filter(Boolean).map(shortcutLabel).join(' or ');
  const buttons = [
    { verb: 'Undo', what: undo, command: commands.undo, icon: '↶' },
    { verb: 'Redo', what: redo, command: commands.redo, icon: '↷' },
  ];
  return (
    <span className="undo-redo">
      {buttons.map(({ verb, what, command, icon }) => (
        <button
          key={verb}
          className="btn small icon"
          data-testid={`${verb.toLowerCase()}-button`}
          disabled={!what || busy}
          aria-label={what ? `${verb} ${what}` : `Nothing to ${verb.toLowerCase()}`}
          title={what ? `${verb} ${what} (${keys(command)})` : `Nothing to ${verb.toLowerCase()}`}
          onClick={() => void command.perform()}
        >
          {icon}
        </button>
      ))}
      <span className="undo-hint muted" data-testid="undo-hint" title={undo ? `Ctrl+Z: undo ${undo}` : ''}>
        {busy ? 'Working…' : undo ? `Undo ${undo}` : ''}
      </span>
    </span>
  );
}
