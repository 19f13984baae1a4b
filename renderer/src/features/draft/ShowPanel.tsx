import { updateShow } from '../../state/project-actions';
import { useStudio } from '../../state/studio-state';

const LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-CA', 'en-IE', 'en-IN', 'en-NZ', 'en-ZA'];

/** Show name, listener, episode date and locale (the greeting and sign-off use them). */
export function ShowPanel() {
  const show = useStudio((s) => s.episode.show);
  return (
    <section className="panel" aria-label="Show settings">
      <header className="panel-head">
        <h2>Show</h2>
      </header>
      <div className="form-grid">
        <label htmlFor="show-name">Show</label>
        <input
          id="show-name"
          className="input"
          data-testid="show-name"
          required
          maxLength={80}
          value={show.showName}
          onChange={(e) => updateShow({ showName: e.target.value })}
        />
        <label htmlFor="listener-name">Listener</label>
        <input
          id="listener-name"
          className="input"
          data-testid="listener-name"
          required
          maxLength={80}
          value={show.listenerName}
          onChange={(e) => updateShow({ listenerName: e.target.value })}
        />
        <label htmlFor="show-date">Date</label>
        <input
          id="show-date"
          className="input"
          data-testid="show-date"
          type="date"
          required
          value={show.date}
          onChange={(e) => e.target.value && updateShow({ date: e.target.value })}
        />
        <label htmlFor="show-locale">Locale</label>
        <input
          id="show-locale"
          className="input"
          data-testid="show-locale"
          list="locale-options"
          required
          minLength={2}
          maxLength={20}
          value={show.locale}
          onChange={(e) => updateShow({ locale: e.target.value })}
        />
        <datalist id="locale-options">
          {LOCALES.map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
      </div>
    </section>
  );
}
