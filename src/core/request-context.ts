import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request id that follows a command from the chat to the cloud and back: the core runs each operation inside
 * this context, and the app's logger stamps every line (including the HTTP client's) with it.
 */
export interface RequestContext {
  requestId: string;
  subject?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
