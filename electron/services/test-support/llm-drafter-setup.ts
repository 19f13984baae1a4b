/**
 * Test support for the LlmDrafter tests (whole drafts and partial ones): the sample article, show
 * and hosts, the project's OpenAI-compatible test servers (a quick one behind an API key and a
 * slow-streaming one, started once per test file), a job context that records its progress
 * messages, and a helper that awaits the DraftError a call must fail with.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { ArticleService } from '../article/article-service';
import { DraftError, type LlmDraftInput } from '../draft/llm-drafter';
import type { JobContext } from '../jobs/job-manager';
import { parseDefaultPersonas } from '../settings/settings-service';
import {
  startOpenAiCompatibleServer,
  type OpenAiCompatibleServerOptions,
  type OpenAiCompatibleServer,
} from '../test-servers/openai-compatible-server';

/** The API key the quick server requires. */
export const TEST_API_KEY = 'sk-test-0123456789abcdef';

/** The default hosts the studio ships with. */
export const personas = parseDefaultPersonas(
  readFileSync(new URL('../../../resources/default-personas.json', import.meta.url), 'utf8'),
);

/** The bundled sample article, cleaned as the article service does for pasted text. */
export const article = new ArticleService({ readSample: async () => '' }).fromText(
  readFileSync(new URL('../../../resources/sample-article.txt', import.meta.url), 'utf8'),
);

/** The show settings of every draft in these tests (a fixed date, so prompts do not drift). */
export const show = {
  showName: 'Goose Pod',
  listenerName: 'norristong',
  locale: 'en-US',
  date: '2025-11-15',
};

// Live bindings: the test files import these names and read them after `beforeAll` has set them.
/** The quick server (1 ms between chunks, asks for {@link TEST_API_KEY}); set by {@link useLlmTestServers}. */
export let server: OpenAiCompatibleServer;
/** The slow-streaming server (for cancel and streaming tests); set by {@link useLlmTestServers}. */
export let slow: OpenAiCompatibleServer;

/**
 * Starts `server` and `slow` before the file's tests, closes them after, and clears their
 * recorded requests after each test. Call once at the top level of a test file.
 *
 * @param slowStreaming how the slow server splits and paces its chunks (each file tunes its own)
 */
export function useLlmTestServers(
  slowStreaming: Pick<OpenAiCompatibleServerOptions, 'chunkChars' | 'chunkDelayMs'>,
): void {
  beforeAll(async () => {
    server = await startOpenAiCompatibleServer({ apiKey: TEST_API_KEY, chunkDelayMs: 1 });
    slow = await startOpenAiCompatibleServer(slowStreaming);
  });
  afterAll(async () => {
    await server.close();
    await slow.close();
  });
  afterEach(() => {
    server.requests.length = 0;
    slow.requests.length = 0;
  });
}

/** The quick server's test model with its key and prices, JSON Schema on; `over` changes any of it. */
export function testProvider(over: Partial<LlmDraftInput['provider']> = {}): LlmDraftInput['provider'] {
  return {
    baseURL: server.baseURL,
    model: 'test-model',
    apiKey: TEST_API_KEY,
    inputPricePerM: 0.5,
    outputPricePerM: 1.5,
    supportsJsonSchema: true,
    ...over,
  };
}

/** A job context whose progress messages are kept and whose controller cancels it. */
export function context(): JobContext & { controller: AbortController; messages: string[] } {
  const controller = new AbortController();
  const messages: string[] = [];
  return {
    jobId: 'job-1',
    signal: controller.signal,
    controller,
    messages,
    progress: (_p, message) => messages.push(message),
  };
}

/** The DraftError `p` rejects with (anything else, or no rejection, fails the test). */
export async function failure(p: Promise<unknown>): Promise<DraftError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DraftError) return err;
    throw err;
  }
  throw new Error('expected a DraftError');
}
