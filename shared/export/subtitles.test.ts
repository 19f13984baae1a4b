import { parseText, tokenizeVTTCue, type VTTNode } from 'media-captions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ScriptLine } from '../model/episode';
import {
  cuesFromRegions,
  formatTimestamp,
  MAX_CUE_LINES,
  MAX_LINE_CHARS,
  splitCues,
  toPodcastJson,
  toSrt,
  toWebVtt,
  type SubtitleCue,
} from './subtitles';

/** The Podcasting 2.0 JSON transcript shape (podcast-namespace transcripts spec). */
const PodcastTranscriptSchema = z
  .object({
    version: z.literal('1.0.0'),
    segments: z.array(
      z
        .object({
          speaker: z.string().min(1),
          startTime: z.number().nonnegative(),
          endTime: z.number().nonnegative(),
          body: z.string().min(1),
        })
        .strict()
        .refine((s) => s.endTime >= s.startTime, 'segment ends before it starts'),
    ),
  })
  .strict();

const LONG =
  'The data is undeniable. Chinese models are now over 40% of new releases on developer platforms like ' +
  "Hugging Face. The download numbers for models like Qwen are surpassing American ones like Meta's Llama. " +
  "This isn't anecdotal, it's a systemic shift driven by open, accessible technology.";

const CUES: SubtitleCue[] = [
  { speaker: 'Elon', text: 'Good morning, this is Goose Pod.', start: 0, end: 2.345 },
  { speaker: 'Donald', text: LONG, start: 2.745, end: 17.5 },
  { speaker: 'Elon', text: 'Is <script>alert(1)</script> & "quotes" --> safe?', start: 17.9, end: 62.3456 },
  { speaker: 'A&B <x>', text: 'Odd names too.', start: 3661.5, end: 3663 },
];

const ms = (sec: number) => Math.round(sec * 1000);

function textOf(nodes: VTTNode[]): string {
  return nodes.map((n) => (n.type === 'text' ? n.data : 'children' in n ? textOf(n.children) : '')).join('');
}

function voiceOf(nodes: VTTNode[]): string | undefined {
  for (const n of nodes) if (n.type === 'v') return n.voice;
  return undefined;
}

/** For each input line, the parsed cues that belong to it (in order, partitioned by time). */
function byLine<T extends { startTime: number; endTime: number }>(parsed: T[]): T[][] {
  return CUES.map((c) => parsed.filter((p) => ms(p.startTime) >= ms(c.start) && ms(p.endTime) <= ms(c.end)));
}

describe('formatTimestamp', () => {
  it('formats SRT and WebVTT timestamps with hours, minutes, seconds and milliseconds', () => {
    expect(formatTimestamp(62.345, ',')).toBe('00:01:02,345');
    expect(formatTimestamp(62.345, '.')).toBe('00:01:02.345');
    expect(formatTimestamp(3661.0005, '.')).toBe('01:01:01.001');
    expect(formatTimestamp(59.9996, ',')).toBe('00:01:00,000');
    expect(formatTimestamp(0, ',')).toBe('00:00:00,000');
    expect(formatTimestamp(-1, ',')).toBe('00:00:00,000');
    expect(formatTimestamp(360000, '.')).toBe('100:00:00.000');
  });
});

describe('splitCues', () => {
  it('keeps short lines whole and splits long ones into ≤2 rows of ≤42 chars at word boundaries', () => {
    const split = splitCues(CUES);
    expect(split.filter((c) => c.text === CUES[0].text)).toHaveLength(1);
    const long = split.filter((c) => c.start >= CUES[1].start && c.end <= CUES[1].end);
    expect(long.length).toBeGreaterThan(2);
    expect(long.map((c) => c.text).join(' ')).toBe(LONG);
    for (const c of long) {
      expect(c.rows.length).toBeLessThanOrEqual(MAX_CUE_LINES);
      for (const row of c.rows) expect(row.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
      expect(c.text.length).toBeLessThanOrEqual(MAX_LINE_CHARS * MAX_CUE_LINES + 1);
    }
    // Room for "Donald: " on the first row.
    expect(long[0].rows[0].length + 'Donald: '.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    // Back to back, first at the line's start, last at its end, time proportional to characters.
    expect(long[0].start).toBe(CUES[1].start);
    expect(long.at(-1)!.end).toBe(CUES[1].end);
    for (let i = 1; i < long.length; i++) expect(long[i].start).toBe(long[i - 1].end);
    const perChar = (CUES[1].end - CUES[1].start) / long.reduce((n, c) => n + c.text.length, 0);
    for (const c of long) expect(c.end - c.start).toBeCloseTo(c.text.length * perChar, 9);
  });
});

describe('toSrt', () => {
  it('writes numbered cues with comma timestamps and the speaker on the first cue of a line', () => {
    expect(toSrt(CUES.slice(0, 1))).toBe(
      '1\n00:00:00,000 --> 00:00:02,345\nElon: Good morning, this is Goose Pod.\n',
    );
    expect(toSrt([])).toBe('');
  });

  it('parses with a maintained parser; each line’s first and last cue sit on its region', async () => {
    const srt = toSrt(CUES);
    for (const timing of srt.split('\n').filter((l) => l.includes(' --> '))) {
      expect(timing).toMatch(/^\d{2,}:\d{2}:\d{2},\d{3} --> \d{2,}:\d{2}:\d{2},\d{3}$/);
    }
    const { cues, errors } = await parseText(srt, { type: 'srt', strict: true });
    expect(errors).toEqual([]);
    expect(cues).toHaveLength(splitCues(CUES).length);
    const groups = byLine(cues);
    groups.forEach((g, i) => {
      expect(g.length).toBeGreaterThan(0);
      expect(ms(g[0].startTime)).toBe(ms(CUES[i].start));
      expect(ms(g.at(-1)!.endTime)).toBe(ms(CUES[i].end));
      expect(g[0].text.startsWith(`${CUES[i].speaker}: `)).toBe(true);
    });
    expect(ms(groups[2][0].endTime)).toBe(62346);
    expect(cues.map((c) => c.text).join('\n')).not.toContain('-->');
  });
});

describe('toWebVtt', () => {
  it('starts with WEBVTT and wraps text in escaped voice spans', () => {
    const vtt = toWebVtt(CUES);
    expect(vtt.startsWith('WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.345\n<v Elon>Good morning')).toBe(true);
    expect(vtt.replace(/\n/g, ' ')).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes" --&gt; safe?',
    );
    expect(vtt).not.toContain('<script>');
    expect(vtt).toContain('<v A&amp;B &lt;x&gt;>Odd names too.</v>');
    expect(toWebVtt([])).toBe('WEBVTT\n');
  });

  it('parses strictly; voices, decoded text and cue times match the regions', async () => {
    const { cues, errors } = await parseText(toWebVtt(CUES), { type: 'vtt', strict: true });
    expect(errors).toEqual([]);
    const split = splitCues(CUES);
    expect(cues).toHaveLength(split.length);
    cues.forEach((cue, i) => {
      const nodes = tokenizeVTTCue(cue);
      expect(voiceOf(nodes)).toBe(split[i].speaker);
      expect(textOf(nodes)).toBe(split[i].rows.join('\n'));
      expect(ms(cue.startTime)).toBe(ms(split[i].start));
      expect(ms(cue.endTime)).toBe(ms(split[i].end));
    });
    byLine(cues).forEach((g, i) => {
      expect(ms(g[0].startTime)).toBe(ms(CUES[i].start));
      expect(ms(g.at(-1)!.endTime)).toBe(ms(CUES[i].end));
      expect(g.map((c) => textOf(tokenizeVTTCue(c)).replace(/\n/g, ' ')).join(' ')).toBe(CUES[i].text);
    });
  });
});

describe('toPodcastJson', () => {
  it('validates as a Podcasting 2.0 transcript whose segments cover each line’s region', () => {
    const json = PodcastTranscriptSchema.parse(JSON.parse(JSON.stringify(toPodcastJson(CUES))));
    expect(json.segments).toHaveLength(splitCues(CUES).length);
    const groups = CUES.map((c) =>
      json.segments.filter((s) => ms(s.startTime) >= ms(c.start) && ms(s.endTime) <= ms(c.end)),
    );
    groups.forEach((g, i) => {
      expect(g[0].startTime).toBe(ms(CUES[i].start) / 1000);
      expect(g.at(-1)!.endTime).toBe(ms(CUES[i].end) / 1000);
      expect(g.every((s) => s.speaker === CUES[i].speaker)).toBe(true);
      expect(g.map((s) => s.body).join(' ')).toBe(CUES[i].text);
    });
    expect(
      PodcastTranscriptSchema.safeParse({ version: '1.0.0', segments: [{ speaker: 'x' }] }).success,
    ).toBe(false);
  });
});

describe('cuesFromRegions', () => {
  it('joins regions with speech lines in mix order and skips headings, blanks and unknown ids', () => {
    const lines: ScriptLine[] = [
      { kind: 'heading', id: 'h', text: 'Intro' },
      { kind: 'speech', id: 'a', speaker: 'Ada', text: ' Hello\n  there. ' },
      { kind: 'speech', id: 'b', speaker: 'Ben', text: '   ' },
      { kind: 'speech', id: 'c', speaker: 'Cy', text: 'Bye.' },
    ];
    const regions = [
      { lineId: 'a', speaker: 'Ada Persona', start: 0, end: 1 },
      { lineId: 'b', speaker: 'Ben', start: 1.4, end: 2 },
      { lineId: 'gone', speaker: 'X', start: 2.4, end: 3 },
      { lineId: 'h', speaker: 'X', start: 3, end: 3.2 },
      { lineId: 'c', speaker: '', start: 3.4, end: 4 },
    ];
    expect(cuesFromRegions(lines, regions)).toEqual([
      { speaker: 'Ada Persona', text: 'Hello there.', start: 0, end: 1 },
      { speaker: 'Cy', text: 'Bye.', start: 3.4, end: 4 },
    ]);
  });
});
