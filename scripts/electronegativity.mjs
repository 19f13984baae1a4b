#!/usr/bin/env node
// Electronegativity (pinned, via npx) over electron/ with the app's Electron version. Fails on any
// finding that electron/hardening/electronegativity-allowlist.json does not justify, and on
// allow-list entries that no longer match anything (so the list stays reviewed, not stale).
// Needs only the npm registry (first run) — the tool's own update checks may fail offline, harmlessly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from './csv.mjs';

const TOOL = '@doyensec/electronegativity@1.10.3';
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const electronVersion = (pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '');
const allow = JSON.parse(readFileSync('electron/hardening/electronegativity-allowlist.json', 'utf8'));

const dir = mkdtempSync(join(tmpdir(), 'eneg-'));
const csv = join(dir, 'findings.csv');
const t0 = Date.now();
const r = spawnSync(
  'npx',
  ['--yes', TOOL, '-i', 'electron', '-o', csv, '-r', '-v', 'false', '-e', electronVersion],
  { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
);
let text;
try {
  text = readFileSync(csv, 'utf8');
} catch {
  console.error(r.stdout, r.stderr);
  console.error('electronegativity: the tool wrote no report');
  process.exit(2);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const [header, ...rows] = parseCsv(text);
const col = (name) => header.findIndex((h) => h.trim().toLowerCase() === name);
const findings = rows.map((c) => ({
  check: c[col('issue')],
  severity: c[col('severity')],
  file: c[col('filename')],
  location: c[col('location')],
  sample: c[col('sample')],
}));

const matches = (entry, f) =>
  entry.check === f.check &&
  entry.file === f.file &&
  (!entry.sampleIncludes || (f.sample ?? '').includes(entry.sampleIncludes));

const used = new Set();
const unjustified = [];
for (const f of findings) {
  const i = allow.findIndex((e) => matches(e, f));
  if (i < 0) unjustified.push(f);
  else used.add(i);
}
const stale = allow.filter((_, i) => !used.has(i));
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(
  `electronegativity ${TOOL.split('@').pop()} (Electron ${electronVersion}): ${findings.length} findings, ` +
    `${findings.length - unjustified.length} justified, ${unjustified.length} not, ${secs} s`,
);
for (const f of unjustified)
  console.log(`  NOT JUSTIFIED ${f.check} [${f.severity}] ${f.file}:${f.location} ${f.sample ?? ''}`);
for (const e of stale) console.log(`  STALE allow-list entry (matches nothing): ${e.check} ${e.file}`);
if (unjustified.length || stale.length) {
  console.log(`The tool's report, as read:\n${text}`);
  process.exit(1);
}
