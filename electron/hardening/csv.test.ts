// The CSV reader scripts/electronegativity.mjs uses on the tool's report: a sample or location
// field may hold commas, quotes or a line break, and must stay one field of its row.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../scripts/csv.mjs';

describe('parseCsv', () => {
  it('keeps quoted commas, doubled quotes and line breaks inside one field', () => {
    const rows = parseCsv(
      'issue, severity, location, sample\n' +
        'CSP_GLOBAL_CHECK,"LOW","1\n42:8","default-src *; script-src \'unsafe-eval\'"\r\n' +
        'X,"said ""hi"", twice",N/A,\n\n',
    );
    expect(rows).toEqual([
      ['issue', 'severity', 'location', 'sample'],
      ['CSP_GLOBAL_CHECK', 'LOW', '1\n42:8', "default-src *; script-src 'unsafe-eval'"],
      ['X', 'said "hi", twice', 'N/A', ''],
    ]);
  });

  it('reads a last row without a line break', () => {
    expect(parseCsv('a,b\n"c",d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
