import { describe, expect, it } from 'vitest';
import type { Persona, ShowSettings } from '../../../shared/model/episode';
import { TEST_PERSONAS } from '../../../shared/model/fixtures/sample-episode';
import { buildDraftMessages, hostLine, targetLength, type DraftBrief } from './prompt';

const show: ShowSettings = {
  showName: 'Goose Pod',
  listenerName: 'Ann',
  locale: 'en-US',
  date: '2025-11-15',
};
const article = { title: 'Libraries', text: 'Libraries opened six studios. They cost $18,000 each.' };

function userText(brief: DraftBrief): string {
  return buildDraftMessages(brief).messages[1].content;
}

describe('the drafting prompt', () => {
  it('gives each host their speaking style and catchphrases', () => {
    const personas: Persona[] = [
      { ...TEST_PERSONAS[0], style: 'dry,\n short sentences', catchphrases: ['Stay curious', ' '] },
      TEST_PERSONAS[1],
    ];
    const text = userText({ article, show, personas });
    expect(text).toContain(
      `- ${personas[0].name}: ${personas[0].role}\n  Speaking style: dry, short sentences\n  Catchphrases (use one or two where they fit naturally, never to state a fact): "Stay curious"`,
    );
    expect(hostLine(TEST_PERSONAS[1])).toBe(
      `- ${TEST_PERSONAS[1].name}: ${TEST_PERSONAS[1].role.trim() || 'a co-host'}`,
    );
  });

  it('uses the show’s greeting and sign-off templates when set', () => {
    const a = TEST_PERSONAS[0].name;
    const standard = userText({ article, show, personas: TEST_PERSONAS });
    expect(standard).toContain(`"Good morning Ann, I'm ${a}, and this is Goose Pod for you.`);
    const text = userText({
      article,
      show: {
        ...show,
        greetingTemplate: 'Hey {listener}, {host} on {show}, {weekday}.',
        signOffTemplate: 'Bye {listener}!',
      },
      personas: TEST_PERSONAS,
    });
    expect(text).toContain(`opens with the greeting: "Hey Ann, ${a} on Goose Pod, Saturday."`);
    expect(text).toContain(`signs off: "Bye Ann!"`);
    expect(text).not.toContain('Good morning');
  });

  it('sizes to the show’s target minutes unless the request names one', () => {
    const brief = { article, show: { ...show, targetMinutes: 10 }, personas: TEST_PERSONAS };
    expect(targetLength(brief)).toEqual({ amount: 1500, unit: 'words' });
    expect(targetLength({ ...brief, targetMinutes: 2 })).toEqual({ amount: 300, unit: 'words' });
    expect(targetLength({ ...brief, show })).toEqual({ amount: 750, unit: 'words' });
  });
});
