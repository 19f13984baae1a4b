#!/usr/bin/env node
// `npm run studio`: opens the Electron studio with the offline defaults. Where the Electron binary
// cannot be obtained (an offline machine), says so in one line and serves the same studio on
// 127.0.0.1 for a browser instead.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const { path, reason } = electronBinary({ ensure: true });

if (path) {
  const build = spawnSync(npm, ['run', '-s', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const child = spawn(npm, ['exec', '--', 'electron-vite', 'preview'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron cannot start: ${reason}; serving the same studio for a browser instead.`);
  const child = spawn(npm, ['run', '-s', 'web', '--', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
