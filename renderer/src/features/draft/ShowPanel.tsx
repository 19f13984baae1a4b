import { updateShow } from '../../state/project-actions';
import { useStudio } from '../../state/studio-state';

const TEMPLATE_HINT =
  'Variables: {listener} {show} {host} {weekday} {date} {timeOfDay}. Blank: the standard sentence.';

const LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-CA', 'en-IE', 'en-IN', 'en-NZ', 'en-ZA'];

/**
 * Show name, listener, episode date, locale, target length, category and the greeting and
 * sign-off templates (the drafters use them).
 */
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
        <label htmlFor="show-target">Minutes</label>
        <input
          id="show-target"
          className="input"
          data-testid="show-target-minutes"
          type="number"
          min={1}
          max={120}
          placeholder="5"
          value={show.targetMinutes ?? ''}
          onChange={(e) => {
            const n = e.target.valueAsNumber;
            if (e.target.value === '') updateShow({ targetMinutes: undefined });
            else if (Number.isFinite(n) && n >= 1 && n <= 120) updateShow({ targetMinutes: n });
          }}
        />
        <label htmlFor="show-category">Category</label>
        <input
          id="show-category"
          className="input"
          data-testid="show-category"
          maxLength={80}
          placeholder="From the article"
          value={show.category ?? ''}
          onChange={(e) => updateShow({ category: e.target.value })}
        />
        <label htmlFor="show-greeting">Greeting</label>
        <input
          id="show-greeting"
          className="input"
          data-testid="show-greeting-template"
          maxLength={500}
          placeholder="Good morning {listener}, I'm {host}, and this is {show} for you. Today is {date}."
          title={TEMPLATE_HINT}
          value={show.greetingTemplate ?? ''}
          onChange={(e) => updateShow({ greetingTemplate: e.target.value })}
        />
        <label htmlFor="show-signoff">Sign-off</label>
        <input
          id="show-signoff"
          className="input"
          data-testid="show-signoff-template"
          maxLength={500}
          placeholder="That's the end of today's discussion. Thank you for listening to {show}, {listener}."
          title={TEMPLATE_HINT}
          value={show.signOffTemplate ?? ''}
          onChange={(e) => updateShow({ signOffTemplate: e.target.value })}
        />
      </div>
    </section>
  );
}
