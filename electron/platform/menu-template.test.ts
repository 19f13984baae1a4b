// The application menu: Undo/Redo run the renderer's commands (never Chromium's own undo), the
// clipboard items keep their roles, and the event payload is the contract's.
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/contract';
import { buildMenuTemplate, menuCommandPayload } from './menu-template';

function build(isMac = false) {
  const sent: MenuCommand[] = [];
  const template = buildMenuTemplate({
    appName: 'Goose Pod Studio',
    isMac,
    isDev: false,
    send: (c) => sent.push(c),
  });
  const menu = (label: string) => {
    const m = template.find((t) => t.label === label || (label === 'Help' && t.role === 'help'));
    return (m?.submenu ?? []) as MenuItemConstructorOptions[];
  };
  const click = (item: MenuItemConstructorOptions | undefined) =>
    (item?.click as unknown as (() => void) | undefined)?.();
  return { template, sent, menu, click };
}

describe('buildMenuTemplate', () => {
  it('has File, Edit, View and Help; Edit has Undo, Redo, Cut, Copy, Paste, Select All', () => {
    const { template, menu } = build();
    expect(template.map((t) => t.label ?? t.role)).toEqual(['File', 'Edit', 'View', 'help']);
    const edit = menu('Edit');
    expect(edit.filter((i) => i.type !== 'separator').map((i) => i.label ?? i.role)).toEqual([
      'Undo',
      'Redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    // Undo/Redo are not Chromium's roles, which would bypass the episode history.
    expect(edit.some((i) => i.role === 'undo' || i.role === 'redo')).toBe(false);
  });

  it('sends undo and redo to the renderer, showing the shortcut the renderer binds', () => {
    const { sent, menu, click } = build();
    const [undo, redo] = menu('Edit');
    click(undo);
    click(redo);
    expect(sent).toEqual(['undo', 'redo']);
    expect(undo).toMatchObject({ accelerator: 'CmdOrCtrl+Z', registerAccelerator: false });
    expect(redo).toMatchObject({ accelerator: 'CmdOrCtrl+Y', registerAccelerator: false });
    expect(build(true).menu('Edit')[1]).toMatchObject({ accelerator: 'Shift+CmdOrCtrl+Z' });
  });

  it('runs New, Open and Save through the renderer too, and quits by role', () => {
    const { sent, menu, click } = build();
    const file = menu('File');
    for (const item of file) click(item);
    expect(sent).toEqual(['newProject', 'openProject', 'save']);
    expect(file.at(-1)?.role).toBe('quit');
    expect(build(true).template[0].label).toBe('Goose Pod Studio');
  });

  it('shows Reload and the developer tools only in development', () => {
    const roles = (isDev: boolean) =>
      (
        buildMenuTemplate({ appName: 'x', isMac: false, isDev, send: () => undefined }).find(
          (t) => t.label === 'View',
        )?.submenu as MenuItemConstructorOptions[]
      ).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });
});

describe('menuCommandPayload', () => {
  it('is the contract payload, and refuses a command the contract does not list', () => {
    expect(menuCommandPayload('undo')).toEqual({ command: 'undo' });
    expect(() => menuCommandPayload('format-disk' as MenuCommand)).toThrow();
  });
});
