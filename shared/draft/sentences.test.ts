import { describe, it, expect } from 'vitest';
import { sentenceSpans, splitSentences } from './sentences';

describe('splitSentences', () => {
  it('splits plain sentences', () => {
    expect(splitSentences('One two three. Four five six! Seven eight? Nine.')).toEqual([
      'One two three.',
      'Four five six!',
      'Seven eight?',
      'Nine.',
    ]);
  });

  it('keeps titles and common abbreviations inside the sentence', () => {
    expect(splitSentences('Mr. Smith met Dr. Jones at St. Mary’s. They talked.')).toEqual([
      'Mr. Smith met Dr. Jones at St. Mary’s.',
      'They talked.',
    ]);
    expect(splitSentences('Some fruits, e.g. Apples, are red. Others are not.')).toEqual([
      'Some fruits, e.g. Apples, are red.',
      'Others are not.',
    ]);
  });

  it('treats U.S. as an abbreviation unless a sentence clearly starts after it', () => {
    expect(splitSentences('The U.S. Senate voted. It passed.')).toEqual([
      'The U.S. Senate voted.',
      'It passed.',
    ]);
    expect(splitSentences('Chips are made in the U.S. The plant opened in May.')).toEqual([
      'Chips are made in the U.S.',
      'The plant opened in May.',
    ]);
  });

  it('keeps initials with the name', () => {
    expect(splitSentences('John F. Kennedy spoke. Crowds cheered.')).toEqual([
      'John F. Kennedy spoke.',
      'Crowds cheered.',
    ]);
  });

  it('does not split decimals, versions or dotted names', () => {
    expect(splitSentences('GLM 4.6 and V3.2 beat Z.ai in 2.5 seconds. Next.')).toEqual([
      'GLM 4.6 and V3.2 beat Z.ai in 2.5 seconds.',
      'Next.',
    ]);
  });

  it('ends sentences after quotes, whether the period is inside or outside', () => {
    expect(splitSentences('He called it “fast and cheap”. Then he left.')).toEqual([
      'He called it “fast and cheap”.',
      'Then he left.',
    ]);
    expect(splitSentences('“Necessity is the mother of invention.” With lower costs, firms won.')).toEqual([
      '“Necessity is the mother of invention.”',
      'With lower costs, firms won.',
    ]);
    expect(splitSentences('She said: "It works." Nobody argued.')).toEqual([
      'She said: "It works."',
      'Nobody argued.',
    ]);
  });

  it('does not end a sentence at a quoted question followed by lower case', () => {
    expect(splitSentences('“Is it cheap?” he asked. Yes.')).toEqual(['“Is it cheap?” he asked.', 'Yes.']);
  });

  it('splits at CJK punctuation for zh and ja', () => {
    expect(splitSentences('今天天气很好。我们去公园吧！你来吗？', 'zh')).toEqual([
      '今天天气很好。',
      '我们去公园吧！',
      '你来吗？',
    ]);
    expect(splitSentences('「こんにちは。」と彼は言った。元気です。', 'ja')).toEqual([
      '「こんにちは。」',
      'と彼は言った。',
      '元気です。',
    ]);
  });

  it('always breaks at paragraph breaks and collapses inner whitespace', () => {
    expect(splitSentences('A headline without stop\n\nThe body   starts\nhere. Done.')).toEqual([
      'A headline without stop',
      'The body starts here.',
      'Done.',
    ]);
  });

  it('returns spans that slice the original text', () => {
    const text = '  First one.  Second “two”.\n\nThird';
    const spans = sentenceSpans(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['First one.', 'Second “two”.', 'Third']);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('   \n\n ')).toEqual([]);
  });
});

describe('splitSentences with word-like abbreviations', () => {
  it('treats "No." before a number as an abbreviation but "no." as a word otherwise', () => {
    expect(splitSentences('He ranked No. 5 overall. The answer was no. Critics agreed.')).toEqual([
      'He ranked No. 5 overall.',
      'The answer was no.',
      'Critics agreed.',
    ]);
  });

  it('ends a sentence after a company abbreviation when a new sentence starts', () => {
    expect(splitSentences('She joined Acme Inc. The firm grew. Acme Inc. Europe did not.')).toEqual([
      'She joined Acme Inc.',
      'The firm grew.',
      'Acme Inc. Europe did not.',
    ]);
  });

  it('does not mistake verbs for weekday abbreviations', () => {
    expect(splitSentences('The dog sat. Nobody noticed.')).toEqual(['The dog sat.', 'Nobody noticed.']);
  });
});
