/** Grounding warnings (claims the article does not support) as Monaco markers. */
import type { Episode } from '@shared/model/episode';
import type { monaco } from './monaco-setup';

export function groundingMarkers(
  _episode: Episode,
  _lineIds: readonly (string | null)[],
  _model: monaco.editor.ITextModel,
): monaco.editor.IMarkerData[] {
  return [];
}
