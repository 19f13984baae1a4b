// The test server speaks the protocol real clients expect: checked with raw HTTP (SSE framing,
// error shapes, headers) and with the real `openai` client.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import OpenAI from 'openai';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from './openai-compatible-server';

let server: OpenAiCompatibleServer;
const KEY = 'sk-server-test-key';
const prompt = [
  { role: 'system', content: 'You write scripts.' },
  {
    role: 'user',
    content:
      'SHOW\n- Show name: Pod\n- Listener: Sam\n- Date spoken in the greeting: Monday, May 5th\n\nHOSTS (names)\n- Ada: editor\n- Ben: analyst\nEach host…\n\nLENGTH\nAbout 150 words (1 minutes read aloud)\n\nARTICLE\nTitle: Budget passes\n<<<\n' +
      'The council approved the budget of 4.6 million on Tuesday after a long debate. Residents welcomed the decision at the meeting. '.repeat(
        4,
      ) +
      '\n>>>',
  },
];
type ErrorBody = { error: { code: string | null; message: string } };
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

beforeAll(async () => {
  server = await startOpenAiCompatibleServer({ apiKey: KEY, models: ['m-1', 'm-2'], chunkChars: 30 });
});
afterAll(() => server.close());

describe('OpenAI-compatible test server', () => {
  it('lists models, for raw HTTP and for the openai client', async () => {
    const res = await fetch(`${server.baseURL}/models`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      object: 'list',
      data: [{ id: 'm-1', object: 'model' }, { id: 'm-2' }],
    });
    const client = new OpenAI({ apiKey: KEY, baseURL: server.baseURL });
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(['m-1', 'm-2']);
  });

  it('streams real SSE: role chunk, content chunks, finish, usage only when asked, then [DONE]', async () => {
    const res = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        model: 'm-1',
        messages: prompt,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await res.text();
    const events = raw.split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events[events.length - 1]).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'm-1')).toBe(true);
    const usage = chunks[chunks.length - 1];
    expect(usage.choices).toEqual([]);
    expect(usage.usage.prompt_tokens).toBeGreaterThan(50);
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    const draft = JSON.parse(text);
    expect(draft.lines[0]).toMatchObject({ speaker: 'Ada', chapter: 'Introduction' });
    expect(draft.lines[0].text).toContain('Good morning Sam');
    expect(draft.lines[0].text).toContain('Today is Monday, May 5th.');
    expect(draft.lines.some((l: { sources: string[] }) => l.sources.length > 0)).toBe(true);
    expect(chunks.filter((c) => c.choices[0]?.delta?.content).length).toBeGreaterThan(10);

    const noUsage = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'm-1', messages: prompt, stream: true }),
    });
    expect(await noUsage.text()).not.toContain('"usage"');
  });

  it('answers without streaming in the chat.completion shape', async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: server.baseURL });
    const done = await client.chat.completions.create({
      model: 'm-2',
      messages: prompt as OpenAI.Chat.ChatCompletionMessageParam[],
    });
    expect(done.object).toBe('chat.completion');
    expect(done.choices[0].finish_reason).toBe('stop');
    expect(JSON.parse(done.choices[0].message.content ?? '').title).toBe('Budget passes');
    expect(done.usage?.completion_tokens).toBeGreaterThan(10);
  });

  it('answers errors in OpenAI’s shape: 401, 404 model, injected 429 with Retry-After and 500', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${server.baseURL}/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
    const unauth = await post({ 'content-type': 'application/json' }, { model: 'm-1', messages: prompt });
    expect(unauth.status).toBe(401);
    expect(((await unauth.json()) as ErrorBody).error.code).toBe('invalid_api_key');
    const missing = await post(auth, { model: 'gpt-x', messages: prompt });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('model_not_found');
    server.enqueue({ kind: 'status', status: 429, retryAfter: '7' }, { kind: 'status', status: 500 });
    const limited = await post(auth, { model: 'm-1', messages: prompt });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await post(auth, { model: 'm-1', messages: prompt })).status).toBe(500);
    expect((await post(auth, { model: 'm-1', messages: prompt })).status).toBe(200);
  });

  it('injects content faults: truncated, malformed, fenced and unknown speakers', async () => {
    const text = async () => {
      const res = await fetch(`${server.baseURL}/chat/completions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ model: 'm-1', messages: prompt }),
      });
      const body = (await res.json()) as {
        choices: { message: { content: string }; finish_reason: string }[];
      };
      return { content: body.choices[0].message.content as string, finish: body.choices[0].finish_reason };
    };
    server.enqueue(
      { kind: 'truncated' },
      { kind: 'malformed' },
      { kind: 'fenced' },
      { kind: 'unknown-speakers' },
    );
    const truncated = await text();
    expect(truncated.finish).toBe('length');
    expect(() => JSON.parse(truncated.content)).toThrow();
    const malformed = (await text()).content;
    expect(() => JSON.parse(malformed)).toThrow();
    expect((await text()).content).toMatch(/^Here is the draft[\s\S]*```json\n\{[\s\S]*,\n\}\n```/);
    const odd = JSON.parse((await text()).content);
    expect(new Set(odd.lines.map((l: { speaker: string }) => l.speaker))).toEqual(
      new Set(['Narrator', 'Guest']),
    );
  });

  it('records a stall when it stops sending: the request, the chunks and the text sent so far', async () => {
    const before = server.stalls.length;
    server.enqueue({ kind: 'stall', afterChunks: 3 });
    const abort = new AbortController();
    const res = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'm-1', messages: prompt, stream: true }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let raw = '';
    const content = () =>
      raw
        .split('\n\n')
        .filter((e) => e.startsWith('data: {'))
        .map((e) => JSON.parse(e.slice(6)).choices[0]?.delta?.content ?? '')
        .filter(Boolean);
    while (content().length < 3) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended instead of stalling: ${raw.slice(-200)}`);
      raw += decoder.decode(value);
    }
    await vi.waitFor(() => expect(server.stalls.length).toBe(before + 1));
    const stall = server.stalls[before]!;
    expect(stall.chunksSent).toBe(3);
    expect(stall.textSent).toBe(content().join(''));
    expect(stall.textSent).toHaveLength(30 * 3);
    expect(server.requests[stall.request]).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(raw).not.toContain('[DONE]');
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });

  it('records every request with headers and body', async () => {
    const before = server.requests.length;
    await fetch(`${server.baseURL}/models`, { headers: auth });
    const last = server.requests[server.requests.length - 1];
    expect(server.requests.length).toBe(before + 1);
    expect(last).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(last.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});
