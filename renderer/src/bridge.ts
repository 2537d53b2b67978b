/** The typed bridge the preload exposes; absent when the page runs outside the app. */
import type { EventName, EventPayloads, TokendeskApi } from '../../shared/ipc-contract';

export interface TokendeskBridge {
  readonly api: TokendeskApi;
  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

declare global {
  interface Window {
    readonly tokendesk?: TokendeskBridge;
  }
}

export const bridge = (): TokendeskBridge | undefined => window.tokendesk;
