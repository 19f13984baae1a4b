/** A tiny external store for React's `useSyncExternalStore` (no extra packages). */
import { useSyncExternalStore } from 'react';

export interface Store<T> {
  get(): T;
  /** Shallow-merges a patch (or the patch a function returns) and notifies subscribers. */
  set(patch: Partial<T> | ((state: T) => Partial<T>)): void;
  subscribe(listener: (state: T, previous: T) => void): () => void;
}

export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<(state: T, previous: T) => void>();
  return {
    get: () => state,
    set(patch) {
      const next = typeof patch === 'function' ? patch(state) : patch;
      const previous = state;
      state = { ...state, ...next };
      for (const l of [...listeners]) l(state, previous);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Subscribes a component to a slice of a store. The selector must return a value that is stable
 * while the slice is unchanged (a field, not a freshly built object).
 */
export function useStore<T extends object, S>(store: Store<T>, selector: (state: T) => S): S {
  return useSyncExternalStore(
    store.subscribe,
    () => selector(store.get()),
    () => selector(store.get()),
  );
}
