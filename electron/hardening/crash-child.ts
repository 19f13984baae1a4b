/**
 * Child process of crash-safety.test.ts: saves one project over and over (episode.json and
 * article.txt through ProjectService) and writes export files (through writeFileAtomic, as the
 * exporter does) until it is SIGKILLed. After each complete save it prints `saved N`, so the
 * parent knows the last state that must survive.
 *
 * Usage: node crash-child.mjs <projectsRoot> <projectId> <startN>
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../services/fs/atomic-write';
import { ProjectService } from '../services/project/project-service';
import { sampleEpisode } from '../../shared/model/fixtures/sample-episode';

const [root, projectId, startArg] = process.argv.slice(2);
const projects = new ProjectService({ root });
const exportsDir = join(projects.dir(projectId), 'exports', 'crash');
await mkdir(exportsDir, { recursive: true });

/** An export whose last line is the SHA-256 of the rest, so a torn file is detectable. */
function sealed(body: string): string {
  return `${body}\n${createHash('sha256').update(body).digest('hex')}\n`;
}

const base = sampleEpisode();
process.stdout.write('ready\n');
for (let n = Number(startArg); ; n++) {
  // Sizes vary from a few KB to ~1 MB so kills land mid-write as well as between writes.
  const filler = 'word '.repeat((n * 7919) % 200_000);
  const episode = {
    ...base,
    title: `v${n}`,
    summary: `save ${n}`,
    article: { ...base.article, text: `${base.article.text}\n\n${filler}` },
  };
  await projects.save(projectId, episode);
  process.stdout.write(`saved ${n}\n`);
  await writeFileAtomic(join(exportsDir, 'transcript.txt'), sealed(`transcript ${n}\n${filler}`));
  await writeFileAtomic(join(exportsDir, 'episode.json'), sealed(JSON.stringify({ n, filler })));
}
