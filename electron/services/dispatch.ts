/**
 * One entry point for every transport: validates a call's name and payload against the contract,
 * runs it and returns a result envelope. Errors come back as `{ code, message }`, never as stacks.
 */
import {
  calls,
  toErrorShape,
  type CallName,
  type StudioBackend,
  type StudioErrorShape,
} from '../../shared/contract';
import { assertCall } from './studio';

export type Envelope = { ok: true; value: unknown } | { ok: false; error: StudioErrorShape };

/** Parses `payload` with the call's request schema, runs it and wraps the outcome. */
export async function dispatchCall(
  backend: StudioBackend,
  name: string,
  payload: unknown,
): Promise<Envelope> {
  try {
    assertCall(backend, name);
    const request = calls[name as CallName].request.parse(payload ?? {});
    const fn = backend[name] as (req: unknown) => Promise<unknown>;
    return { ok: true, value: await fn(request) };
  } catch (err) {
    return { ok: false, error: toErrorShape(err) };
  }
}

/** HTTP status for an error code (the web transport). */
export function httpStatusFor(error: StudioErrorShape): number {
  switch (error.code) {
    case 'bad-request':
    case 'empty-input':
    case 'binary-input':
    case 'too-large':
    case 'no-article':
    case 'over-budget':
      return 400;
    case 'auth':
      return 401;
    case 'rate-limited':
      return 429;
    case 'network':
    case 'provider':
      return 502;
    case 'timeout':
      return 504;
    case 'not-found':
      return 404;
    case 'corrupt':
    case 'too-new':
      return 422;
    default:
      return 500;
  }
}
