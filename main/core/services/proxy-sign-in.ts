/**
 * A company proxy that wants a user name and password. Chromium's network stack (main's
 * requests and each consent window's session) asks the app for them (Electron's `login`
 * event); the app asks the user in its window, once per proxy however many requests wait, and
 * hands the answer to Chromium, which keeps it for that session.
 *
 * The answer is kept in memory for this run of the app, never on disk or in a log: each consent
 * window has a session of its own (nothing of a sign-in outlives it), and without this every
 * sign-in would ask for the proxy's password again. A first ask for a request gets the kept
 * answer; the same request asking again means the proxy refused it, and the user is asked,
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

interface Pending {
  readonly request: ProxySignInRequest;
  readonly waiters: Array<(answer: ProxyCredentials | undefined) => void>;
  readonly timer: unknown;
}

export class ProxySignIn {
  /** By proxy (host:port): one prompt for every request waiting on it. */
  private readonly pending = new Map<string, Pending>();
  /** What the user gave for each proxy, in memory for this run only. */
  private readonly kept = new Map<string, ProxyCredentials>();
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
   * The credentials for one request the proxy challenged: the kept ones on its first ask, else
   * what the user types (`again`: this request asked before, so the proxy refused what it got).
   * Undefined: cancelled or timed out.
   */
  ask(challenge: ProxyChallenge, again: boolean): Promise<ProxyCredentials | undefined> {
    const kept = this.kept.get(challenge.proxy);
    if (kept && !again) return Promise.resolve(kept);
    return new Promise((resolve) => {
      const open = this.pending.get(challenge.proxy);
      if (open) {
        open.waiters.push(resolve);
        return;
      }
      const request: ProxySignInRequest = {
        id: `proxy-${this.nextId++}`,
        proxy: challenge.proxy,
        ...(challenge.realm ? { realm: challenge.realm } : {}),
        scheme: challenge.scheme,
        refused: again,
      };
      const timer = this.clock.setTimeout(
        () => this.settle(challenge.proxy, undefined),
        this.timeoutMs,
      );
      this.pending.set(challenge.proxy, { request, waiters: [resolve], timer });
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
    for (const resolve of open.waiters) resolve(credentials);
    this.announce();
  }

  private announce(): void {
    this.events.emit('proxySignIn', this.requests());
  }
}
