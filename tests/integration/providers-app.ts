/**
 * The app as the providers-* integration tests drive it: a real core (createCoreFixture) whose
 * provider catalog is the shipped PRESETS with the Google, GitHub, Microsoft and GitLab endpoints
 * pointed at the local fakes (tests/support/fake-*.ts), and whose consent port follows the fakes'
 * redirects without a browser (the fakes approve at once). Everything else in each preset (client
 * authentication, authorization parameters, quirks, identity and revocation kinds) is the
 * shipped data, so these tests prove what the app really does with each provider.
 */
import type { Clock } from '../../main/core/ports';
import type { CoreOptions } from '../../main/core/core';
import type { ApiError } from '../../shared/errors';
import type { ChannelInput } from '../../shared/ipc-contract';
import { PRESETS, type ProviderPreset } from '../../shared/providers';
import type { FakeGitHub } from '../support/fake-github';
import type { FakeGitLab } from '../support/fake-gitlab';
import type { FakeGoogle } from '../support/fake-google';
import type { FakeMicrosoft } from '../support/fake-microsoft';
import type { RecordedRequest } from '../support/fake-server';
import { createHttpConsentPort, type HttpConsentPort } from '../support/http-consent-port';
import {
  createCoreFixture,
  fixtureReaders,
  ok,
  type CoreFixture,
  type FixtureReaders,
} from './core-fixture';

export interface Fakes {
  readonly google?: FakeGoogle;
  readonly github?: FakeGitHub;
  readonly microsoft?: FakeMicrosoft;
  /** Stands in for gitlab.com (a self-managed GitLab is configured by its URL instead). */
  readonly gitlab?: FakeGitLab;
}

/** PRESETS with the endpoints of each given fake swapped in; all other preset data unchanged. */
export const presetsFor = (fakes: Fakes): ProviderPreset[] =>
  PRESETS.map((preset): ProviderPreset => {
    const { google, github, microsoft, gitlab } = fakes;
    if (preset.id === 'google' && google) {
      return {
        ...preset,
        issuer: google.url,
        endpoints: {
          authorization: google.endpoints.authorization,
          token: google.endpoints.token,
          revocation: google.endpoints.revocation,
          userinfo: google.endpoints.userinfo,
        },
        exampleApiUrl: google.endpoints.userinfo,
      };
    }
    if (preset.id === 'github' && github) {
      return {
        ...preset,
        endpoints: { authorization: github.endpoints.authorization, token: github.endpoints.token },
        identity: { kind: 'github-user', url: github.endpoints.user },
        revocation: { kind: 'github-api', apiBase: github.endpoints.apiBase },
        exampleApiUrl: github.endpoints.user,
      };
    }
    if (preset.id === 'microsoft' && microsoft) {
      const base = microsoft.url;
      return {
        ...preset,
        issuer: `${base}/{tenant}/v2.0`,
        endpoints: {
          authorization: `${base}/{tenant}/oauth2/v2.0/authorize`,
          token: `${base}/{tenant}/oauth2/v2.0/token`,
          userinfo: `${base}/oidc/userinfo`,
        },
        exampleApiUrl: `${base}/v1.0/me`,
      };
    }
    if (preset.id === 'gitlab' && gitlab) {
      return {
        ...preset,
        issuer: gitlab.url,
        endpoints: {
          authorization: gitlab.endpoints.authorization,
          token: gitlab.endpoints.token,
          revocation: gitlab.endpoints.revocation,
          userinfo: gitlab.endpoints.userinfo,
        },
        exampleApiUrl: `${gitlab.url}/api/v4/user`,
        apiHosts: [new URL(gitlab.url).hostname],
      };
    }
    return preset;
  });

export type ProviderAppOptions = Partial<
  Omit<
    CoreOptions,
    'store' | 'consent' | 'clipboard' | 'secretBox' | 'secretProtection' | 'presets' | 'clock'
  >
> & {
  readonly clock?: Clock;
  /** Rewrites the provider's redirect before the core sees it (a code the provider refuses). */
  readonly consentTransform?: (callback: URL) => URL;
};

export interface ProviderApp extends FixtureReaders {
  readonly fixture: CoreFixture;
  readonly api: CoreFixture['api'];
  readonly consent: HttpConsentPort;
  save(input: ChannelInput<'saveProvider'>): Promise<void>;
  dispose(): void;
}

export const createProviderApp = (fakes: Fakes, options: ProviderAppOptions = {}): ProviderApp => {
  const { consentTransform, ...coreOptions } = options;
  const consent = createHttpConsentPort(consentTransform ? { transform: consentTransform } : {});
  // The background refresh timer is off: the tests count the refresh requests they cause.
  const fixture = createCoreFixture(consent, {
    keepFresh: false,
    ...coreOptions,
    presets: presetsFor(fakes),
  });
  const { api } = fixture;
  return {
    fixture,
    api,
    consent,
    save: async (input) => {
      ok(await api.saveProvider(input));
    },
    ...fixtureReaders(fixture),
    dispose: () => fixture.dispose(),
  };
};

/** A clock the test can move forward (the fakes keep real time: only the app's view moves). */
export interface ShiftableClock extends Clock {
  shift(ms: number): void;
}

export const createShiftableClock = (): ShiftableClock => {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    setTimeout: (callback, ms) => {
      const handle = setTimeout(callback, ms);
      handle.unref();
      return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    shift: (ms) => {
      offset += ms;
    },
  };
};

/** The form fields of the token requests that carried this grant type, in order. */
export const grants = (
  requests: readonly RecordedRequest[],
  grantType: 'authorization_code' | 'refresh_token',
): Readonly<Record<string, string>>[] =>
  requests.map((r) => ({ ...r.query, ...r.form })).filter((f) => f.grant_type === grantType);

/**
 * Fails when an API error is not in the documented shape, carries a stack, or leaks any of the
 * given secrets (tokens, codes, client secrets) in any field.
 */
export const expectCleanError = (error: ApiError, secrets: readonly (string | undefined)[]) => {
  const problems: string[] = [];
  if (typeof error.group !== 'string' || typeof error.code !== 'number')
    problems.push('group/code missing');
  if (typeof error.message !== 'string' || error.message.length === 0)
    problems.push('message missing');
  const text = JSON.stringify(error);
  if (/\n\s+at\s/.test(error.message) || /\bat .+\.(ts|js):\d+/.test(text))
    problems.push('stack trace');
  for (const secret of secrets) {
    if (secret !== undefined && secret !== '' && text.includes(secret))
      problems.push(`leaks a secret (${secret.slice(0, 6)}…)`);
  }
  if (problems.length > 0) throw new Error(`${problems.join(', ')} in ${text}`);
};
