#!/usr/bin/env node
// `npm test`: every check in one run — typecheck, lint, format, unit tests (Vitest), e2e
// (Playwright in Chromium through the web transport). Prints one closing line with the test totals.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const steps = [
  ['typecheck (node)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['typecheck (renderer)', 'npx', ['tsc', '--noEmit', '-p', 'renderer/tsconfig.json']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['electronegativity', 'node', ['scripts/electronegativity.mjs']],
  [
    'unit',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.reports/unit.json'],
  ],
  ['build (web)', 'npm', ['run', '-s', 'build:web']],
  ['build (electron)', 'npx', ['electron-vite', 'build']],
  ['e2e', 'npx', ['playwright', 'test']],
];

rmSync('.reports', { recursive: true, force: true });
mkdirSync('.reports', { recursive: true });
const results = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  results.push({ name, ok: r.status === 0, seconds: (Date.now() - t0) / 1000 });
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync('.reports/unit.json')) {
  const unit = JSON.parse(readFileSync('.reports/unit.json', 'utf8'));
  passed += unit.numPassedTests ?? 0;
  failed += unit.numFailedTests ?? 0;
  skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
}
if (existsSync('.reports/e2e.json')) {
  const e2e = JSON.parse(readFileSync('.reports/e2e.json', 'utf8'));
  passed += e2e.stats?.expected ?? 0;
  failed += (e2e.stats?.unexpected ?? 0) + (e2e.stats?.flaky ?? 0);
  skipped += e2e.stats?.skipped ?? 0;
  // Say why anything was skipped (the Electron project where its binary cannot be had).
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const reasons = [...(t.annotations ?? []), ...(t.results ?? []).flatMap((r) => r.annotations ?? [])]
          .filter((a) => a.type === 'skip')
          .map((a) => a.description);
        const why = [...new Set(reasons)].join('; ');
        console.log(`skipped: [${t.projectName}] ${spec.title} — ${why || 'no reason given'}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of e2e.suites ?? []) walk(suite);
}
console.log('\n| step | result | seconds |\n| --- | --- | --- |');
for (const r of results) console.log(`| ${r.name} | ${r.ok ? 'ok' : 'FAILED'} | ${r.seconds.toFixed(1)} |`);
const stepFailures = results.filter((r) => !r.ok).length;
if (stepFailures && failed === 0) failed = stepFailures;
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
