/** The typed bridge the preload exposes; absent when the page runs outside the app. */
import type { TokendeskBridge } from '../../shared/ipc-contract';

export type { TokendeskBridge };

declare global {
  interface Window {
    readonly tokendesk?: TokendeskBridge;
  }
}

export const bridge = (): TokendeskBridge | undefined => window.tokendesk;
