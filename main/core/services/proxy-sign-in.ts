/**
 * A company proxy that wants a user name and password. Chromium's network stack (main's
 * requests and each consent window's session) asks the app for them (Electron's `login`
 * event); the app asks the user in its window, once per proxy however many requests wait, and
 * hands the answer to Chromium, which keeps it for that session.
 *
 * The answer is kept in memory for this run of the app, never on disk or in a log: each consent
 * window has a session of its own (nothing of a sign-in outlives it), and without this every
 * sign-in would ask for the proxy's password again. A requester (a session) gets the kept
 * answer once; if the proxy asks that requester again, it refused it, and the user is asked,
 * told so. Cancel, or no answer within the time limit, fails the waiting requests with the
 * proxy's error and forgets the kept answer.
 */
import type { ProxySignInRequest } from '../../../shared/model';
import type { CoreEvents } from '../events';
import type { Clock } from '../ports';

export interface ProxyCredentials {
  readonly username: string;
  readonly password: string;
}

export interface ProxyChallenge {
  /** host:port of the proxy. */
  readonly proxy: string;
  readonly realm?: string;
  readonly scheme: string;
}

/** How long a prompt waits for the user before the requests fail. */
export const PROXY_PROMPT_TIMEOUT_MS = 120_000;

interface Waiter {
  readonly resolve: (answer: ProxyCredentials | undefined) => void;
  readonly requester: object;
}

interface Pending {
  readonly request: ProxySignInRequest;
  readonly waiters: Waiter[];
  readonly timer: unknown;
}

export class ProxySignIn {
  /** By proxy (host:port): one prompt for every request waiting on it. */
  private readonly pending = new Map<string, Pending>();
  /** What the user gave for each proxy, in memory for this run only. */
  private readonly kept = new Map<string, ProxyCredentials>();
  /** Which proxies' kept answer each requester (a session) was given. */
  private readonly given = new WeakMap<object, Set<string>>();
  private nextId = 1;

  constructor(
    private readonly events: CoreEvents,
    private readonly clock: Clock,
    private readonly timeoutMs = PROXY_PROMPT_TIMEOUT_MS,
  ) {}

  /** The prompts open now, for a window that opens later. */
  requests(): ProxySignInRequest[] {
    return [...this.pending.values()].map((pending) => pending.request);
  }

  /**
   * The credentials for `requester` (one per network session: what Chromium keeps an answer
   * for): the kept ones if it has not had them yet, else what the user types. Undefined:
   * cancelled or timed out.
   */
  ask(challenge: ProxyChallenge, requester: object): Promise<ProxyCredentials | undefined> {
    const kept = this.kept.get(challenge.proxy);
    const given = this.given.get(requester) ?? new Set<string>();
    this.given.set(requester, given);
    if (kept && !given.has(challenge.proxy)) {
      given.add(challenge.proxy);
      return Promise.resolve(kept);
    }
    return new Promise((resolve) => {
      const open = this.pending.get(challenge.proxy);
      if (open) {
        open.waiters.push({ resolve, requester });
        return;
      }
      const request: ProxySignInRequest = {
        id: `proxy-${this.nextId++}`,
        proxy: challenge.proxy,
        ...(challenge.realm ? { realm: challenge.realm } : {}),
        scheme: challenge.scheme,
        // Asked again by a session that had an answer: the proxy refused it.
        refused: given.has(challenge.proxy),
      };
      const timer = this.clock.setTimeout(
        () => this.settle(challenge.proxy, undefined),
        this.timeoutMs,
      );
      this.pending.set(challenge.proxy, { request, waiters: [{ resolve, requester }], timer });
      this.announce();
    });
  }

  /** The user's answer to prompt `id`; undefined credentials: Cancel. False: no such prompt. */
  answer(id: string, credentials: ProxyCredentials | undefined): boolean {
    const open = [...this.pending.values()].find((pending) => pending.request.id === id);
    if (!open) return false;
    this.settle(open.request.proxy, credentials);
    return true;
  }

  private settle(proxy: string, credentials: ProxyCredentials | undefined): void {
    const open = this.pending.get(proxy);
    if (!open) return;
    this.pending.delete(proxy);
    this.clock.clearTimeout(open.timer);
    if (credentials) this.kept.set(proxy, credentials);
    else this.kept.delete(proxy);
    for (const { resolve, requester } of open.waiters) {
      if (credentials) this.given.get(requester)?.add(proxy);
      resolve(credentials);
    }
    this.announce();
  }

  private announce(): void {
    this.events.emit('proxySignIn', this.requests());
  }
}
