import { describe, expect, it } from 'vitest';
import { expandTemplateVariables, TEMPLATE_VARIABLES } from './template';

describe('expandTemplateVariables', () => {
  const show = { showName: 'Goose Pod', listenerName: 'Sam', locale: 'en-US', date: '2026-04-01' };
  it('fills every documented variable and leaves unknown ones alone', () => {
    const text = TEMPLATE_VARIABLES.map((v) => `{${v.name}}`).join('|') + '|{boss}';
    expect(expandTemplateVariables(text, show, 'Maya', 9)).toBe(
      'Sam|Goose Pod|Maya|Wednesday|April 1, 2026|morning|{boss}',
    );
    expect(expandTemplateVariables('{timeOfDay}/{timeOfDay}', show, 'Maya', 19)).toBe('evening/evening');
  });
});
