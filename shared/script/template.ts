/**
 * Template variables a script line may contain (`{listener}`, `{show}` …): filled in from the
 * show settings and the episode date when the line is voiced, so a reusable intro or sign-off
 * reads right every day. The editor completes them after `{`.
 */
import type { ShowSettings } from '../model/episode';

/** A template variable and what it stands for. */
export interface TemplateVariable {
  name: string;
  description: string;
}

export const TEMPLATE_VARIABLES: readonly TemplateVariable[] = [
  { name: 'listener', description: 'The listener’s name from the show settings' },
  { name: 'show', description: 'The show’s name' },
  { name: 'host', description: 'The name of the host speaking the line' },
  { name: 'weekday', description: 'Weekday of the episode date, e.g. Monday' },
  { name: 'date', description: 'The episode date, spoken, e.g. April 1, 2026' },
  { name: 'timeOfDay', description: 'morning, afternoon or evening (from the hour of voicing)' },
];

function dateParts(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

/**
 * Replaces the known `{variables}` in `text`; unknown ones are left as written.
 *
 * @param hour the local hour (0–23) for `{timeOfDay}`.
 */
export function expandTemplateVariables(
  text: string,
  show: ShowSettings,
  host: string,
  hour: number,
): string {
  const date = dateParts(show.date);
  const values: Record<string, string> = {
    listener: show.listenerName,
    show: show.showName,
    host,
    weekday: date.toLocaleDateString(show.locale, { weekday: 'long', timeZone: 'UTC' }),
    date: date.toLocaleDateString(show.locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    }),
    timeOfDay: hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening',
  };
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
