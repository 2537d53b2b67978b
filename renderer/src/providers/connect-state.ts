/**
 * Sign-ins under way, per provider: the stage main reports through connectProgress, then the
 * connect call's own answer (an account, or an error in plain words).
 */
import type { ApiError } from '../../../shared/errors';
import type { ConnectProgress, ConnectStage, DeviceSignIn } from '../../../shared/model';
import type { ConsentMode } from '../../../shared/providers';

export type ConnectState =
  | {
      readonly phase: 'running';
      readonly stage: ConnectStage;
      /** False for a sign-in this window did not start (its answer goes elsewhere). */
      readonly mine: boolean;
      /** A sign-in with a code: the code to show while the stage is 'waiting-for-device'. */
      readonly device?: DeviceSignIn;
    }
  | { readonly phase: 'failed'; readonly error: ApiError };

export type ConnectStates = ReadonlyMap<string, ConnectState>;

export type ConnectAction =
  | { readonly type: 'start'; readonly providerId: string }
  | { readonly type: 'progress'; readonly progress: ConnectProgress }
  | { readonly type: 'failed'; readonly providerId: string; readonly error: ApiError }
  | { readonly type: 'clear'; readonly providerId: string };

const withEntry = (
  states: ConnectStates,
  providerId: string,
  state: ConnectState | undefined,
): ConnectStates => {
  const next = new Map(states);
  if (state) next.set(providerId, state);
  else next.delete(providerId);
  return next;
};

export const connectReducer = (states: ConnectStates, action: ConnectAction): ConnectStates => {
  switch (action.type) {
    case 'start':
      return withEntry(states, action.providerId, {
        phase: 'running',
        stage: 'starting',
        mine: true,
      });
    case 'progress': {
      const { providerId, stage } = action.progress;
      const current = states.get(providerId);
      // This window's own answer is in. Its attempt's events may still come after it (IPC does
      // not order them with the answer: a sign-in that fails at once can be answered before its
      // 'starting' arrives), and must not take the error away; a new sign-in here starts with
      // 'start'.
      if (current?.phase === 'failed') return states;
      const mine = current?.phase === 'running' && current.mine;
      // Another window's sign-in ends with its own answer, which never comes here.
      if (!mine && (stage === 'done' || stage === 'failed')) {
        return current?.phase === 'running' ? withEntry(states, providerId, undefined) : states;
      }
      const { device } = action.progress;
      return withEntry(states, providerId, {
        phase: 'running',
        stage,
        mine,
        ...(stage === 'waiting-for-device' && device ? { device } : {}),
      });
    }
    case 'failed':
      return withEntry(states, action.providerId, { phase: 'failed', error: action.error });
    case 'clear':
      return withEntry(states, action.providerId, undefined);
  }
};

export const stageText = (stage: ConnectStage, providerLabel: string): string => {
  switch (stage) {
    case 'starting':
      return `Starting sign-in with ${providerLabel}…`;
    case 'waiting-for-consent':
      return `Waiting for you to sign in at ${providerLabel}…`;
    case 'waiting-for-device':
      return `Waiting for you to enter the code at ${providerLabel}…`;
    case 'exchanging':
      return 'Exchanging the code…';
    case 'identifying':
      return 'Finding out whose account this is…';
    case 'done':
      return 'Connected.';
    case 'failed':
      return 'Sign-in failed.';
  }
};

export const consentHint = (mode: ConsentMode): string => {
  switch (mode) {
    case 'system-browser':
      return 'Your browser opened the sign-in page; come back here when it says you can close it.';
    case 'device-code':
      return 'Open the page below on any device, enter the code and approve; this finishes by itself.';
    case 'embedded':
      return 'The sign-in window is open; it closes by itself when you are done.';
  }
};

/** The sign-in mode as the provider card names it. */
export const consentModeLabel = (mode: ConsentMode): string => {
  switch (mode) {
    case 'system-browser':
      return 'System browser';
    case 'device-code':
      return 'Device code';
    case 'embedded':
      return 'Embedded window';
  }
};
