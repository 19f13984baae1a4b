/**
 * Test support for renderer tests that run the real back end in their own process. They run in
 * Vitest's Node environment, so the back end keeps Node's own fetch, URL and AbortController and
 * its file paths (the jsdom environment would swap those globals and transform the back end's
 * modules for the browser). Import this first: it adds only the browser globals the renderer's
 * state code reads — a jsdom window, its document, storage, location and history.
 */
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
const { window } = dom;
Object.assign(globalThis, {
  window,
  document: window.document,
  localStorage: window.localStorage,
  sessionStorage: window.sessionStorage,
  location: window.location,
  history: window.history,
});
