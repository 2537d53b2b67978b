/**
 * A stand-in for the process the `tokendesk` command runs in (main/cli/host.ts): stdin from a
 * string, stdout and stderr collected, an environment of the test's choosing. Sockets and
 * files are real (a tiny server in a temporary folder); starting the app and child processes
 * fail unless the test says what they do.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import type { AccountListing, HandedToken, RegistryMapping } from '../../../shared/command-line';
import type { Outcome, TokenQuery } from '../../../main/cli/ask';
import type { Host } from '../../../main/cli/host';
import type { Services } from '../../../main/cli/services';

export interface FakeCliHost extends Host {
  readonly out: () => string;
  readonly err: () => string;
  /** The listeners the command registered per signal, to deliver one by hand. */
  readonly signalListeners: Map<string, Set<() => void>>;
}

export const fakeCliHost = (
  options: Partial<Omit<Host, 'stdin'>> & { readonly stdinText?: string | readonly string[] } = {},
): FakeCliHost => {
  let out = '';
  let err = '';
  const signalListeners = new Map<string, Set<() => void>>();
  const { stdinText, ...overrides } = options;
  const chunks = typeof stdinText === 'string' ? [stdinText] : [...(stdinText ?? [])];
  return {
    argv: [],
    invokedAs: ['/usr/local/bin/tokendesk'],
    env: {},
    platform: 'linux',
    homedir: '/home/test',
    pid: 4242,
    ppid: 4241,
    execPath: '/usr/local/bin/tokendesk',
    stdin: Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    readFile: (path) => readFile(path, 'utf8'),
    fileExists: (path) => existsSync(path),
    connect: (address) => connect(address),
    startDetached: () => {
      throw new Error('this test does not expect the app to be started');
    },
    startChild: () => {
      throw new Error('this test does not expect a command to be run');
    },
    onSignal(signal, listener) {
      const set = signalListeners.get(signal) ?? new Set();
      set.add(listener);
      signalListeners.set(signal, set);
      return () => set.delete(listener);
    },
    capture: () => Promise.resolve(undefined),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    ...overrides,
    out: () => out,
    err: () => err,
    signalListeners,
  };
};

export const handedToken = (overrides: Partial<HandedToken> = {}): HandedToken => ({
  accessToken: 'gho_access-token-1',
  tokenType: 'bearer',
  expiresAt: Date.UTC(2030, 0, 2, 3, 4, 5, 678),
  scopes: ['repo', 'read:user'],
  account: listing(),
  use: { envName: 'GITHUB_TOKEN', gitUsername: 'x-access-token', registryUsername: 'octocat' },
  ...overrides,
});

export const listing = (overrides: Partial<AccountListing> = {}): AccountListing => ({
  id: 'acc-1',
  name: 'github:octocat',
  providerId: 'github',
  presetId: 'github',
  displayName: 'The Octocat',
  status: 'ok',
  hasToken: true,
  expiresAt: Date.UTC(2030, 0, 2, 3, 4, 5),
  ...overrides,
});

/** Services answering from the test's script, and the queries they were asked. */
export const scriptedServices = (
  token: Outcome<HandedToken>,
  accounts: Outcome<readonly AccountListing[]> = { ok: true, value: [] },
  registries: Outcome<readonly RegistryMapping[]> = { ok: true, value: [] },
): Services & {
  readonly queries: TokenQuery[];
  readonly registryChanges: ({ registry: string; account: string | null } | undefined)[];
} => {
  const queries: TokenQuery[] = [];
  const registryChanges: ({ registry: string; account: string | null } | undefined)[] = [];
  return {
    queries,
    registryChanges,
    token: (query) => {
      queries.push(query);
      return Promise.resolve(token);
    },
    accounts: () => Promise.resolve(accounts),
    registries: (set) => {
      registryChanges.push(set);
      return Promise.resolve(registries);
    },
  };
};
