/**
 * GitHub's token endpoint quirks, rewritten before oauth4webapi sees the answer: errors with HTTP
 * 200 become 400, form-encoded bodies become JSON, comma-separated scopes become space-separated.
 * Nothing else is touched.
 */
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../main/core/http/http-client';
import { withTokenQuirks } from '../../../main/core/http/provider-fetch';
import type { ProviderQuirks } from '../../../shared/providers';

const TOKEN = 'https://github.com/login/oauth/access_token';
const GITHUB: ProviderQuirks = { tokenErrorsWithHttp200: true, commaSeparatedScopes: true };

const answering =
  (status: number, body: string, contentType: string): FetchLike =>
  () =>
    Promise.resolve(new Response(body, { status, headers: { 'content-type': contentType } }));

const json = (status: number, body: unknown): FetchLike =>
  answering(status, JSON.stringify(body), 'application/json; charset=utf-8');
const form = (status: number, fields: Record<string, string>): FetchLike =>
  answering(
    status,
    new URLSearchParams(fields).toString(),
    'application/x-www-form-urlencoded; charset=utf-8',
  );

describe('withTokenQuirks', () => {
  it('turns a GitHub-style HTTP 200 error into an HTTP 400 with the same error', async () => {
    const fetch = withTokenQuirks(
      GITHUB,
      TOKEN,
      json(200, {
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
      }),
    );
    const response = await fetch(TOKEN, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'bad_verification_code',
      error_description: 'The code passed is incorrect or expired.',
    });
  });

  it('turns a form-encoded success into JSON', async () => {
    const fetch = withTokenQuirks(
      GITHUB,
      TOKEN,
      form(200, { access_token: 'gho_abc', token_type: 'bearer', scope: 'repo' }),
    );
    const response = await fetch(TOKEN, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      access_token: 'gho_abc',
      token_type: 'bearer',
      scope: 'repo',
    });
  });

  it('turns a form-encoded HTTP 200 error into a JSON HTTP 400', async () => {
    const fetch = withTokenQuirks(
      GITHUB,
      TOKEN,
      form(200, { error: 'incorrect_client_credentials' }),
    );
    const response = await fetch(TOKEN, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'incorrect_client_credentials' });
  });

  it('turns comma-separated scopes into space-separated ones', async () => {
    const fetch = withTokenQuirks(
      GITHUB,
      TOKEN,
      json(200, { access_token: 'gho_abc', token_type: 'bearer', scope: 'repo,gist,read:user' }),
    );
    const body = (await (await fetch(TOKEN)).json()) as { scope: string };
    expect(body.scope).toBe('repo gist read:user');
  });

  it('turns comma-separated scopes of a form-encoded answer into space-separated ones', async () => {
    const fetch = withTokenQuirks(
      GITHUB,
      TOKEN,
      form(200, { access_token: 'gho_abc', token_type: 'bearer', scope: 'repo,user' }),
    );
    const body = (await (await fetch(TOKEN)).json()) as { scope: string };
    expect(body.scope).toBe('repo user');
  });

  it('keeps a success that happens to carry an error field next to its token', async () => {
    const fetch = withTokenQuirks(
      GITHUB,
      TOKEN,
      json(200, { access_token: 'gho_abc', token_type: 'bearer', error: 'ignored' }),
    );
    expect((await fetch(TOKEN)).status).toBe(200);
  });

  it('leaves answers of other URLs untouched', async () => {
    const base = json(200, { error: 'not_a_token_answer', scope: 'a,b' });
    const fetch = withTokenQuirks(GITHUB, TOKEN, base);
    const response = await fetch('https://api.github.com/user');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ error: 'not_a_token_answer', scope: 'a,b' });
  });

  it('leaves non-200 token answers untouched', async () => {
    const fetch = withTokenQuirks(GITHUB, TOKEN, json(401, { error: 'invalid_client' }));
    const response = await fetch(TOKEN);
    expect(response.status).toBe(401);
  });

  it('leaves a token answer that is neither JSON nor a form untouched', async () => {
    const fetch = withTokenQuirks(
      GITHUB,
      TOKEN,
      answering(200, '<html>maintenance</html>', 'text/html'),
    );
    const response = await fetch(TOKEN);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<html>maintenance</html>');
  });

  it('leaves providers without quirks untouched', async () => {
    const fetch = withTokenQuirks({}, TOKEN, json(200, { error: 'whatever', scope: 'a,b' }));
    const response = await fetch(TOKEN);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ error: 'whatever', scope: 'a,b' });
  });

  it('applies the comma-scope quirk on its own, for a provider that has only that quirk', async () => {
    const fetch = withTokenQuirks(
      { commaSeparatedScopes: true },
      TOKEN,
      json(200, { access_token: 'x', token_type: 'bearer', scope: 'a,b' }),
    );
    const body = (await (await fetch(TOKEN)).json()) as { scope: string };
    expect(body.scope).toBe('a b');
  });
});
