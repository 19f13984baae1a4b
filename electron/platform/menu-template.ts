/**
 * The application menu as a plain template (File / Edit / View / Help). Without one, Electron's
 * default Edit menu owns Ctrl/Cmd+Z and undoes inside Chromium, bypassing the episode history;
 * here Undo and Redo (and New, Open, Save) send a `menuCommand` event that the renderer runs
 * through its command registry. Pure (type-only Electron import), so it is tested in Node.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { events, type EventPayload, type MenuCommand } from '../../shared/contract';

/** What the template needs from the app. */
export type MenuOptions = {
  appName: string;
  isMac: boolean;
  /** Shows Reload and the developer tools (development builds only). */
  isDev: boolean;
  /** Sends the chosen command to the renderer (see {@link menuCommandPayload}). */
  send(command: MenuCommand): void;
};

/** The validated `menuCommand` payload for `command` (throws on a name the contract lacks). */
export function menuCommandPayload(command: MenuCommand): EventPayload<'menuCommand'> {
  return events.menuCommand.parse({ command });
}

/** The application menu's template. */
export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  // The renderer binds these keys itself (Monaco in the editor, the window outside it, and
  // text fields keep their own undo), so the menu shows the shortcut without registering it:
  // a registered accelerator would take the key before the page sees it.
  const run = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
    click: () => o.send(command),
  });
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      run('New Episode', 'newProject'),
      run('Open…', 'openProject'),
      run('Save', 'save', 'CmdOrCtrl+S'),
      { type: 'separator' },
      o.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      run('Undo', 'undo', 'CmdOrCtrl+Z'),
      run('Redo', 'redo', o.isMac ? 'Shift+CmdOrCtrl+Z' : 'CmdOrCtrl+Y'),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(o.isDev
        ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const]
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ role: 'about', label: `About ${o.appName}` }],
  };
  const appMenu: MenuItemConstructorOptions[] = o.isMac
    ? [
        {
          label: o.appName,
          submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'quit' }],
        },
      ]
    : [];
  return [...appMenu, file, edit, view, help];
}
