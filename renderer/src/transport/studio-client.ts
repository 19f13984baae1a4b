/**
 * The renderer's only way to the back end: `window.studio` under Electron (built by the preload),
 * otherwise a web client over the loopback HTTP transport with the same {@link StudioApi} shape.
 */
import {
  callNames,
  isJobOver,
  eventNames,
  type CallName,
  type CallRequest,
  type CallResponse,
  type ErrorCode,
  type EventName,
  type EventPayload,
  type StudioApi,
} from '@shared/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the browser build. */
    studio?: StudioApi;
  }
}

const TOKEN_KEY = 'goosepod.token';

/** A failed call as the UI sees it: the server's sentence plus its typed code. */
export class StudioCallError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
    readonly call: CallName,
  ) {
    super(message);
    this.name = 'StudioCallError';
  }
}

/**
 * Reads the per-run token from `#token=…` (then keeps it in sessionStorage and clears the hash so
 * it does not linger in the address bar or history).
 */
export function readToken(): string {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = hash.get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

type Listener = (payload: unknown) => void;

/** The web transport's reply envelope. */
type WireReply = { ok?: boolean; value?: unknown; error?: { code?: ErrorCode; message?: string } };

/** Builds the web client: one method per contract call, events over Server-Sent Events. */
export function createWebClient(token: string, baseUrl = ''): StudioApi {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;
  /**
   * Jobs this window follows (started by its calls, or seen running in the stream) → a
   * fingerprint of the last update dispatched for each ('' when none yet). A finished job leaves
   * the map: it never changes again. After the stream reconnects, what changed meanwhile is
   * dispatched from the back end's job list, since events sent during the gap are lost.
   */
  const jobsSeen = new Map<string, string>();
  /** The newest ended jobs (bounded), so a late start-call answer does not follow one again. */
  const ended = new Set<string>();
  const MAX_ENDED = 256;
  const fingerprint = (job: { status: string; percent?: number; message?: string }) =>
    `${job.status}|${job.percent ?? ''}|${job.message ?? ''}`;

  function dispatch(name: EventName, payload: unknown): void {
    if (name === 'jobUpdate') {
      const job = payload as { jobId?: unknown; status?: unknown };
      if (typeof job.jobId === 'string' && typeof job.status === 'string') {
        if (isJobOver(job.status)) {
          jobsSeen.delete(job.jobId);
          // Its start call may answer after its end (a quick job): not followed again then.
          ended.add(job.jobId);
          if (ended.size > MAX_ENDED) ended.delete(ended.values().next().value!);
        } else jobsSeen.set(job.jobId, fingerprint(job as { status: string }));
      }
    }
    for (const l of listeners.get(name) ?? []) l(payload);
  }

  async function resyncJobs(): Promise<void> {
    // What was known when the list was asked for: an event that arrives before the answer is
    // newer than the list, and wins.
    const asked = new Map(jobsSeen);
    let jobs: CallResponse<'jobList'>['jobs'];
    try {
      ({ jobs } = await invoke('jobList', {}));
    } catch {
      return; // the back end is away again; the next reconnect tries again
    }
    for (const job of jobs) {
      const before = asked.get(job.jobId);
      if (before === undefined || jobsSeen.get(job.jobId) !== before) continue;
      if (fingerprint(job) !== before) dispatch('jobUpdate', job);
    }
  }

  function ensureEvents(): void {
    if (source) return;
    source = new EventSource(`${baseUrl}/api/events?token=${encodeURIComponent(token)}`);
    let opened = 0;
    source.addEventListener('open', () => {
      if (opened++ > 0) void resyncJobs();
    });
    for (const name of eventNames) {
      source.addEventListener(name, (ev) => {
        let payload: unknown;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        dispatch(name, payload);
      });
    }
  }

  async function invoke<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResponse<N>> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-studio-token': token },
        body: JSON.stringify(request ?? {}),
      });
    } catch (err) {
      throw new StudioCallError('network', `The studio back end is not reachable (${String(err)}).`, name);
    }
    let body: WireReply | null = null;
    try {
      body = (await res.json()) as WireReply;
    } catch {
      body = null;
    }
    if (body && body.ok === true) {
      // A call that started a job: its updates are this window's to follow, even across a reconnect.
      const { jobId } = (body.value ?? {}) as { jobId?: unknown };
      if (typeof jobId === 'string' && !jobsSeen.has(jobId) && !ended.has(jobId)) jobsSeen.set(jobId, '');
      return body.value as CallResponse<N>;
    }
    const code = body?.error?.code ?? (res.status === 401 || res.status === 403 ? 'bad-request' : 'internal');
    const message =
      body?.error?.message ??
      (res.status === 401 || res.status === 403
        ? 'The studio rejected this page’s token. Open the URL printed by `npm run web` again.'
        : `The back end answered HTTP ${res.status}.`);
    throw new StudioCallError(code, message, name);
  }

  const api: Record<string, unknown> = {};
  for (const name of callNames) {
    api[name] = (request: CallRequest<typeof name>) => invoke(name, request);
  }
  api.on = <N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void) => {
    ensureEvents();
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  };
  return api as StudioApi;
}

let cached: StudioApi | null = null;

/** The API object for this window (memoised). */
export function getStudio(): StudioApi {
  if (cached) return cached;
  cached = window.studio ?? createWebClient(readToken());
  return cached;
}

/** The `code` of anything a call threw (Electron errors carry it as a property too). */
export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err) return String((err as { code: unknown }).code);
  return undefined;
}

/** A producer-facing sentence for anything a call threw. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error)
    return err.message.replace(/^Error invoking remote method '[^']+': (\w*Error: )?/, '');
  return String(err);
}
