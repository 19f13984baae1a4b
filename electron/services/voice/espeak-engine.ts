/**
 * The embedded offline voice: espeak-ng compiled to WebAssembly, run in a small pool of worker
 * threads (each initialises espeak once and keeps it), so synthesis never blocks the main process.
 */
import type { Worker } from 'node:worker_threads';
import { StudioError } from '../../../shared/contract';
import type { EspeakVoiceOption, EspeakWorkerReply, EspeakWorkerRequest } from './espeak-worker';

export type { EspeakVoiceOption } from './espeak-worker';

/** Options of {@link EspeakEngine}. */
export interface EspeakEngineOptions {
  /** Starts an `espeak-worker` (see `nodeWorkerFactory`; the Electron build passes its bundled one). */
  createWorker: () => Worker;
  /** Most workers running at once (default 2). Workers start on demand. */
  size?: number;
}

/** One line to voice. */
export interface SynthesisRequest {
  /** Plain text (not SSML): `<`, `>` and `&` are spoken as text, never parsed as markup. */
  text: string;
  /** espeak-ng voice id, optionally with a variant: `en-us+m3`, `en-gb-x-rp+f2`, `en-gb`. */
  voice: string;
  /** Words per minute, 80–450. */
  rate: number;
  /** Base pitch, 0–99. */
  pitch: number;
}

/** Synthesized speech: mono, leading and trailing silence trimmed to 30 ms. */
export interface SynthesizedAudio {
  samples: Float32Array;
  sampleRate: number;
}

/**
 * Distinct English voices offered first. Ids are checked against the espeak data when listed
 * (`listVoices` drops any the data does not have); `en-gb` resolves to espeak's `en` voice.
 */
export const CURATED_VOICES: readonly EspeakVoiceOption[] = [
  { id: 'en-us+m3', label: 'American English — male (m3)' },
  { id: 'en-us+f3', label: 'American English — female (f3)' },
  { id: 'en-us+m1', label: 'American English — male, deeper (m1)' },
  { id: 'en-us+f2', label: 'American English — female, brighter (f2)' },
  { id: 'en-gb+m1', label: 'British English — male (m1)' },
  { id: 'en-gb+f3', label: 'British English — female (f3)' },
  { id: 'en-gb-x-rp+m2', label: 'British English, Received Pronunciation — male (m2)' },
  { id: 'en-gb-x-rp+f2', label: 'British English, Received Pronunciation — female (f2)' },
  { id: 'en-gb-scotland+m4', label: 'Scottish English — male (m4)' },
  { id: 'en-029+f4', label: 'Caribbean English — female (f4)' },
  { id: 'en-us-nyc+m5', label: 'New York City English — male (m5)' },
];

type TaskMessage =
  | Omit<Extract<EspeakWorkerRequest, { type: 'synth' }>, 'id'>
  | Omit<Extract<EspeakWorkerRequest, { type: 'voices' }>, 'id'>;

interface Task {
  id: number;
  message: TaskMessage;
  resolve: (reply: EspeakWorkerReply) => void;
  reject: (err: Error) => void;
  settled: boolean;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  /** Shared with the worker: 1 = stop the running synthesis. */
  abortFlag: Int32Array;
  task: Task | null;
  timer: ReturnType<typeof setTimeout> | null;
  dead: boolean;
}

/**
 * Identifies this engine build in clip content hashes. Bump it when the espeak package or the
 * processing here (trimming, text escaping, voice resolution) changes what a line sounds like.
 */
export const ESPEAK_ENGINE_VERSION = 'espeak-ng-emscripten-0.3.5+gps1';

/** A worker that answers nothing for this long (plus per-character time) is replaced. */
const BASE_TIMEOUT_MS = 30_000;
const PER_CHAR_TIMEOUT_MS = 20;

/** espeak-ng voices from a pool of worker threads. */
export class EspeakEngine {
  /** Engine id as stored in persona voice settings. */
  readonly id = 'espeak' as const;
  /** See {@link ESPEAK_ENGINE_VERSION}. */
  readonly version = ESPEAK_ENGINE_VERSION;
  readonly #createWorker: () => Worker;
  readonly #size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;
  #voices: Promise<EspeakVoiceOption[]> | null = null;

  constructor({ createWorker, size = 2 }: EspeakEngineOptions) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`EspeakEngine: size must be ≥ 1, got ${size}`);
    this.#createWorker = createWorker;
    this.#size = size;
  }

  /**
   * Voices `req.text`. Waits for a free worker when all are busy. Aborting a waiting request
   * drops it; aborting a running one stops espeak at its next chunk. Either way the promise
   * rejects with `StudioError('canceled')`. espeak failures, unknown voices and crashed workers
   * reject with `StudioError('engine')`; a crashed worker is replaced.
   */
  async synthesize(req: SynthesisRequest, signal?: AbortSignal): Promise<SynthesizedAudio> {
    const { text, voice, rate, pitch } = req;
    if (
      typeof text !== 'string' ||
      typeof voice !== 'string' ||
      !Number.isFinite(rate) ||
      !Number.isFinite(pitch)
    ) {
      throw new StudioError('bad-request', 'Synthesis needs text, a voice id, and numeric rate and pitch');
    }
    const reply = await this.#run({ type: 'synth', text, voice, rate, pitch }, signal);
    if (reply.type !== 'audio')
      throw new StudioError('internal', `Unexpected reply from the voice worker: ${reply.type}`);
    return { samples: reply.samples, sampleRate: reply.sampleRate };
  }

  /**
   * The voices to offer: {@link CURATED_VOICES} the espeak data supports, then every language
   * voice espeak lists (English first). Cached after the first call.
   */
  listVoices(): Promise<EspeakVoiceOption[]> {
    this.#voices ??= this.#run({ type: 'voices', curated: [...CURATED_VOICES] }).then(
      (reply) => (reply.type === 'voices' ? reply.voices : []),
      (err: unknown) => {
        this.#voices = null;
        throw err;
      },
    );
    return this.#voices;
  }

  /** Stops every worker; pending and later requests reject with `StudioError('canceled')`. */
  async close(): Promise<void> {
    this.#closed = true;
    const closed = (): StudioError => new StudioError('canceled', 'Voice engine closed');
    for (const task of this.#queue.splice(0)) this.#settle(task, closed());
    const slots = this.#slots.splice(0);
    await Promise.all(
      slots.map((slot) => {
        slot.dead = true;
        if (slot.timer) clearTimeout(slot.timer);
        if (slot.task) this.#settle(slot.task, closed());
        return slot.worker.terminate();
      }),
    );
  }

  #run(message: TaskMessage, signal?: AbortSignal): Promise<EspeakWorkerReply> {
    if (this.#closed) return Promise.reject(new StudioError('canceled', 'Voice engine closed'));
    if (signal?.aborted) return Promise.reject(canceled());
    return new Promise((resolve, reject) => {
      const task: Task = { id: this.#nextId++, message, resolve, reject, settled: false, signal };
      if (signal) {
        task.onAbort = () => this.#abort(task);
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.#queue.push(task);
      this.#pump();
    });
  }

  #abort(task: Task): void {
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) this.#queue.splice(queued, 1);
    const slot = this.#slots.find((s) => s.task === task);
    // The worker keeps the task until it answers, so the slot is not reused while espeak stops.
    if (slot) Atomics.store(slot.abortFlag, 0, 1);
    this.#settle(task, canceled());
  }

  #settle(task: Task, result: Error | EspeakWorkerReply): void {
    if (task.settled) return;
    task.settled = true;
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    if (result instanceof Error) task.reject(result);
    else task.resolve(result);
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      let slot = this.#slots.find((s) => !s.task && !s.dead);
      if (!slot) {
        if (this.#slots.length >= this.#size) return;
        try {
          slot = this.#spawn();
        } catch (err) {
          const task = this.#queue.shift()!;
          this.#settle(
            task,
            new StudioError('engine', `Could not start the voice engine: ${errorMessage(err)}`),
          );
          continue;
        }
      }
      const task = this.#queue.shift()!;
      slot.task = task;
      Atomics.store(slot.abortFlag, 0, 0);
      const chars = task.message.type === 'synth' ? task.message.text.length : 0;
      slot.timer = setTimeout(
        () => this.#retire(slot!, 'it stopped responding'),
        BASE_TIMEOUT_MS + chars * PER_CHAR_TIMEOUT_MS,
      );
      slot.timer.unref?.();
      slot.worker.ref();
      slot.worker.postMessage({ ...task.message, id: task.id } satisfies EspeakWorkerRequest);
    }
  }

  #spawn(): Slot {
    const worker = this.#createWorker();
    const shared = new SharedArrayBuffer(4);
    const slot: Slot = { worker, abortFlag: new Int32Array(shared), task: null, timer: null, dead: false };
    worker.postMessage({ type: 'init', abortFlag: shared } satisfies EspeakWorkerRequest);
    worker.on('message', (reply: EspeakWorkerReply) => this.#onReply(slot, reply));
    worker.on('error', (err) => this.#retire(slot, err.message));
    worker.on('exit', (code) => this.#retire(slot, `it exited with code ${code}`));
    // Idle workers must not keep a CLI process alive; a running task refs its worker.
    worker.unref();
    this.#slots.push(slot);
    return slot;
  }

  #onReply(slot: Slot, reply: EspeakWorkerReply): void {
    const task = slot.task;
    if (slot.dead || !task || task.id !== reply.id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
    if (reply.type === 'error') {
      this.#settle(task, new StudioError('engine', `espeak-ng failed: ${reply.message}`));
      if (reply.fatal) this.#retire(slot, reply.message);
    } else if (reply.type === 'canceled') {
      this.#settle(task, canceled());
    } else {
      this.#settle(task, reply);
    }
    this.#pump();
  }

  /** Drops a crashed, hung or broken worker; the next request starts a fresh one. */
  #retire(slot: Slot, reason: string): void {
    if (slot.dead) return;
    slot.dead = true;
    if (slot.timer) clearTimeout(slot.timer);
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
    if (slot.task) this.#settle(slot.task, new StudioError('engine', `The voice engine crashed: ${reason}`));
    slot.task = null;
    void slot.worker.terminate();
    this.#pump();
  }
}

function canceled(): StudioError {
  return new StudioError('canceled', 'Synthesis canceled');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
