import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../transport/studio-client';
import { listProjects, openProject } from '../../state/project-actions';
import { setUi, useStudio } from '../../state/studio-state';

type Listed = Awaited<ReturnType<typeof listProjects>>;

/** Lists saved projects (newest first) and opens the chosen one. */
export function OpenDialog() {
  const open = useStudio((s) => s.ui.openDialog);
  const current = useStudio((s) => s.projectId);
  const [projects, setProjects] = useState<Listed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialogRef.current!;
    if (open && !d.open) {
      d.showModal();
      setProjects(null);
      setError(null);
      listProjects().then(setProjects, (err: unknown) => setError(errorMessage(err)));
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      data-testid="open-dialog"
      onClose={() => setUi({ openDialog: false })}
    >
      <header className="dialog-head">
        <h2>Open project</h2>
        <button className="btn tiny ghost" aria-label="Close" onClick={() => setUi({ openDialog: false })}>
          ×
        </button>
      </header>
      {error && <p className="error-text">{error}</p>}
      {!projects && !error && <p className="muted">Loading…</p>}
      {projects && projects.length === 0 && (
        <p className="muted">No saved projects yet. Draft a script and it is saved automatically.</p>
      )}
      {projects && projects.length > 0 && (
        <ul className="project-list">
          {projects.map((p) => (
            <li key={p.projectId}>
              <button
                className={`project-item ${p.projectId === current ? 'current' : ''}`}
                data-testid="project-item"
                onClick={() => void openProject(p.projectId)}
              >
                <span className="project-main">
                  <span className="project-title">{p.title || p.projectId}</span>
                  <span className="project-id muted">{p.projectId}</span>
                </span>
                <span className="project-date muted">
                  {new Date(p.updatedAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </dialog>
  );
}
