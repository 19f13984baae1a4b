/**
 * Worker thread entry for {@link EspeakEngine}: one espeak-ng (WebAssembly) instance, initialised
 * once, serving one request at a time. The pool sends a SharedArrayBuffer flag first; setting it
 * makes espeak stop the running synthesis at its next audio chunk.
 */
// @ts-expect-error the package ships no type declarations; EspeakModule below describes what we use
import initEspeak from '@echogarden/espeak-ng-emscripten';
import { parentPort } from 'node:worker_threads';
import { concatFloat32, int16ToFloat32, trimSilence } from '../audio/pcm';

/** A voice choice: id for `synthesize`, label for people. */
export interface EspeakVoiceOption {
  id: string;
  label: string;
}

/** Messages the pool sends. */
export type EspeakWorkerRequest =
  | { type: 'init'; abortFlag: SharedArrayBuffer }
  | { type: 'synth'; id: number; text: string; voice: string; rate: number; pitch: number }
  | { type: 'voices'; id: number; curated: EspeakVoiceOption[] };

/** Messages the worker sends back. `fatal` errors leave the instance unusable: replace the worker. */
export type EspeakWorkerReply =
  | { type: 'audio'; id: number; samples: Float32Array; sampleRate: number }
  | { type: 'voices'; id: number; voices: EspeakVoiceOption[] }
  | { type: 'canceled'; id: number }
  | { type: 'error'; id: number; message: string; fatal: boolean };

interface EspeakVoiceInfo {
  name: string;
  identifier: string;
  languages: { priority: number; name: string }[];
}
interface EspeakInstance {
  list_voices(): EspeakVoiceInfo[];
  set_voice(name: string): number;
  set_rate(wpm: number): number;
  set_pitch(pitch: number): number;
  set_range(range: number): number;
  get_samplerate(): number;
  /** Calls back with copies of each audio chunk; returning true stops synthesis. */
  synthesize(text: string, callback: (samples: Int16Array, events: unknown[]) => boolean): void;
}
interface EspeakModule {
  eSpeakNGWorker: new () => EspeakInstance;
  FS: { readdir(path: string): string[] };
}

const VARIANTS_DIR = '/usr/share/espeak-ng-data/voices/!v';

/** A problem with the request (unknown voice): reported, and the instance stays usable. */
class RequestError extends Error {}

interface Espeak {
  inst: EspeakInstance;
  sampleRate: number;
  /** Voice file name (lower case) by file name, full identifier and language code. */
  byName: Map<string, string>;
  languages: EspeakVoiceOption[];
  variants: Set<string> | null;
}

async function start(): Promise<Espeak> {
  const mod = (await (initEspeak as () => Promise<EspeakModule>)()) as EspeakModule;
  const inst = new mod.eSpeakNGWorker();
  const voices = inst.list_voices();
  const byName = new Map<string, string>();
  const byLanguage = new Map<string, { file: string; priority: number }>();
  const languages: EspeakVoiceOption[] = [];
  for (const v of voices) {
    const file = v.identifier.split('/').pop()!.toLowerCase();
    if (!/^[a-z0-9_-]+$/.test(file)) continue;
    byName.set(file, file);
    byName.set(v.identifier.toLowerCase(), file);
    languages.push({ id: file, label: v.name });
    for (const lang of v.languages) {
      const best = byLanguage.get(lang.name);
      if (!best || lang.priority < best.priority)
        byLanguage.set(lang.name, { file, priority: lang.priority });
    }
  }
  // Language codes ("en-gb") name no voice file, so they resolve to their preferred voice ("en").
  for (const [lang, { file }] of byLanguage) if (!byName.has(lang)) byName.set(lang, file);
  let variants: Set<string> | null = null;
  try {
    variants = new Set(mod.FS.readdir(VARIANTS_DIR).filter((n) => n !== '.' && n !== '..'));
  } catch {
    variants = null; // layout changed: let espeak judge variants itself
  }
  languages.sort(
    (a, b) => Number(b.id.startsWith('en')) - Number(a.id.startsWith('en')) || a.label.localeCompare(b.label),
  );
  return { inst, sampleRate: inst.get_samplerate(), byName, languages, variants };
}

/** Maps a voice id (`en-us`, `gmw/en-US`, `en-gb+m1`) to what espeak's set_voice accepts. */
function resolveVoice(es: Espeak, id: string): string {
  const [base, variant, ...rest] = id.trim().split('+');
  const file = es.byName.get(base.toLowerCase());
  if (!file || rest.length > 0) throw new RequestError(`Unknown espeak-ng voice "${id}"`);
  if (variant === undefined) return file;
  if (!/^[A-Za-z0-9_-]+$/.test(variant) || (es.variants && !es.variants.has(variant))) {
    throw new RequestError(`Unknown espeak-ng voice variant "${variant}" in "${id}"`);
  }
  return `${file}+${variant}`;
}

/**
 * espeak here parses its input as SSML, so markup characters in plain text would be read as tags
 * (`<b>` vanishes, `<break time="9s"/>` pauses). Escape them; drop control characters.
 */
function plainTextForSsml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(n)));
}

const ready = start();
let abortFlag: Int32Array | null = null;
let chain: Promise<void> = Promise.resolve();

function post(reply: EspeakWorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(reply, transfer);
}

async function handle(msg: EspeakWorkerRequest): Promise<void> {
  if (msg.type === 'init') {
    abortFlag = new Int32Array(msg.abortFlag);
    return;
  }
  try {
    const es = await ready;
    if (msg.type === 'voices') {
      const curated = msg.curated.filter((v) => {
        try {
          return resolveVoice(es, v.id) !== '';
        } catch {
          return false;
        }
      });
      const seen = new Set(curated.map((v) => v.id));
      post({
        type: 'voices',
        id: msg.id,
        voices: [...curated, ...es.languages.filter((v) => !seen.has(v.id))],
      });
      return;
    }
    const name = resolveVoice(es, msg.voice);
    if (es.inst.set_voice(name) !== 0)
      throw new RequestError(`espeak-ng could not load voice "${msg.voice}"`);
    es.inst.set_rate(clamp(msg.rate, 80, 450));
    es.inst.set_pitch(clamp(msg.pitch, 0, 99));
    es.inst.set_range(50);
    const chunks: Float32Array[] = [];
    const flag = abortFlag;
    es.inst.synthesize(plainTextForSsml(msg.text), (samples) => {
      chunks.push(int16ToFloat32(samples));
      return flag !== null && Atomics.load(flag, 0) !== 0;
    });
    if (flag !== null && Atomics.load(flag, 0) !== 0) {
      post({ type: 'canceled', id: msg.id });
      return;
    }
    const samples = trimSilence(concatFloat32(chunks), es.sampleRate);
    post({ type: 'audio', id: msg.id, samples, sampleRate: es.sampleRate }, [samples.buffer as ArrayBuffer]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    post({ type: 'error', id: msg.id, message, fatal: !(err instanceof RequestError) });
  }
}

parentPort?.on('message', (msg: EspeakWorkerRequest) => {
  chain = chain.then(() => handle(msg));
});
