/** Parses CSV text into rows of trimmed fields (quoted fields may hold commas, quotes, line breaks). */
export function parseCsv(src: string): string[][];
