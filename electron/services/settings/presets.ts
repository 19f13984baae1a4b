/**
 * Presets export and import: the hosts and show defaults as a JSON file a producer can share or
 * keep. Only what {@link PresetsFileSchema} names leaves the studio — never API keys (they live
 * in the secret store) or the recent-projects list.
 */
import { PresetsFileSchema, StudioError, type Settings } from '../../../shared/contract';
import type { SettingsService } from './settings-service';

/** The presets file of these settings, pretty-printed. */
export function exportPresets(settings: Settings): string {
  const file = PresetsFileSchema.parse({
    format: 'goose-pod-presets',
    version: 1,
    personas: settings.personas,
    show: settings.show,
  });
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Validates a presets file and saves its hosts and show defaults; returns the new settings.
 *
 * @throws StudioError 'bad-request' for malformed JSON or a file of the wrong shape (nothing is saved)
 */
export function importPresets(settings: SettingsService, json: string): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new StudioError(
      'bad-request',
      `Presets not imported: the file is not valid JSON (${(err as Error).message}).`,
    );
  }
  const parsed = PresetsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new StudioError(
      'bad-request',
      `Presets not imported: this is not a Goose Pod presets file (${where}${issue?.message ?? 'invalid'}).`,
    );
  }
  return settings.update({ personas: parsed.data.personas, show: parsed.data.show });
}
