// "Rewrite this line" and "redraft from here" with LlmDrafter against the project's
// OpenAI-compatible test server, through the real `openai` client: the same speaker and id, repair
// and speaker retries, kept lines byte-identical, streaming and cancel, estimates, the budget cap.
import { describe, expect, it } from 'vitest';
import { draftOffline } from '../../../shared/draft/offline-drafter';
import { redraftRegion, spliceRedraft } from '../../../shared/draft/partial';
import type { ScriptLine, SpeechLine } from '../../../shared/model/episode';
import { printScript } from '../../../shared/script/format';
import {
  article,
  context,
  failure,
  personas,
  server,
  show,
  slow,
  testProvider,
  useLlmTestServers,
} from '../test-support/llm-drafter-setup';
import { DraftService } from './draft-service';
import { LlmDrafter, type LlmDraftInput } from './llm-drafter';
import { MemorySecretStore } from './secret-store';
import type { PartialBrief } from './partial-prompt';

const script = draftOffline({ article, show, personas, targetMinutes: 2 }).lines;
const speech = script.filter((l): l is SpeechLine => l.kind === 'speech');
/** A line of the body with more than one sentence, so "In short:" visibly changes it. */
const target = speech.find((l, i) => i > 2 && /[.!?]\s+\S/.test(l.text))!;

useLlmTestServers({ chunkChars: 12, chunkDelayMs: 20 });

function input(
  partial: Partial<PartialBrief> = {},
  over: Partial<LlmDraftInput['provider']> = {},
): LlmDraftInput & PartialBrief {
  return {
    article,
    show,
    personas,
    targetMinutes: 2,
    lines: script,
    lineId: target.id,
    instruction: 'shorter',
    provider: testProvider(over),
    ...partial,
  };
}

const drafter = new LlmDrafter({ idleTimeoutMs: 2_000, retryBaseMs: 10 });
const prompt = (i: number, on = server) =>
  on.requests[i].body?.messages?.map((m) => m.content).join('\n') ?? '';

describe('rewrite this line', () => {
  it('returns the new text for the same speaker and id, with sources, grounding and usage', async () => {
    const out = await drafter.rewriteLine(context(), input());
    expect(out.lines).toHaveLength(1);
    const first = /^.*?[.!?][”"’]?(?=\s|$)/.exec(target.text)![0];
    expect(out.lines[0]).toEqual({
      kind: 'speech',
      id: target.id,
      speaker: target.speaker,
      text: `In short: ${first}`,
    });
    expect(out.grounding).toEqual([]);
    expect(out.usage.requests).toBe(1);
    expect(out.usage.costUsd).toBeGreaterThan(0);

    // The prompt: the instruction, the speaker's persona, the neighbours, the marked line, the article.
    const sent = prompt(0);
    const persona = personas.find((p) => p.name === target.speaker)!;
    expect(sent).toContain('TASK: REWRITE ONE LINE');
    expect(sent).toContain('- Instruction: shorter');
    expect(sent).toContain(persona.role);
    const at = script.indexOf(target);
    const before = script[at - 1] as SpeechLine;
    const after = script[at + 1] as SpeechLine;
    expect(sent).toContain(before.text);
    expect(sent).toContain(after.text);
    expect(sent).toContain(`>>> ${target.speaker}: ${target.text}`);
    expect(sent).toContain(article.text.slice(0, 200));
    expect(server.requests[0].body?.response_format?.type).toBe('json_schema');
  });

  it('flags a claim the article does not support and reports the sources the model cited', async () => {
    const cited = 'Libraries across the region opened six new studios.';
    server.enqueue({
      kind: 'text',
      text: JSON.stringify({
        lines: [
          { speaker: target.speaker, text: 'Listeners grew 97% this year.', sources: [cited], chapter: '' },
        ],
      }),
    });
    const out = await drafter.rewriteLine(context(), input());
    expect(out.grounding.flatMap((g) => g.issues.map((i) => i.claim))).toEqual(['97%']);
    expect(out.sources).toEqual({ [target.id]: [cited] });
  });

  it('asks again when the line comes back for another speaker, then says so clearly', async () => {
    server.enqueue({ kind: 'unknown-speakers', names: ['Narrator', 'Guest'] });
    const fixed = await drafter.rewriteLine(context(), input());
    expect(fixed.lines[0]).toMatchObject({ id: target.id, speaker: target.speaker });
    expect(server.requests).toHaveLength(2);
    expect(prompt(1)).toContain(`must be spoken by "${target.speaker}"`);

    server.requests.length = 0;
    server.enqueue({ kind: 'unknown-speakers' }, { kind: 'unknown-speakers' });
    const err = await failure(drafter.rewriteLine(context(), input()));
    expect(err.code).toBe('provider');
    expect(err.message).toBe(
      `test-model kept giving the line to Narrator instead of ${target.speaker}. The line is unchanged; try again or pick another model.`,
    );
  });

  it('repairs a malformed reply once, then reports an unusable one in words', async () => {
    server.enqueue({ kind: 'malformed' });
    const out = await drafter.rewriteLine(context(), input());
    expect(out.lines[0].id).toBe(target.id);
    expect(server.requests).toHaveLength(2);
    expect(prompt(1)).toContain('with exactly one line');

    server.requests.length = 0;
    server.enqueue(
      { kind: 'malformed' },
      {
        kind: 'text',
        text: '{"lines": [{"speaker": "Maya", "text": "a"}, {"speaker": "Maya", "text": "b"}]}',
      },
    );
    const err = await failure(drafter.rewriteLine(context(), input()));
    expect(err.code).toBe('provider');
    expect(err.message).toMatch(
      /did not return a usable line, even after being asked to fix its reply \(it has 2 lines where exactly one was asked for\)\. The line is unchanged/,
    );
  });

  it('accepts a single `line` object and a fenced reply', async () => {
    server.enqueue({
      kind: 'text',
      text: `Sure:\n\`\`\`json\n{"line": {"speaker": "${target.speaker.toUpperCase()}", "text": "Shorter now."}}\n\`\`\``,
    });
    const out = await drafter.rewriteLine(context(), input());
    expect(out.lines[0]).toEqual({
      kind: 'speech',
      id: target.id,
      speaker: target.speaker,
      text: 'Shorter now.',
    });
  });

  it('refuses a line it cannot rewrite, and a rewrite over the budget, before sending anything', () => {
    expect(() => drafter.estimatePartial(input({ lineId: script[0].id }), 'rewrite-line')).toThrow(
      /speech line/,
    );
    return failure(drafter.rewriteLine(context(), { ...input(), budgetUsd: 0.000001 })).then((err) => {
      expect(err.code).toBe('over-budget');
      expect(err.message).toMatch(
        /^Rewriting this line would cost about \$0\.\d{4} \([\d,]+ tokens in, about [\d,]+ out\), more than the episode's budget/,
      );
      expect(server.requests).toHaveLength(0);
    });
  });

  it('reports 401, 429 and 5xx in producer words', async () => {
    const noKey = await failure(drafter.rewriteLine(context(), input({}, { apiKey: 'sk-wrong-000000000' })));
    expect(noKey.code).toBe('auth');
    server.enqueue(
      { kind: 'status', status: 429, retryAfter: '0' },
      { kind: 'status', status: 429, retryAfter: '0' },
      { kind: 'status', status: 429, retryAfter: '0' },
    );
    expect((await failure(drafter.rewriteLine(context(), input()))).message).toMatch(
      /rate-limiting requests \(HTTP 429\)/,
    );
    server.enqueue(
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    );
    expect((await failure(drafter.rewriteLine(context(), input()))).message).toMatch(
      /server error \(HTTP 503\)/,
    );
  });
});

describe('redraft from here', () => {
  const from = speech[4];
  const region = redraftRegion(script, from.id);

  it('streams only new lines, continues the turn order, and leaves the kept lines byte-identical', async () => {
    const snapshots: ScriptLine[][] = [];
    // Through the service, so the region it names (fromLineId/untilLineId) is what gets spliced.
    const service = new DraftService({ drafter, secrets: new MemorySecretStore() });
    const { provider, ...brief } = input({ lineId: from.id, instruction: undefined });
    const llm = {
      baseURL: provider.baseURL,
      model: provider.model,
      inputPricePerM: 0.5,
      outputPricePerM: 1.5,
    };
    const result = await service.redraftFrom(context(), { ...brief, llm }, provider, (l) =>
      snapshots.push(l),
    );
    if (result.kind !== 'draft-partial')
      throw new Error(`expected a draft-partial result, got ${result.kind}`);
    const out = result;
    expect(snapshots.length).toBeGreaterThan(1);
    const keptIds = new Set([...region.head, ...region.after].map((l) => l.id));
    for (const snap of snapshots) for (const l of snap) expect(keptIds.has(l.id)).toBe(false);
    // A line keeps its id from one snapshot to the next.
    expect(
      snapshots
        .at(-1)!
        .slice(0, snapshots[0].length)
        .map((l) => l.id),
    ).toEqual(snapshots[0].map((l) => l.id));

    const before = printScript(script);
    const after = printScript(spliceRedraft(script, out));
    const head = printScript(region.head);
    const ending = printScript(region.after).replace(/^\n/, '');
    expect(after.slice(0, head.length)).toBe(before.slice(0, head.length));
    expect(after.endsWith(ending)).toBe(true);
    // Between them, exactly the new lines: nothing of the replaced region survives or doubles.
    expect(after.slice(head.length, after.length - ending.length).trim()).toBe(printScript(out.lines).trim());
    expect(out.lines.length).toBeGreaterThan(0);
    expect(out.lines.map((l) => l.id)).not.toContain(from.id);
    const lastKept = [...region.head].reverse().find((l): l is SpeechLine => l.kind === 'speech')!;
    expect((out.lines[0] as SpeechLine).speaker).not.toBe(lastKept.speaker);
    expect(out.grounding).toEqual([]);

    // The prompt quotes the kept lines and the ending, not the replaced lines.
    const sent = prompt(0);
    expect(sent).toContain('TASK: CONTINUE THE SCRIPT');
    expect(sent).toContain(printScript(region.head).trimEnd());
    expect(sent).toContain('ENDING');
    expect(sent).not.toContain(from.text);
  });

  it('passes the instruction on', async () => {
    await drafter.redraftFrom(
      context(),
      input({ lineId: from.id, instruction: 'more sceptical' }),
      () => undefined,
    );
    expect(prompt(0)).toContain('- Instruction: more sceptical');
  });

  it('keeps the new lines that arrived when cancelled mid-stream', async () => {
    const ctx = context();
    const snapshots: ScriptLine[][] = [];
    const err = await failure(
      drafter.redraftFrom(
        ctx,
        input({ lineId: from.id }, { baseURL: slow.baseURL, apiKey: undefined }),
        (l) => {
          snapshots.push(l);
          if (snapshots.length === 2) ctx.controller.abort();
        },
      ),
    );
    expect(err.code).toBe('canceled');
    expect(err.partialLines).toEqual(snapshots.at(-1));
    expect(err.partialLines.length).toBeGreaterThan(0);
  });

  it('repairs malformed JSON and retries unknown speakers like a full draft', async () => {
    server.enqueue({ kind: 'malformed' });
    await drafter.redraftFrom(context(), input({ lineId: from.id }), () => undefined);
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    server.enqueue({ kind: 'unknown-speakers' }, { kind: 'unknown-speakers' });
    const err = await failure(drafter.redraftFrom(context(), input({ lineId: from.id }), () => undefined));
    expect(err.message).toMatch(
      /speakers who are not hosts of the show \(Narrator, Guest\)\. The lines above are unchanged/,
    );
  });

  it('estimates more input the more lines are kept, and a rewrite far less than a draft', () => {
    const early = drafter.estimatePartial(input({ lineId: speech[2].id }), 'redraft-from');
    const late = drafter.estimatePartial(input({ lineId: speech.at(-4)!.id }), 'redraft-from');
    expect(late.inputTokens).toBeGreaterThan(early.inputTokens);
    expect(late.outputTokens).toBeLessThan(early.outputTokens);
    const rewrite = drafter.estimatePartial(input(), 'rewrite-line');
    const whole = drafter.estimate(input());
    expect(rewrite.outputTokens).toBeLessThan(whole.outputTokens / 5);
    expect(rewrite.costUsd).toBeLessThan(whole.costUsd);
  });
});
