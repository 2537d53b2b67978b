/**
 * The local identity provider the end-to-end specs connect to: oidc-provider on 127.0.0.1 with
 * one confidential client registered for the embedded consent redirect, and the steps a user
 * takes in the app's "Add provider" form to reach it.
 */
import type { Page } from '@playwright/test';
import { startOidcServer, type OidcServer } from '../../support/oidc-server';

export const CLIENT_ID = 'tokendesk-e2e';
export const CLIENT_SECRET = 'e2e-client-secret-5f2b9c7a1d';
/** What the form shows for a custom OIDC provider labelled "Local IdP", in embedded mode. */
export const REDIRECT_URI = 'http://127.0.0.1/callback/oidc';

export const startLocalIdp = (accessTokenTtl: number): Promise<OidcServer> =>
  startOidcServer({
    rotateRefreshToken: true,
    accessTokenTtl,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        // The app sends a secret given to a public preset with HTTP Basic (RFC 6749 §2.3.1).
        authMethod: 'client_secret_basic',
        redirectUris: [REDIRECT_URI],
      },
    ],
  });

/** Fills the open "Add provider" dialog for the local IdP (does not save). */
export const fillLocalProvider = async (page: Page, issuer: string): Promise<void> => {
  const form = page.getByRole('dialog', { name: 'Add provider' });
  await form
    .getByLabel('Provider', { exact: true })
    .selectOption({ label: 'Custom OpenID Connect' });
  await form.getByLabel('Label', { exact: true }).fill('Local IdP');
  await form.getByLabel('Issuer URL', { exact: true }).fill(issuer);
  await form.getByLabel('Client ID', { exact: true }).fill(CLIENT_ID);
  await form.getByLabel('Client secret', { exact: true }).fill(CLIENT_SECRET);
};

/** The HTTP status the provider's userinfo endpoint answers for a bearer token. */
export const userinfoStatus = async (issuer: string, token: string): Promise<number> => {
  const response = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${token}` } });
  await response.body?.cancel();
  return response.status;
};
