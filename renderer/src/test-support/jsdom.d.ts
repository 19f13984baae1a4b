/** The part of jsdom (which ships no types) that renderer test support uses. */
declare module 'jsdom' {
  /** A browser window in Node, for tests. */
  export class JSDOM {
    constructor(html?: string, options?: { url?: string });
    readonly window: Window & typeof globalThis;
  }
}
