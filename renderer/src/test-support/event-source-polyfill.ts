/**
 * Test support: a minimal `EventSource` for jsdom, which has none. It reads the stream with the
 * global `fetch` and parses Server-Sent Events as the browser does (`event:`/`data:`/`retry:`
 * fields, comments, a blank line dispatches), fires `open` on every connection and, like a
 * browser, reconnects after the server's `retry` delay when the stream drops (not after an
 * HTTP error status, which fails the source for good).
 * Only the browser API is stood in for: the events come from the real back end.
 */
export class FetchEventSource extends EventTarget {
  private static readonly open = new Set<FetchEventSource>();
  private readonly abort = new AbortController();
  /** Milliseconds before reconnecting (the browser's default until the server sends `retry:`). */
  private retryMs = 3000;

  constructor(readonly url: string) {
    super();
    FetchEventSource.open.add(this);
    void this.run();
  }

  /** Stops reading the stream, for good. */
  close(): void {
    FetchEventSource.open.delete(this);
    this.abort.abort();
  }

  /** Closes every source still open (test teardown). */
  static closeAll(): void {
    for (const s of [...FetchEventSource.open]) s.close();
  }

  private get closed(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const again = await this.read();
      if (this.closed) return;
      this.dispatchEvent(new Event('error'));
      if (!again) return this.close();
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  /** Reads one connection; true when the stream dropped (reconnect), false when it was refused. */
  private async read(): Promise<boolean> {
    try {
      const res = await fetch(this.url, { signal: this.abort.signal });
      if (!res.ok || !res.body) return false;
      this.dispatchEvent(new Event('open'));
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = 'message';
      let data: string[] = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true;
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
            else if (field === 'retry' && /^\d+$/.test(val)) this.retryMs = Number(val);
          }
        }
      }
    } catch {
      // closed by the test, or the connection broke: the loop reconnects unless closed
      return true;
    }
  }
}
