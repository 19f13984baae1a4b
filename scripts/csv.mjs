// CSV as RFC 4180 writes it: fields separated by commas, quoted fields may hold commas, doubled
// quotes and line breaks; rows end at a line break outside quotes (CRLF or LF). Fields are trimmed.

/** Parses CSV text into rows of trimmed fields (blank lines are skipped). */
export function parseCsv(src) {
  const rows = [];
  let row = [];
  let cur = '';
  let quoted = false;
  const endField = () => {
    row.push(cur.trim());
    cur = '';
  };
  const endRow = () => {
    endField();
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
    } else cur += ch;
  }
  if (cur !== '' || row.length > 0) endRow();
  return rows;
}
