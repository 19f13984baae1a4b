/**
 * The `goosepod-script` language: a Monarch tokenizer for `## Heading` lines and `Speaker:`
 * prefixes, with every known host's label drawn in that host's colour by the studio theme.
 */
import type { Persona } from '@shared/model/episode';
import { monaco } from './monaco-setup';

export const LANGUAGE_ID = 'goosepod-script';
export const THEME_ID = 'goosepod-dark';

let registered = false;
let tokensProvider: monaco.IDisposable | null = null;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Registers the language once (idempotent). */
export function registerGoosepodLanguage(): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.goosepod'], aliases: ['Goose Pod script'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    wordPattern: /(-?\d*\.\d\w*)|([^`~!@#$%^&*()=+[{\]}\\|;:'",.<>/?\s]+)/g,
    brackets: [
      ['[', ']'],
      ['(', ')'],
    ],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '[', close: ']' },
      { open: '"', close: '"', notIn: ['string'] },
    ],
  });
  applyPersonas([]);
}

/**
 * Rebuilds the tokenizer and theme for the current hosts (names and colours). Hosts are matched
 * by position so renaming or recolouring one only swaps a rule.
 */
export function applyPersonas(personas: readonly Pick<Persona, 'name' | 'color'>[]): void {
  tokensProvider?.dispose();
  const speakerRules: monaco.languages.IMonarchLanguageRule[] = personas
    .filter((p) => p.name.trim())
    .map((p, i) => [
      new RegExp(`^(\\s*)(${escapeRegExp(p.name.trim())})(\\s*:)`),
      ['white', `speaker.p${i}`, 'delimiter.speaker'],
    ]);
  tokensProvider = monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, {
    defaultToken: 'text',
    tokenizer: {
      root: [
        [/^\s*##.*$/, 'heading'],
        [/^\s*#(?!#).*$/, 'comment'],
        [/^\s*\[\s*pause\b[^\]\n]*\]\s*$/i, 'pause'],
        ...speakerRules,
        [/^(\s*)([^:\n#[\]]{1,80}?)(\s*:)(?=\s)/, ['white', 'speaker.unknown', 'delimiter.speaker']],
        [/\[[^\]\n]*\]/, 'direction'],
        [/"[^"\n]*"|“[^”\n]*”/, 'quote'],
        [/\d[\d,.]*%?/, 'number'],
        [/[^[\d"“]+/, 'text'],
        [/./, 'text'],
      ],
    },
  });
  monaco.editor.defineTheme(THEME_ID, {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'text', foreground: 'd6d9e0' },
      { token: 'heading', foreground: 'c4a7ff', fontStyle: 'bold' },
      { token: 'comment', foreground: '6e7681', fontStyle: 'italic' },
      { token: 'pause', foreground: '56d4dd', fontStyle: 'italic' },
      { token: 'speaker.unknown', foreground: 'ff7b72', fontStyle: 'bold underline' },
      { token: 'delimiter.speaker', foreground: '7d8590' },
      { token: 'direction', foreground: '8b949e', fontStyle: 'italic' },
      { token: 'quote', foreground: 'a5d6a7' },
      { token: 'number', foreground: 'f2cc60' },
      ...personas.map((p, i) => ({
        token: `speaker.p${i}`,
        foreground: p.color.replace('#', ''),
        fontStyle: 'bold',
      })),
    ],
    colors: {
      'editor.background': '#16181d',
      'editor.foreground': '#d6d9e0',
      'editorGutter.background': '#16181d',
      'editorLineNumber.foreground': '#4b5261',
      'editorLineNumber.activeForeground': '#9aa3b2',
      'editor.lineHighlightBackground': '#1f232b',
      'editor.selectionBackground': '#2d4a6e',
      'editorCodeLens.foreground': '#6e7a8a',
      'editorWidget.background': '#1d2027',
      'editorHoverWidget.background': '#1d2027',
      'editorHoverWidget.border': '#30363d',
      'scrollbarSlider.background': '#2a2f3a88',
    },
  });
  monaco.editor.setTheme(THEME_ID);
}
