/**
 * The test host: what the preload does in the app, done by Playwright in plain Chromium. It gives
 * the built renderer a `window.tokendesk` with the preload's shape — `{ api, on }`, frozen, one
 * function per channel of shared/ipc-contract.ts — whose calls run the given API object in the
 * test process, and forwards the core's events to the page. Every answer and event that reaches
 * the page is recorded as the page receives it (serialised), so a test can assert what the
 * untrusted side has seen.
 */
import type { Page } from 'playwright-core';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  type ChannelName,
  type EventName,
  type EventPayloads,
  type TokendeskApi,
} from '../../../shared/ipc-contract';

/** Where the host's events come from: the core's event hub, or a bench's own emitter. */
export interface EventSource {
  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

export interface TrafficRecord {
  readonly kind: 'answer' | 'event';
  readonly name: string;
  /** JSON of what the page received. */
  readonly json: string;
}

export interface RendererHost {
  /** Everything that reached the page, in order. */
  readonly traffic: readonly TrafficRecord[];
  /** Answers to `name` calls the page made, parsed. */
  calls(name: ChannelName): readonly unknown[];
  dispose(): void;
}

const BINDING = '__tokendeskHostCall';
const EMIT = '__tokendeskHostEmit';

/** Runs in the page before its scripts: builds the bridge the preload would expose. */
const installBridge = ({
  channels,
  events,
  binding,
  emit,
}: {
  channels: readonly string[];
  events: readonly string[];
  binding: string;
  emit: string;
}): void => {
  const target = globalThis as unknown as Record<string, unknown>;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const call = (name: string, input: unknown): Promise<unknown> =>
    (target[binding] as (n: string, i: unknown) => Promise<unknown>)(name, input);
  const api = Object.freeze(
    Object.fromEntries(channels.map((name) => [name, (input?: unknown) => call(name, input)])),
  );
  Object.defineProperty(globalThis, emit, {
    value: (name: string, payload: unknown) => {
      for (const listener of listeners.get(name) ?? []) listener(payload);
    },
  });
  // Configurable (contextBridge's is not) so that the renderer bench can wrap it with its probe.
  Object.defineProperty(globalThis, 'tokendesk', {
    configurable: true,
    value: Object.freeze({
      api,
      on(name: string, listener: (payload: unknown) => void) {
        if (!events.includes(name)) throw new Error(`unknown event ${name}`);
        const set = listeners.get(name) ?? new Set();
        set.add(listener);
        listeners.set(name, set);
        return () => {
          set.delete(listener);
        };
      },
    }),
  });
};

export const hostRenderer = async (
  page: Page,
  api: TokendeskApi,
  events: EventSource,
): Promise<RendererHost> => {
  const traffic: TrafficRecord[] = [];
  const record = (kind: TrafficRecord['kind'], name: string, value: unknown): void => {
    traffic.push({ kind, name, json: JSON.stringify(value) ?? 'undefined' });
  };

  await page.exposeBinding(BINDING, async (_source, name: unknown, input: unknown) => {
    if (typeof name !== 'string' || !(CHANNEL_NAMES as readonly string[]).includes(name)) {
      throw new Error(`the page called an unknown channel ${String(name)}`);
    }
    const answer = await (api[name as ChannelName] as (input: unknown) => Promise<unknown>)(input);
    record('answer', name, answer);
    return answer;
  });
  await page.addInitScript(installBridge, {
    channels: CHANNEL_NAMES,
    events: EVENT_NAMES,
    binding: BINDING,
    emit: EMIT,
  });

  const unsubscribe = EVENT_NAMES.map((name) =>
    events.on(name, (payload: unknown) => {
      record('event', name, payload);
      // A page mid-navigation or closed misses the event, as a reloading window would.
      page
        .evaluate(
          ([emit, n, p]) =>
            (globalThis as unknown as Record<string, (n: string, p: unknown) => void>)[emit]?.(
              n,
              p,
            ),
          [EMIT, name, payload] as const,
        )
        .catch(() => undefined);
    }),
  );

  return {
    traffic,
    calls: (name) =>
      traffic
        .filter((entry) => entry.kind === 'answer' && entry.name === name)
        .map((entry) => JSON.parse(entry.json) as unknown),
    dispose: () => {
      for (const off of unsubscribe) off();
    },
  };
};
