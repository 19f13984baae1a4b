// Finds the Electron binary without letting the `electron` package's first-run download print a
// stack trace. `ensure` tries the download once (quietly, bounded in time) when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {{ path?: string, reason?: string }} */
export function electronBinary({ ensure = false } = {}) {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (run npm ci)' };
  }
  const found = () => {
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const full = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(full) ? full : undefined;
  };
  let path = found();
  if (!path && ensure) {
    const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'pipe', timeout: 120_000 });
    if (r.status === 0) path = found();
  }
  return path
    ? { path }
    : { reason: 'the Electron binary is not installed and cannot be downloaded here (offline)' };
}
