/**
 * Test support: a minimal `EventSource` for jsdom, which has none. It reads the stream with the
 * global `fetch` and parses Server-Sent Events as the browser does (`event:`/`data:` fields,
 * comments, a blank line dispatches); no reconnection, which the studio's client does not rely on.
 * Only the browser API is stood in for: the events come from the real back end.
 */
export class FetchEventSource extends EventTarget {
  private static readonly open = new Set<FetchEventSource>();
  private readonly abort = new AbortController();

  constructor(readonly url: string) {
    super();
    FetchEventSource.open.add(this);
    void this.read();
  }

  /** Stops reading the stream. */
  close(): void {
    FetchEventSource.open.delete(this);
    this.abort.abort();
  }

  /** Closes every source still open (test teardown). */
  static closeAll(): void {
    for (const s of [...FetchEventSource.open]) s.close();
  }

  private async read(): Promise<void> {
    try {
      const res = await fetch(this.url, { signal: this.abort.signal });
      if (!res.ok || !res.body) return;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = 'message';
      let data: string[] = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let nl: number;
        while ((nl = buffer.search(/\r?\n/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(buffer[nl] === '\r' ? nl + 2 : nl + 1);
          if (line === '') {
            if (data.length > 0) this.dispatchEvent(new MessageEvent(event, { data: data.join('\n') }));
            event = 'message';
            data = [];
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event = val;
            else if (field === 'data') data.push(val);
          }
        }
      }
    } catch {
      // closed by the test, or the server went away: a browser would retry; tests are done
    }
  }
}
