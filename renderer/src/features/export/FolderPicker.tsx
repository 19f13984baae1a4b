import { useEffect, useState } from 'react';
import type { ExportFolder, FolderListing } from '@shared/contract';
import { errorMessage, getStudio } from '../../transport/studio-client';

/**
 * Where the export goes: the project's `exports/` or a granted folder. "Choose folder…" opens the
 * native dialog (Electron) or, in the browser, a small folder browser served by the back end
 * (sub-folders, Up, New folder, Use this folder). Only folder names and opaque ids cross to the
 * back end, never paths.
 */
export function FolderPicker({
  folder,
  onChange,
}: {
  folder: ExportFolder | null;
  onChange: (folder: ExportFolder | null) => void;
}) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // A remembered folder the back end no longer grants (removed, another server) is dropped.
  useEffect(() => {
    if (!folder) return;
    let live = true;
    getStudio()
      .exportFolders({})
      .then(({ folders }) => {
        if (live && !folders.some((f) => f.folderId === folder.folderId)) {
          onChange(null);
          setError(`${folder.displayPath} is no longer available; exports go to the project again.`);
        }
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // Checked once per folder, not on every render of the dialog.
  }, [folder?.folderId]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const choose = () =>
    run(async () => {
      const { native, browser } = await getStudio().exportFolders({});
      if (native) {
        const { folder: granted } = await getStudio().exportFolderGrant({});
        if (granted) onChange(granted);
      } else if (browser) {
        setListing(await getStudio().exportFolderBrowse({ segments: [] }));
      } else {
        setError('This studio cannot export outside the project.');
      }
    });
  const open = (segments: string[]) =>
    run(async () => setListing(await getStudio().exportFolderBrowse({ segments })));
  const create = () =>
    run(async () => {
      setListing(await getStudio().exportFolderCreate({ segments: listing!.segments, name: newName }));
      setNewName('');
    });
  const use = () =>
    run(async () => {
      const { folder: granted } = await getStudio().exportFolderGrant({ segments: listing!.segments });
      if (granted) onChange(granted);
      setListing(null);
    });

  return (
    <div className="export-folder" data-testid="export-folder">
      <div className="export-row">
        <span>
          Save to{' '}
          <b data-testid="export-folder-path">
            {folder ? folder.displayPath : 'the project’s exports/ folder'}
          </b>
        </span>
        <button
          className="btn tiny"
          data-testid="export-folder-choose"
          disabled={busy}
          onClick={() => void choose()}
        >
          Choose folder…
        </button>
        {folder && (
          <button className="btn tiny ghost" data-testid="export-folder-reset" onClick={() => onChange(null)}>
            Use the project folder
          </button>
        )}
      </div>
      {error && (
        <p className="error-text" data-testid="export-folder-error">
          {error}
        </p>
      )}
      {listing && (
        <div className="folder-browser" data-testid="folder-browser" data-path={listing.displayPath}>
          <div className="folder-browser-head">
            <button
              className="btn tiny"
              data-testid="folder-up"
              disabled={busy || listing.segments.length === 0}
              onClick={() => void open(listing.segments.slice(0, -1))}
            >
              ↑ Up
            </button>
            <code className="folder-browser-path">{listing.displayPath}</code>
          </div>
          <ul className="folder-browser-list">
            {listing.folders.length === 0 && <li className="muted">No folders here</li>}
            {listing.folders.map((f) => (
              <li key={f.name}>
                <button
                  className="folder-entry"
                  data-testid="folder-entry"
                  data-name={f.name}
                  disabled={busy}
                  onClick={() => void open([...listing.segments, f.name])}
                >
                  📁 {f.name}
                </button>
              </li>
            ))}
          </ul>
          <div className="folder-browser-actions">
            <input
              data-testid="folder-new-name"
              placeholder="New folder name"
              value={newName}
              onChange={(e) => setNewName(e.target.value)}
            />
            <button
              className="btn tiny"
              data-testid="folder-create"
              disabled={busy || !newName.trim()}
              onClick={() => void create()}
            >
              New folder
            </button>
            <span className="spacer" />
            <button className="btn tiny ghost" onClick={() => setListing(null)}>
              Cancel
            </button>
            <button
              className="btn tiny primary"
              data-testid="folder-use"
              disabled={busy}
              onClick={() => void use()}
            >
              Use this folder
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
