// @vitest-environment happy-dom
/**
 * The token inspection dialog, opened from an account row: the access token and the ID token on
 * two tabs, each asked of main once; a JWT as its facts (local times with how far away they are)
 * and its header and claims as JSON; an opaque access token says so and, where the provider can
 * introspect, asks it on request; an absent token and a failure say so in plain words.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import type { IntrospectionView, TokenInspection } from '../../../../shared/model';
import { relativeTime } from '../../../../renderer/src/accounts/token-inspection-text';
import {
  actAndSettle,
  fail,
  fakeBridge,
  makeAccount,
  makeProvider,
  NOW,
  type FakeData,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const ana = makeAccount();

const JWT_ACCESS: TokenInspection = {
  accountId: ana.id,
  which: 'access',
  kind: 'jwt',
  header: { alg: 'RS256', kid: 'key-1', typ: 'at+jwt' },
  claims: {
    iss: 'https://idp.example',
    sub: 'sub-ana',
    aud: 'https://api.example',
    scope: 'read write',
    iat: NOW / 1000 - 3 * 3600,
    exp: NOW / 1000 + 42 * 60,
  },
  issuer: 'https://idp.example',
  subject: 'sub-ana',
  audience: ['https://api.example'],
  scopes: ['read', 'write'],
  issuedAt: NOW - 3 * 3_600_000,
  expiresAt: NOW + 42 * 60_000,
  canIntrospect: false,
};

const ID_TOKEN: TokenInspection = {
  accountId: ana.id,
  which: 'id',
  kind: 'jwt',
  header: { alg: 'RS256' },
  claims: { iss: 'https://idp.example', sub: 'sub-ana', aud: 'tokendesk', nonce: 'n-1' },
  issuer: 'https://idp.example',
  subject: 'sub-ana',
  audience: ['tokendesk'],
  canIntrospect: false,
};

const OPAQUE_ACCESS: TokenInspection = {
  accountId: ana.id,
  which: 'access',
  kind: 'opaque',
  canIntrospect: true,
};

const open = async (
  data: Partial<FakeData> = {},
  overrides: Parameters<typeof fakeBridge>[1] = {},
) => {
  const bridge = fakeBridge({ providers: [makeProvider()], accounts: [ana], ...data }, overrides);
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Inspect tokens of ana@example.test' }));
  const dialog = screen.getByRole('dialog', { name: 'Tokens of ana@example.test' });
  return { bridge, user, dialog };
};

const jsonUnder = (dialog: HTMLElement, title: string): unknown =>
  JSON.parse(within(dialog).getByRole('region', { name: title }).querySelector('pre')!.textContent);

const factOf = (dialog: HTMLElement, term: string): string => {
  const dt = within(dialog).getByText(term, { selector: 'dt' });
  return dt.nextElementSibling!.textContent;
};

describe('the Inspect button of an account row', () => {
  it('is off, saying why, when the session holds no token', async () => {
    const bridge = fakeBridge({
      providers: [makeProvider()],
      accounts: [makeAccount({ hasToken: false, status: 'reconnect-needed' })],
    });
    await renderApp(bridge);
    const button = screen.getByRole('button', { name: 'Inspect tokens of ana@example.test' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute('title')).toMatch(/reconnect/);
  });
});

describe('a JWT access token', () => {
  it('shows its facts with local times, and its header and claims as JSON', async () => {
    const { bridge, dialog } = await open({ inspections: { [ana.id]: { access: JWT_ACCESS } } });
    await within(dialog).findByText('Issuer', { selector: 'dt' });
    expect(bridge.api.inspectToken).toHaveBeenCalledWith({ accountId: ana.id, which: 'access' });
    expect(factOf(dialog, 'Issuer')).toBe('https://idp.example');
    expect(factOf(dialog, 'Subject')).toBe('sub-ana');
    expect(factOf(dialog, 'Audience')).toBe('https://api.example');
    expect(factOf(dialog, 'Scopes')).toBe('read write');
    const issued = new Date(NOW - 3 * 3_600_000).toLocaleString();
    const expires = new Date(NOW + 42 * 60_000).toLocaleString();
    await waitFor(() => expect(factOf(dialog, 'Issued at')).toBe(`${issued} (3 h ago)`));
    expect(factOf(dialog, 'Expires')).toBe(`${expires} (in 42 min)`);
    expect(within(dialog).queryByText('Not before', { selector: 'dt' })).toBeNull();
    expect(jsonUnder(dialog, 'Header')).toEqual(JWT_ACCESS.header);
    expect(jsonUnder(dialog, 'Claims')).toEqual(JWT_ACCESS.claims);
    // Not offered where the provider cannot introspect.
    expect(within(dialog).queryByRole('button', { name: /Ask the provider/ })).toBeNull();
  });

  it('says Expired, and how long ago, once the token has expired', async () => {
    const expired = { ...JWT_ACCESS, expiresAt: NOW - 2 * 3_600_000 };
    const { dialog } = await open({ inspections: { [ana.id]: { access: expired } } });
    await within(dialog).findByText('Expired', { selector: 'dt' });
    await waitFor(() => expect(factOf(dialog, 'Expired')).toMatch(/\(2 h ago\)$/));
    expect(within(dialog).queryByText('Expires', { selector: 'dt' })).toBeNull();
  });

  it('says it is decoded for reading, not verified', async () => {
    const { dialog } = await open({ inspections: { [ana.id]: { access: JWT_ACCESS } } });
    expect(dialog.textContent).toContain('not verified');
  });
});

describe('the tabs', () => {
  it('are a tab list the arrow keys move through, each token asked for once', async () => {
    const { bridge, user, dialog } = await open({
      inspections: { [ana.id]: { access: JWT_ACCESS, id: ID_TOKEN } },
    });
    const access = within(dialog).getByRole('tab', { name: 'Access token' });
    const id = within(dialog).getByRole('tab', { name: 'ID token' });
    expect(access.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(access);
    const panel = within(dialog).getByRole('tabpanel');
    expect(panel.getAttribute('aria-labelledby')).toBe(access.id);
    await within(dialog).findByText('Issuer', { selector: 'dt' });

    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(id);
    expect(id.getAttribute('aria-selected')).toBe('true');
    expect(access.getAttribute('tabindex')).toBe('-1');
    await waitFor(() => expect(jsonUnder(dialog, 'Claims')).toEqual(ID_TOKEN.claims));
    expect(within(dialog).getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(id.id);

    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(access);
    await user.click(id);
    expect(bridge.api.inspectToken).toHaveBeenCalledTimes(2);
    expect(bridge.api.inspectToken).toHaveBeenLastCalledWith({ accountId: ana.id, which: 'id' });
  });
});

describe('an opaque access token', () => {
  it('says only the provider can read it, and asks the provider on request', async () => {
    const answer: IntrospectionView = {
      accountId: ana.id,
      active: true,
      claims: { scope: 'read', client_id: 'tokendesk', exp: NOW / 1000 + 600, sub: 'sub-ana' },
    };
    const { bridge, user, dialog } = await open({
      inspections: { [ana.id]: { access: OPAQUE_ACCESS } },
      introspections: { [ana.id]: answer },
    });
    await within(dialog).findByText('This access token is opaque: only the provider can read it.');
    await user.click(
      within(dialog).getByRole('button', { name: 'Ask the provider (introspection)' }),
    );
    expect(bridge.api.introspectToken).toHaveBeenCalledWith({ accountId: ana.id });
    const status = await within(dialog).findByText('The provider says this token is active.');
    expect(status.getAttribute('role')).toBe('status');
    expect(factOf(dialog, 'Scopes')).toBe('read');
    await waitFor(() => expect(factOf(dialog, 'Expires')).toMatch(/\(in 10 min\)$/));
    expect(jsonUnder(dialog, 'The provider’s answer')).toEqual(answer.claims);
  });

  it('says when the provider calls it inactive', async () => {
    const { user, dialog } = await open({
      inspections: { [ana.id]: { access: OPAQUE_ACCESS } },
      introspections: { [ana.id]: { accountId: ana.id, active: false, claims: {} } },
    });
    await user.click(
      await within(dialog).findByRole('button', { name: 'Ask the provider (introspection)' }),
    );
    await within(dialog).findByText(
      'The provider says this token is not active: expired, revoked, or unknown to it.',
    );
    expect(within(dialog).queryByRole('region', { name: 'The provider’s answer' })).toBeNull();
  });

  it('shows the provider’s refusal as an error alert', async () => {
    const { user, dialog } = await open(
      { inspections: { [ana.id]: { access: OPAQUE_ACCESS } } },
      {
        introspectToken: () =>
          fail(
            errorOf('introspectionFailed', {
              message: 'The provider refused the introspection (invalid_client, HTTP 401).',
              traces: ['HTTP 401'],
            }),
          ),
      },
    );
    await user.click(
      await within(dialog).findByRole('button', { name: 'Ask the provider (introspection)' }),
    );
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('The provider could not be asked');
    expect(alert.textContent).toContain('invalid_client, HTTP 401');
    expect(alert.textContent).toContain('oauth/1203');
  });

  it('shows an encrypted token’s readable header', async () => {
    const { dialog } = await open({
      inspections: {
        [ana.id]: {
          access: {
            ...OPAQUE_ACCESS,
            canIntrospect: false,
            header: { alg: 'RSA-OAEP-256', enc: 'A256GCM' },
            problem:
              'encrypted (JWE): its claims can be read only with the key of the party it is encrypted for',
          },
        },
      },
    });
    await within(dialog).findByText(/Tokendesk could not decode it: encrypted \(JWE\)/);
    expect(jsonUnder(dialog, 'Header')).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM' });
  });

  it('says why a token shaped like a JWT could not be decoded', async () => {
    const { dialog } = await open({
      inspections: {
        [ana.id]: {
          access: {
            ...OPAQUE_ACCESS,
            canIntrospect: false,
            problem: 'not a JWT: the payload is not JSON',
          },
        },
      },
    });
    await within(dialog).findByText(
      'Tokendesk could not decode it: not a JWT: the payload is not JSON.',
    );
    expect(within(dialog).queryByRole('button', { name: /Ask the provider/ })).toBeNull();
  });
});

describe('nothing to show', () => {
  it('says the account has no ID token', async () => {
    const { user, dialog } = await open();
    await user.click(within(dialog).getByRole('tab', { name: 'ID token' }));
    await within(dialog).findByText(/This account has no ID token/);
  });

  it('shows a failure to read as an error alert', async () => {
    const { dialog } = await open({}, { inspectToken: () => fail(errorOf('secretUnreadable')) });
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('The access token could not be read');
    expect(alert.textContent).toContain('storage/1');
  });

  it('Close and Escape close it and give the focus back to the Inspect button', async () => {
    const { user, dialog } = await open();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    const inspect = screen.getByRole('button', { name: 'Inspect tokens of ana@example.test' });
    expect(document.activeElement).toBe(inspect);
    await user.click(inspect);
    // Escape is the native dialog's cancel event, which happy-dom does not fire from a key.
    const again = screen.getByRole('dialog');
    await actAndSettle(() => again.dispatchEvent(new Event('cancel', { cancelable: true })));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(inspect);
  });
});

describe('relativeTime', () => {
  it.each([
    [NOW + 42 * 60_000, 'in 42 min'],
    [NOW - 3 * 3_600_000, '3 h ago'],
    [NOW + 12_500, 'in 12 s'],
    [NOW - 5 * 86_400_000, '5 d ago'],
    [NOW + 47 * 3_600_000, 'in 47 h'],
    [NOW, 'in 0 s'],
  ])('%s reads %s', (at, text) => {
    expect(relativeTime(at, NOW)).toBe(text);
  });
});
