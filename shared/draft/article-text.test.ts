/// <reference types="vite/client" />
import { describe, it, expect } from 'vitest';
import { cleanArticleText } from './article-text';
import seedArticle from './fixtures/seed-article.txt?raw';

describe('cleanArticleText on the seed article', () => {
  const cleaned = cleanArticleText(seedArticle);

  it('takes the headline and the source line out of the body', () => {
    expect(cleaned.title).toBe('China’s AI is quietly making big inroads in Silicon Valley');
    expect(cleaned.source).toBe('Al Jazeera English');
    expect(cleaned.text).not.toContain('Source:');
    expect(cleaned.text.startsWith('China’s AI models are quickly gaining traction')).toBe(true);
  });

  it('removes the Recommended Stories box and keeps the sentence glued to it', () => {
    expect(cleaned.text).not.toMatch(/Recommended Stories|list of 4 items|end of list|Zaporizhia/);
    expect(cleaned.text).toContain('\n\nThe trend has also cast a critical glare');
  });

  it('removes both photo captions with their credits', () => {
    expect(cleaned.text).not.toContain('[Kirill');
    expect(cleaned.text).not.toContain('AI letters are shown on a laptop screen');
    expect(cleaned.text).not.toContain('Schiefelbein');
    expect(cleaned.text).not.toContain('The logo of Chinese technology firm Alibaba');
    expect(cleaned.text).toContain('its “internal findings.” Nathan Lambert, a machine learning researcher');
    expect(cleaned.text).toContain('for instance. “I do think China’s AI progress');
  });

  it('splits glued sentences', () => {
    expect(cleaned.text).toContain('tech leaders. Their rapid ascent');
    expect(cleaned.text).toContain('“fast and cheap”. Social Capital CEO');
    expect(cleaned.text).toContain('mother of invention.” With lower input costs');
    expect(cleaned.text).toContain('told Al Jazeera. “I’ve personally heard');
    expect(cleaned.text).not.toMatch(/[a-z][.!?]\p{Lu}/u);
  });

  it('keeps Z.ai, decimals and versions intact and rejoins "Z.\\n\\nai"', () => {
    expect(cleaned.text).toContain('though Z.ai has said the speculation');
    expect(cleaned.text).toContain('Alibaba, Z.ai, Moonshot');
    expect(cleaned.text).toContain('GLM 4.6 and DeepSeek’s V3.2, took up');
    expect(cleaned.text).not.toMatch(/Z\. ai|Z\.\s*\n/);
  });

  it('gives a closing quote split off by a paragraph break back to its paragraph', () => {
    expect(cleaned.text).toContain('trust command a premium.”\n\n“In Fortune 500');
  });

  it('separates paragraphs with exactly one blank line and trims them', () => {
    const paragraphs = cleaned.text.split('\n\n');
    expect(paragraphs.length).toBeGreaterThan(10);
    for (const p of paragraphs) {
      expect(p).toBe(p.trim());
      expect(p).not.toContain('\n');
      expect(p).not.toMatch(/ {2}/);
    }
  });

  it('is stable when cleaned again', () => {
    const again = cleanArticleText(cleaned.text);
    expect(again.text).toBe(cleaned.text);
    expect(again.title).toBe('');
  });
});

describe('cleanArticleText details', () => {
  it('normalises CRLF, tabs and non-breaking spaces', () => {
    const r = cleanArticleText('Headline here\r\n\r\nFirst\u00a0sentence\there.\r\n\r\n\r\n\r\nSecond one.');
    expect(r).toEqual({ title: 'Headline here', text: 'First sentence here.\n\nSecond one.' });
  });

  it('removes a duplicated title', () => {
    const r = cleanArticleText('Big news today\n\nBig News Today\n\nThe body sentence is here.');
    expect(r.title).toBe('Big news today');
    expect(r.text).toBe('The body sentence is here.');
  });

  it('does not take a sentence as the title', () => {
    const r = cleanArticleText('This is a full sentence.\n\nAnother one.');
    expect(r.title).toBe('');
    expect(r.text).toBe('This is a full sentence.\n\nAnother one.');
  });

  it('does not treat a single line as both title and body', () => {
    expect(cleanArticleText('Just a line without stop')).toEqual({
      title: '',
      text: 'Just a line without stop',
    });
  });

  it('strips a markdown heading marker from the title', () => {
    expect(cleanArticleText('# The headline\n\nBody text.').title).toBe('The headline');
  });

  it('does not split inside U.S., URLs, decimals or lower-case dotted names', () => {
    const r = cleanArticleText(
      'Headline\n\nThe U.S. Army grew 4.6 percent. See https://example.com/News.Today for more.It worked.',
    );
    expect(r.text).toBe(
      'The U.S. Army grew 4.6 percent. See https://example.com/News.Today for more. It worked.',
    );
  });

  it('splits glued sentences after numbers, brackets and quotes', () => {
    const r = cleanArticleText(
      'Title\n\nSales hit 2025.The rest followed (slowly).Then “Wow.”Then ”“Quoted” too.',
    );
    expect(r.text).toBe('Sales hit 2025. The rest followed (slowly). Then “Wow.” Then ” “Quoted” too.');
  });

  it('joins hard-wrapped lines but keeps short lines as paragraphs', () => {
    const r = cleanArticleText(
      'Headline\nThis is a long hard-wrapped line that goes on and\ncontinues on the next line.\nA new paragraph.',
    );
    expect(r.title).toBe('Headline');
    expect(r.text).toBe(
      'This is a long hard-wrapped line that goes on and continues on the next line.\n\nA new paragraph.',
    );
  });

  it('joins a sentence split across a paragraph break', () => {
    const r = cleanArticleText('Title\n\nThe minister said that the\n\nplan would go ahead.');
    expect(r.text).toBe('The minister said that the plan would go ahead.');
  });

  it('removes a caption that forms its own paragraph and [File: …] credits', () => {
    const r = cleanArticleText(
      'Title\n\nFirst paragraph.\n\nA man walks past a shop in Paris [Reuters]\n\nProtesters gather, June 2 [File: Jane Doe/AP Photo]Second paragraph.',
    );
    expect(r.text).toBe('First paragraph.\n\nSecond paragraph.');
  });

  it('keeps brackets that are not credits', () => {
    const r = cleanArticleText('Title\n\nHe said it [sic] twice in 1/2 the time.');
    expect(r.text).toBe('He said it [sic] twice in 1/2 the time.');
  });

  it('handles a box glued to the previous sentence', () => {
    const r = cleanArticleText(
      'Title\n\nOne.Recommended Stories list of 2 itemslist 1 of 2First storylist 2 of 2Second storyend of listTwo.',
    );
    expect(r.text).toBe('One.\n\nTwo.');
  });

  it('returns empty text for blank input', () => {
    expect(cleanArticleText(' \n\n\t ')).toEqual({ title: '', text: '' });
  });
});
