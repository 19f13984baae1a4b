/**
 * `npm run bench`: every benchmark in one run, each printing the same work side by side with its
 * reference and the ratio. Pass `--quick` for a 5-minute regenerate episode instead of 30.
 */
import { cpus, totalmem } from 'node:os';
import { run as espeakVsNative } from './espeak-vs-native';
import { run as mp3VsLame } from './mp3-vs-lame';
import { run as regenerateVsFull } from './regenerate-vs-full';
import { run as loudnessVsFfmpeg } from './loudness-vs-ffmpeg';
import { run as voicePool } from './voice-pool';
import { run as exportVsLame } from './export-vs-lame';
import { run as batchVsFull } from './batch-vs-full';
import { run as remixIncremental } from './remix-incremental';
import { run as timelineZoom } from './timeline-zoom';
import { run as editorKeystroke } from './editor-keystroke';

const quick = process.argv.includes('--quick');
console.log(`# Goose Pod Studio benchmarks\n`);
console.log(
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log((await mp3VsLame()).markdown);
console.log((await espeakVsNative()).markdown);
console.log((await voicePool()).markdown);
console.log((await loudnessVsFfmpeg()).markdown);
const regen = await regenerateVsFull(quick ? 5 : 30);
console.log(`### ${regen.title}\n\n${regen.table}\n`);
console.log((await exportVsLame()).markdown);
console.log((await batchVsFull()).markdown);
console.log((await remixIncremental()).markdown);
console.log((await timelineZoom()).markdown);
console.log((await editorKeystroke()).markdown);
