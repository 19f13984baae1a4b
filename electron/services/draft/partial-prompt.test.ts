// The redraft prompt takes its turn order, tail length and sign-off sentence from the same pieces
// as the offline redraft and the full-draft prompt, so the three never drift apart.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { nextHost, tailTargetWords } from '../../../shared/draft/partial';
import type { ScriptLine } from '../../../shared/model/episode';
import { parseDefaultPersonas } from '../settings/settings-service';
import { buildRedraftMessages, tailLength } from './partial-prompt';
import { buildDraftMessages, signOffSentence } from './prompt';

const personas = parseDefaultPersonas(
  readFileSync(new URL('../../../resources/default-personas.json', import.meta.url), 'utf8'),
);
const [a, b] = personas;
const show = { showName: 'Goose Pod', listenerName: 'norristong', locale: 'en-US', date: '2025-11-15' };
const article = { title: 'Geese', text: 'Geese fly south. They return in spring. Farmers count them.' };
const lines: ScriptLine[] = [
  { kind: 'speech', id: 'l1', speaker: a.name, text: 'Hello there, this is the show.' },
  { kind: 'speech', id: 'l2', speaker: 'Narrator', text: 'A guest line read by nobody on the show.' },
  { kind: 'speech', id: 'l3', speaker: b.name, text: 'And the line the redraft starts from.' },
];
const brief = { article, show, personas, targetMinutes: 2, lines, lineId: 'l3' };

describe('buildRedraftMessages', () => {
  it('starts after an unknown speaker with the first host, as the offline redraft does', () => {
    const built = buildRedraftMessages(brief);
    expect(nextHost(lines.slice(0, 2), personas)).toBe(0);
    expect(built.nextSpeaker).toBe(a.name);
    // After a known host, the next one in turn.
    expect(buildRedraftMessages({ ...brief, lineId: 'l2' }).nextSpeaker).toBe(b.name);
  });

  it('asks for the target less the kept words, the same number the offline redraft aims for', () => {
    const kept = lines.slice(0, 2);
    expect(tailLength(brief, kept)).toMatchObject({ unit: 'words', amount: tailTargetWords(2, kept) });
    const cjk = tailLength({ ...brief, show: { ...show, locale: 'zh-CN' } }, kept);
    expect(cjk.unit).toBe('characters');
    expect(cjk.amount).toBe(
      2 * 250 - kept.reduce((n, l) => n + (l.kind === 'speech' ? l.text.length : 0), 0),
    );
  });

  it('quotes the same sign-off sentence as the full draft, template or standard', () => {
    for (const s of [show, { ...show, signOffTemplate: 'Bye from {show}, {listener}.' }]) {
      const sentence = signOffSentence(s, a);
      const redraft = buildRedraftMessages({ ...brief, show: s })
        .messages.map((m) => m.content)
        .join('\n');
      const full = buildDraftMessages({ article, show: s, personas })
        .messages.map((m) => m.content)
        .join('\n');
      expect(redraft).toContain(`"${sentence}"`);
      expect(full).toContain(`"${sentence}"`);
    }
    expect(signOffSentence({ ...show, signOffTemplate: 'Bye from {show}.' }, a)).toBe('Bye from Goose Pod.');
  });
});
