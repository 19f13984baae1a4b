import { useState } from 'react';
import type { Pronunciation } from '@shared/model/episode';
import { useStudio } from '../../state/studio-state';
import { setPronunciations } from '../../state/voice-actions';

const EMPTY: Pronunciation[] = [];

/**
 * The show's pronunciation dictionary: each word (a name, ticker or acronym, matched whole-word
 * and case-insensitively) is spoken as written in "say", by every engine.
 */
export function PronunciationPanel() {
  const list = useStudio((s) => s.episode.show.pronunciations ?? EMPTY);
  const [word, setWord] = useState('');
  const [say, setSay] = useState('');
  const dup = list.some((p) => p.word.toLowerCase() === word.trim().toLowerCase());
  const canAdd = word.trim() !== '' && say.trim() !== '' && !dup && list.length < 1000;
  const add = () => {
    if (!canAdd) return;
    setPronunciations([...list, { word: word.trim(), say: say.trim() }]);
    setWord('');
    setSay('');
  };
  const change = (i: number, patch: Partial<Pronunciation>) =>
    setPronunciations(list.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <section className="panel" aria-label="Pronunciations" data-testid="pronunciations">
      <header className="panel-head">
        <h2>Pronunciations</h2>
        <span className="muted" title="Applied to every line before any engine speaks it">
          word → say
        </span>
      </header>
      {list.length > 0 && (
        <ul className="pron-list">
          {list.map((p, i) => (
            <li key={`${p.word}-${i}`} className="pron-row" data-testid="pronunciation">
              <input
                className="input small"
                aria-label="Word"
                value={p.word}
                maxLength={100}
                onChange={(e) => e.target.value.trim() && change(i, { word: e.target.value })}
              />
              <span className="muted">→</span>
              <input
                className="input small"
                aria-label={`Say ${p.word} as`}
                value={p.say}
                maxLength={200}
                onChange={(e) => change(i, { say: e.target.value })}
              />
              <button
                className="btn tiny ghost"
                aria-label={`Remove ${p.word}`}
                title="Remove"
                onClick={() => setPronunciations(list.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="pron-row"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <input
          className={`input small ${dup ? 'invalid' : ''}`}
          aria-label="New word"
          data-testid="pron-word"
          placeholder="NVDA"
          title={dup ? 'Already in the dictionary' : 'Word, name, ticker or acronym'}
          maxLength={100}
          value={word}
          onChange={(e) => setWord(e.target.value)}
        />
        <span className="muted">→</span>
        <input
          className="input small"
          aria-label="Say it as"
          data-testid="pron-say"
          placeholder="Nvidia"
          maxLength={200}
          value={say}
          onChange={(e) => setSay(e.target.value)}
        />
        <button className="btn tiny" type="submit" data-testid="pron-add" disabled={!canAdd}>
          Add
        </button>
      </form>
    </section>
  );
}
