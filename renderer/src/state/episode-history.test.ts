// The episode's one undo history against a model of Monaco's undo stack that behaves like
// monaco-editor's EditStack: typing joins the open group until a stop, undo/redo move whole
// groups, the alternative version id comes back to a group's boundary on undo/redo, a new edit
// drops the redo list, and Monaco's canRedo survives a voice action (it knows nothing of it).
import { describe, expect, it } from 'vitest';
import {
  afterRedo,
  afterUndo,
  dropEntry,
  emptyHistory,
  MAX_VOICE_ENTRIES,
  nextRedo,
  nextUndo,
  recordTextEdit,
  recordVoice,
  type EpisodeHistory,
  type TextStackView,
} from './episode-history';

interface Group {
  before: { version: number; text: string };
  after: { version: number; text: string };
  open: boolean;
}

/** Monaco's undo stack for one model, as far as the history can see it. */
class TextStack {
  text = '';
  #versionId = 1;
  #alt = 1;
  #past: Group[] = [];
  #future: Group[] = [];

  /** A keystroke or paste: joins the open group (no redo pending), else starts a new group. */
  type(s: string): void {
    const last = this.#future.length ? undefined : this.#past.at(-1);
    const before = { version: this.#alt, text: this.text };
    this.text += s;
    this.#alt = ++this.#versionId;
    const after = { version: this.#alt, text: this.text };
    if (last?.open) last.after = after;
    else {
      this.#future = [];
      this.#past.push({ before, after, open: true });
    }
  }
  /** model.pushStackElement(): closes the open group. */
  stop(): void {
    const last = this.#past.at(-1);
    if (last) last.open = false;
  }
  undo(): void {
    const g = this.#past.pop()!;
    g.open = false;
    this.#future.push(g);
    this.text = g.before.text;
    this.#alt = g.before.version;
  }
  redo(): void {
    const g = this.#future.pop()!;
    this.#past.push(g);
    this.text = g.after.text;
    this.#alt = g.after.version;
  }
  view(): TextStackView {
    return { version: this.#alt, canUndo: this.#past.length > 0, canRedo: this.#future.length > 0 };
  }
}

/** What a voice action changes, in this test: which take is current. */
interface Action {
  label: string;
  from: string;
  to: string;
}

/** The text stack, the history and a line's current take, driven the way history-actions does. */
class Studio {
  stack = new TextStack();
  history: EpisodeHistory<Action> = emptyHistory();
  current = 'A';

  type(s: string): void {
    this.stack.type(s);
    this.history = recordTextEdit(this.history);
  }
  voice(label: string, to: string): void {
    this.stack.stop();
    this.history = recordVoice(this.history, { label, from: this.current, to }, this.stack.view());
    this.current = to;
  }
  /** Undoes one step; returns what it undid. */
  undo(): string | null {
    return this.#step('undo');
  }
  redo(): string | null {
    return this.#step('redo');
  }
  #step(direction: 'undo' | 'redo'): string | null {
    const undoing = direction === 'undo';
    const step = (undoing ? nextUndo : nextRedo)(this.history, this.stack.view());
    if (!step) return null;
    if (step.kind === 'text') {
      if (undoing) this.stack.undo();
      else this.stack.redo();
      return 'text';
    }
    this.current = undoing ? step.entry.action.from : step.entry.action.to;
    this.history = (undoing ? afterUndo : afterRedo)(this.history, step);
    return step.entry.action.label;
  }
  state(): string {
    return `${this.stack.text}|${this.current}`;
  }
}

describe('episode history', () => {
  it('undoes script edits and voice actions in the order they were made, and redoes them', () => {
    const s = new Studio();
    s.type('a');
    s.type('b'); // same Monaco group as "a"
    s.stack.stop(); // e.g. the cursor moved
    s.type('c');
    s.voice('regenerate', 'B');
    s.type('d');
    s.voice('pin', 'A');
    s.voice('delete', 'A2');
    const states = [s.state()];
    const undone: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      undone.push(s.undo());
      states.push(s.state());
    }
    expect(undone).toEqual(['delete', 'pin', 'text', 'regenerate', 'text', 'text']);
    expect(states).toEqual(['abcd|A2', 'abcd|A', 'abcd|B', 'abc|B', 'abc|A', 'ab|A', '|A']);
    expect(s.undo()).toBeNull();

    const redone: (string | null)[] = [];
    for (let i = 0; i < 6; i++) redone.push(s.redo());
    expect(redone).toEqual(['text', 'text', 'regenerate', 'text', 'pin', 'delete']);
    expect(s.state()).toBe('abcd|A2');
    expect(s.redo()).toBeNull();
  });

  it('typing after a voice action is a step of its own, even though Monaco would have joined it', () => {
    const s = new Studio();
    s.type('x');
    s.voice('pin', 'B');
    s.type('y');
    expect(s.undo()).toBe('text');
    expect(s.state()).toBe('x|B');
    expect(s.undo()).toBe('pin');
    expect(s.state()).toBe('x|A');
  });

  it('two voice actions with no edit between them share an anchor and still go in order', () => {
    const s = new Studio();
    s.voice('first', 'B');
    s.voice('second', 'C');
    expect([s.undo(), s.undo(), s.undo()]).toEqual(['second', 'first', null]);
    expect([s.redo(), s.redo(), s.redo()]).toEqual(['first', 'second', null]);
    expect(s.state()).toBe('|C');
  });

  it('a new voice action clears the redo branch, Monaco’s text redo included', () => {
    const s = new Studio();
    s.type('a');
    s.stack.stop();
    s.type('b');
    s.voice('pin', 'B');
    expect(s.undo()).toBe('pin');
    expect(s.undo()).toBe('text');
    expect(s.stack.view().canRedo).toBe(true); // Monaco still offers "b"…
    s.voice('delete', 'C');
    expect(s.redo()).toBeNull(); // …but it belongs to the abandoned branch
    expect(s.undo()).toBe('delete');
    expect(s.redo()).toBe('delete');
    expect(s.redo()).toBeNull();
    expect(s.state()).toBe('a|C');
    // Going back further and forward again still reaches the live steps only.
    expect([s.undo(), s.undo(), s.undo()]).toEqual(['delete', 'text', null]);
    expect([s.redo(), s.redo(), s.redo()]).toEqual(['text', 'delete', null]);
  });

  it('a new script edit clears undone voice actions', () => {
    const s = new Studio();
    s.type('a');
    s.voice('pin', 'B');
    expect(s.undo()).toBe('pin');
    s.type('!');
    expect(s.redo()).toBeNull();
    expect(s.state()).toBe('a!|A');
    expect([s.undo(), s.undo(), s.undo()]).toEqual(['text', 'text', null]);
  });

  it('a voice action stays undoable when Monaco’s stack no longer reaches its point', () => {
    let h = recordVoice(emptyHistory<string>(), 'pin', { version: 7, canUndo: true, canRedo: false });
    const reset: TextStackView = { version: 1, canUndo: false, canRedo: false };
    const step = nextUndo(h, reset);
    expect(step).toMatchObject({ kind: 'voice', entry: { action: 'pin' } });
    h = afterUndo(h, step!);
    expect(nextUndo(h, reset)).toBeNull();
    expect(nextRedo(h, reset)).toMatchObject({ kind: 'voice', entry: { action: 'pin' } });
  });

  it('drops an entry whose inverse failed, so the steps behind it stay reachable', () => {
    const text: TextStackView = { version: 3, canUndo: false, canRedo: false };
    let h = recordVoice(emptyHistory<string>(), 'first', text);
    h = recordVoice(h, 'broken', text);
    const step = nextUndo(h, text)!;
    expect(step).toMatchObject({ entry: { action: 'broken' } });
    h = dropEntry(h, step.kind === 'voice' ? step.entry : h.done[0]!);
    expect(nextUndo(h, text)).toMatchObject({ entry: { action: 'first' } });
    expect(nextRedo(h, text)).toBeNull();
  });

  it('keeps the newest voice actions only', () => {
    const text: TextStackView = { version: 1, canUndo: false, canRedo: false };
    let h = emptyHistory<number>();
    for (let i = 0; i < MAX_VOICE_ENTRIES + 5; i++) h = recordVoice(h, i, text);
    expect(h.done).toHaveLength(MAX_VOICE_ENTRIES);
    expect(h.done[0]!.action).toBe(5);
  });
});
