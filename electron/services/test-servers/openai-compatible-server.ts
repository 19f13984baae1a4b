/**
 * An OpenAI-compatible model server for tests and e2e: a real HTTP server on 127.0.0.1 (random
 * port) speaking the Chat Completions protocol — `GET /v1/models`, `POST /v1/chat/completions`
 * with and without `stream`, real Server-Sent Events (`data: {…}\n\n` chunks, usage in the last
 * chunk when `stream_options.include_usage` is set, then `data: [DONE]`), errors in OpenAI's
 * `{ error: { message, type, code } }` shape. It answers as a scripted "model": a valid draft
 * built from the article in the request by the offline drafter; to a "rewrite this line" prompt
 * the line's first sentence, and to a "redraft from here" prompt the offline redraft of the
 * script it quotes (the task is read from the prompt's `TASK:` line). Faults are queued per request
 * (status codes, Retry-After, stalls, dropped sockets, malformed, truncated or fenced JSON,
 * unknown speakers) and every request is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { draftOffline } from '../../../shared/draft/offline-drafter';
import { redraftOffline } from '../../../shared/draft/partial';
import type { Persona, ScriptLine } from '../../../shared/model/episode';
import { parseScript } from '../../../shared/script/format';

/** A fault injected into one request (taken in order; requests without one get a good reply). */
export type Fault =
  /** Answer with an HTTP error in OpenAI's error shape (429 may carry Retry-After). */
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  /** Send the headers and `afterChunks` content chunks, then nothing more (socket stays open). */
  | { kind: 'stall'; afterChunks: number }
  /** Never send a response at all (the headers never come). */
  | { kind: 'hang' }
  /** Send `afterChunks` content chunks, then destroy the socket. */
  | { kind: 'close'; afterChunks: number }
  /** A reply whose JSON is broken (balanced, but not parseable). */
  | { kind: 'malformed' }
  /** A reply cut off mid-way, finishing with `finish_reason: "length"`. */
  | { kind: 'truncated' }
  /** A reply wrapped in a ```json fence, with prose around it and trailing commas (tolerable). */
  | { kind: 'fenced' }
  /** A valid reply whose speakers are not the show's hosts. */
  | { kind: 'unknown-speakers'; names?: [string, string] }
  /** Reject `response_format: json_schema` with HTTP 400, as providers without it do. */
  | { kind: 'reject-json-schema' }
  /** Reply with exactly this text. */
  | { kind: 'text'; text: string };

/** A request as the server saw it. */
export type RecordedRequest = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined for GET). */
  body: ChatRequestBody | undefined;
  /** Milliseconds since the server started. */
  at: number;
};

/** The fields of a chat completion request the server reads. */
export type ChatRequestBody = {
  model?: string;
  messages?: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string };
  max_tokens?: number;
};

/** A stream the server stopped sending on (a `stall` fault), recorded when it stopped. */
export type RecordedStall = {
  /** Index of the stalled request in {@link OpenAiCompatibleServer.requests}. */
  request: number;
  /** Content chunks sent before the stall. */
  chunksSent: number;
  /** The reply text those chunks carried: all the client can ever receive of this reply. */
  textSent: string;
  /** Milliseconds since the server started. */
  at: number;
};

/** Options of {@link startOpenAiCompatibleServer}. */
export type OpenAiCompatibleServerOptions = {
  /** Model ids served (default ["test-model", "test-model-mini"]); others get 404. */
  models?: string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get 401. */
  apiKey?: string;
  /** Characters of reply text per SSE chunk (default 48). */
  chunkChars?: number;
  /** Pause between chunks in ms (default 2), so streams really arrive piecemeal. */
  chunkDelayMs?: number;
};

/** A running server. */
export type OpenAiCompatibleServer = {
  /** Base URL for OpenAI clients, ending in /v1. */
  baseURL: string;
  port: number;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /**
   * Every stall entered, oldest first: once a stall is here the server sends nothing more on that
   * stream, so a test can wait for it instead of guessing a stall from a quiet spell.
   */
  stalls: RecordedStall[];
  /** Queues faults for the next requests to /v1/chat/completions, one each. */
  enqueue(...faults: Fault[]): void;
  /** Stops the server, cutting any open (stalled) streams. */
  close(): Promise<void>;
};

/** Reads `- Name: role` host lines and the other fields out of the drafting prompt. */
function readPrompt(messages: { role: string; content: string }[]) {
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const field = (label: string) => new RegExp(`^- ${label}: (.*)$`, 'm').exec(user)?.[1]?.trim() ?? '';
  const hostsBlock = /^HOSTS.*\n((?:- .*\n)+)/m.exec(user)?.[1] ?? '';
  const hosts = [...hostsBlock.matchAll(/^- ([^:\n]+): ?(.*)$/gm)].map((m) => ({ name: m[1], role: m[2] }));
  const article = /<<<\n([\s\S]*?)\n>>>/.exec(user)?.[1] ?? '';
  const title = /^Title: (.*)$/m.exec(user)?.[1] ?? '';
  const minutes = Number(/\((\d+(?:\.\d+)?) minutes read aloud\)/.exec(user)?.[1] ?? 1);
  return {
    minutes,
    showName: field('Show name') || 'Test Show',
    listener: field('Listener') || 'listener',
    date: field('Date spoken in the greeting'),
    hosts:
      hosts.length >= 2
        ? hosts
        : [
            { name: 'Host A', role: '' },
            { name: 'Host B', role: '' },
          ],
    article,
    title,
  };
}

/**
 * The scripted model's answer to a drafting prompt: the offline drafter's draft of the article
 * in the prompt, in the JSON shape the schema asks for (chapters on the first line of each).
 */
export function goodDraftJson(messages: { role: string; content: string }[]): Record<string, unknown> {
  const p = readPrompt(messages);
  const personas = promptPersonas(p.hosts);
  const draft = draftOffline({
    article: { title: p.title, text: p.article },
    show: { showName: p.showName, listenerName: p.listener, locale: 'en-US', date: '2025-11-15' },
    personas,
    targetMinutes: p.minutes,
  });
  const lines: { speaker: string; text: string; sources: string[]; chapter: string }[] = [];
  const sentences = p.article.split(/(?<=[.!?][”"’]?)\s+/);
  let chapter = '';
  for (const l of draft.lines) {
    if (l.kind === 'heading') {
      chapter = l.text;
      continue;
    }
    if (l.kind !== 'speech') continue;
    const text = p.date ? l.text.replace(/Today is [^.]*\./, `Today is ${p.date}.`) : l.text;
    // The offline drafter speaks article sentences; cite those the line contains.
    const sources = sentences.filter((s) => s.length > 20 && text.includes(s)).slice(0, 2);
    lines.push({ speaker: l.speaker, text, sources, chapter });
    chapter = '';
  }
  return {
    title: draft.title,
    category: draft.category,
    lines,
    summary: draft.summary,
    analysis: draft.analysis,
  };
}

/** A quoted block of the prompt: the lines between `"""` fences after the line `label`. */
function block(user: string, label: string): string | undefined {
  const at = user.indexOf(`\n${label}`);
  if (at < 0) return undefined;
  const m = /\n"""\n([\s\S]*?)\n"""/.exec(user.slice(at));
  return m ? m[1] : undefined;
}

/** Turns script lines into reply lines: a heading becomes the next line's chapter; cites sources. */
function replyLines(lines: readonly ScriptLine[], article: string) {
  const sentences = article.split(/(?<=[.!?][”"’]?)\s+/);
  const out: { speaker: string; text: string; sources: string[]; chapter: string }[] = [];
  let chapter = '';
  for (const l of lines) {
    if (l.kind === 'heading') chapter = l.text;
    if (l.kind !== 'speech') continue;
    const lower = l.text.toLowerCase();
    const sources = sentences.filter((x) => x.length > 20 && lower.includes(x.toLowerCase())).slice(0, 2);
    out.push({ speaker: l.speaker, text: l.text, sources, chapter });
    chapter = '';
  }
  return out;
}

/**
 * The scripted model's answer to "rewrite this line" (`TASK: REWRITE ONE LINE`): the marked
 * line's first sentence after "In short:", for the same speaker, citing the article sentences
 * it contains.
 */
export function goodRewriteJson(messages: { role: string; content: string }[]): Record<string, unknown> {
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const speaker = /^- Speaker: (.*)$/m.exec(user)?.[1]?.trim() ?? 'Host A';
  const marked = /^>>> [^:\n]+: (.*)$/m.exec(user)?.[1] ?? '';
  const first = /^.*?[.!?][”"’]?(?=\s|$)/.exec(marked)?.[0] ?? marked;
  const line: ScriptLine = { kind: 'speech', id: 'r', speaker, text: `In short: ${first}` };
  return { lines: replyLines([line], readPrompt(messages).article) };
}

/**
 * The scripted model's answer to "redraft from here" (`TASK: CONTINUE THE SCRIPT`): the offline
 * redraft of the script quoted in the prompt (article sentences the kept lines do not use, turn
 * order from the host after the last kept line, the length asked for).
 */
export function goodRedraftJson(messages: { role: string; content: string }[]): Record<string, unknown> {
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const p = readPrompt(messages);
  // "(nothing yet)" stands for an empty script: no speaker, so no line of it is kept.
  const head = parseScript(block(user, 'SCRIPT SO FAR') ?? '')
    .filter((l) => l.kind !== 'speech' || l.speaker !== '')
    .map((l, i) => ({ ...l, id: `h${i}` }));
  const ending = parseScript(block(user, 'ENDING') ?? '').map((l, i) => ({ ...l, id: `e${i}` }));
  const next = /^- Start with: (.*)$/m.exec(user)?.[1]?.trim() ?? p.hosts[0].name;
  const words = Number(/^- Length: about (\d+) words/m.exec(user)?.[1] ?? 150);
  const personas = promptPersonas(p.hosts);
  const said = [...head, ...ending].reduce(
    (n, l) => n + (l.kind === 'speech' ? l.text.split(/\s+/).filter(Boolean).length : 0),
    0,
  );
  const from: ScriptLine = { kind: 'speech', id: 'from', speaker: next, text: '…' };
  const { lines } = redraftOffline({
    article: { title: p.title, text: p.article },
    show: { showName: p.showName, listenerName: p.listener, locale: 'en-US', date: '2025-11-15' },
    personas,
    targetMinutes: (words + said) / 150,
    lines: [...head, from, ...ending],
    fromLineId: 'from',
  });
  return { lines: replyLines(lines, p.article) };
}

function promptPersonas(hosts: { name: string; role: string }[]): Persona[] {
  return hosts.map((h, i) => ({
    id: `h${i}`,
    name: h.name,
    role: h.role,
    voice: { engine: 'espeak', voice: 'en-us', rate: 160, pitch: 50 },
    color: '#000000',
  }));
}

/** The good reply to a request: a rewritten line, a redrafted tail, or a whole draft. */
function goodJson(messages: { role: string; content: string }[]): Record<string, unknown> {
  const task = /^TASK: (.*)$/m.exec(messages.find((m) => m.role === 'user')?.content ?? '')?.[1];
  if (task === 'REWRITE ONE LINE') return goodRewriteJson(messages);
  if (task === 'CONTINUE THE SCRIPT') return goodRedraftJson(messages);
  return goodDraftJson(messages);
}

/** The reply text for a request, with content faults applied. */
function replyText(body: ChatRequestBody, fault: Fault | undefined): { text: string; finish: string } {
  if (fault?.kind === 'text') return { text: fault.text, finish: 'stop' };
  const good = goodJson(body.messages ?? []);
  if (fault?.kind === 'unknown-speakers') {
    const [a, b] = fault.names ?? ['Narrator', 'Guest'];
    const lines = (good.lines as { speaker: string }[]).map((l, i) => ({ ...l, speaker: i % 2 ? b : a }));
    return { text: JSON.stringify({ ...good, lines }), finish: 'stop' };
  }
  const json = JSON.stringify(good, null, 1);
  if (fault?.kind === 'malformed') {
    // A missing colon after a key: balanced, but not JSON.
    const key = json.includes('"summary":') ? '"summary":' : '"text":';
    return { text: json.replace(key, key.slice(0, -1) + ' '), finish: 'stop' };
  }
  if (fault?.kind === 'truncated')
    return { text: json.slice(0, Math.floor(json.length * 0.6)), finish: 'length' };
  if (fault?.kind === 'fenced') {
    const trailing = json.replace(/\n(\s*)\]/, ',\n$1]').replace(/\n\}$/, ',\n}');
    return {
      text: `Here is the draft you asked for:\n\n\`\`\`json\n${trailing}\n\`\`\`\nEnjoy!`,
      finish: 'stop',
    };
  }
  return { text: json, finish: 'stop' };
}

function sendError(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}) {
  const type =
    status === 401
      ? 'invalid_request_error'
      : status === 429
        ? 'rate_limit_exceeded'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error';
  const code = status === 404 ? 'model_not_found' : status === 401 ? 'invalid_api_key' : null;
  res.writeHead(status, { 'content-type': 'application/json', ...extra });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}

function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Starts the server on 127.0.0.1 with a random free port. */
export async function startOpenAiCompatibleServer(
  options: OpenAiCompatibleServerOptions = {},
): Promise<OpenAiCompatibleServer> {
  const models = options.models ?? ['test-model', 'test-model-mini'];
  const chunkChars = options.chunkChars ?? 48;
  const chunkDelayMs = options.chunkDelayMs ?? 2;
  const started = Date.now();
  const requests: RecordedRequest[] = [];
  const stalls: RecordedStall[] = [];
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let counter = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: ChatRequestBody | undefined;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
      } catch {
        requests.push({
          method: 'POST',
          path,
          headers: req.headers,
          body: undefined,
          at: Date.now() - started,
        });
        return sendError(res, 400, 'We could not parse the JSON body of your request.');
      }
    }
    const requestIndex = requests.length;
    requests.push({
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      at: Date.now() - started,
    });

    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.');
    }
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: models.map((id) => ({
            id,
            object: 'model',
            created: 1_700_000_000,
            owned_by: 'goose-pod-tests',
          })),
        }),
      );
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return sendError(res, 404, `Unknown request URL: ${req.method} ${path}.`);
    }
    const fault = faults.shift();
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      return sendError(res, fault.status, fault.message ?? `Injected HTTP ${fault.status}.`, headers);
    }
    if (!body || !Array.isArray(body.messages) || body.messages.length === 0) {
      return sendError(res, 400, "'messages' is a required property.");
    }
    if (!body.model || !models.includes(body.model)) {
      return sendError(
        res,
        404,
        `The model \`${body.model}\` does not exist or you do not have access to it.`,
      );
    }
    if (fault?.kind === 'reject-json-schema' && body.response_format?.type === 'json_schema') {
      return sendError(
        res,
        400,
        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
      );
    }
    if (fault?.kind === 'hang') return; // the socket stays open until the client gives up

    const { text, finish } = replyText(body, fault);
    const id = `chatcmpl-${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = tokens(body.messages.map((m) => m.content).join('\n'));
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: tokens(text),
      total_tokens: promptTokens + tokens(text),
    };

    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }],
          usage,
        }),
      );
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const event = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices, ...extra })}\n\n`,
      );
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += chunkChars) pieces.push(text.slice(i, i + chunkChars));
    event([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    for (let n = 0; n < pieces.length; n++) {
      if ((fault?.kind === 'stall' || fault?.kind === 'close') && n === fault.afterChunks) {
        if (fault.kind === 'close') res.socket?.destroy();
        else
          stalls.push({
            request: requestIndex,
            chunksSent: n,
            textSent: pieces.slice(0, n).join(''),
            at: Date.now() - started,
          });
        return; // stalled: keep the socket open and send nothing more
      }
      if (res.destroyed) return; // the client went away
      event([{ index: 0, delta: { content: pieces[n] }, finish_reason: null }]);
      if (chunkDelayMs > 0) await wait(chunkDelayMs);
    }
    event([{ index: 0, delta: {}, finish_reason: finish }]);
    if (body.stream_options?.include_usage) event([], { usage });
    res.write('data: [DONE]\n\n');
    res.end();
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `Test server error: ${String(err)}`);
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    stalls,
    enqueue: (...f) => {
      faults.push(...f);
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
