import { commands } from '../../commands';
import { setTitle } from '../../state/project-actions';
import { useStudio } from '../../state/studio-state';
import { JobsArea } from '../jobs/JobsArea';

function SaveState() {
  const projectId = useStudio((s) => s.projectId);
  const dirty = useStudio((s) => s.dirty);
  const saving = useStudio((s) => s.saving);
  const savedAt = useStudio((s) => s.savedAt);
  let text = 'Not saved yet';
  if (saving) text = 'Saving…';
  else if (projectId && dirty) text = 'Edited';
  else if (projectId && savedAt)
    text = `Saved ${new Date(savedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  return (
    <span
      className="save-state muted"
      data-testid="save-state"
      title={projectId ? `Project folder: ${projectId}` : undefined}
    >
      {text}
    </span>
  );
}

/** App name, episode title, New / Open / Save, and the job area. */
export function TopBar() {
  const title = useStudio((s) => s.episode.title);
  const category = useStudio((s) => s.episode.category);
  const saving = useStudio((s) => s.saving);
  return (
    <header className="topbar">
      <div className="brand" aria-label="Goose Pod Studio">
        <span className="brand-mark" aria-hidden>
          ◖◗
        </span>
        <span className="brand-name">Goose Pod Studio</span>
      </div>
      <input
        className="title-input"
        data-testid="project-title"
        aria-label="Episode title"
        value={title}
        maxLength={500}
        onChange={(e) => setTitle(e.target.value)}
      />
      {category && <span className="badge">{category}</span>}
      <SaveState />
      <div className="row gap-s">
        <button className="btn" data-testid="new-project" onClick={() => void commands.newProject.perform()}>
          New
        </button>
        <button
          className="btn"
          data-testid="open-project"
          onClick={() => void commands.openProject.perform()}
        >
          Open…
        </button>
        <button
          className="btn"
          data-testid="save-project"
          disabled={saving}
          title="Save (Ctrl+S)"
          onClick={() => void commands.save.perform()}
        >
          Save
        </button>
      </div>
      <JobsArea />
    </header>
  );
}
