/**
 * The native "choose export folder" dialog, run in main. The renderer only ever receives the
 * opaque grant the back end makes of the chosen path (see services/export/export-folders.ts).
 */
import { dialog, type BrowserWindow } from 'electron';

/** A `chooseFolder` for the back end: an absolute path, or null when the producer cancels. */
export function nativeFolderChooser(parent: () => BrowserWindow | undefined): () => Promise<string | null> {
  return async () => {
    const options: Electron.OpenDialogOptions = {
      title: 'Choose the export folder',
      buttonLabel: 'Export here',
      properties: ['openDirectory', 'createDirectory'],
    };
    const win = parent();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}
