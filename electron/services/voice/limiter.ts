/**
 * A counting semaphore: at most `limit` holders at once, waiters served first come first served;
 * a waiter whose signal aborts leaves the queue.
 */
import { StudioError } from '../../../shared/contract';

export class Limiter {
  #active = 0;
  readonly #waiting: { resolve: () => void; reject: (e: Error) => void; signal?: AbortSignal }[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`Limiter: limit must be ≥ 1, got ${limit}`);
  }

  /** Holders right now (for tests and progress). */
  get active(): number {
    return this.#active;
  }

  /** Runs `fn` when a slot is free. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await fn();
    } finally {
      this.#active--;
      this.#next();
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new StudioError('canceled', 'Canceled'));
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject, signal };
      this.#waiting.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.#waiting.indexOf(waiter);
          if (i >= 0) {
            this.#waiting.splice(i, 1);
            reject(new StudioError('canceled', 'Canceled'));
          }
        },
        { once: true },
      );
    });
  }

  #next(): void {
    while (this.#active < this.limit && this.#waiting.length > 0) {
      const w = this.#waiting.shift()!;
      if (w.signal?.aborted) continue;
      this.#active++;
      w.resolve();
    }
  }
}
