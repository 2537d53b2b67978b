/**
 * GitHub's token endpoint quirks, rewritten before oauth4webapi sees the answer: errors with HTTP
 * 200 become 400, form-encoded bodies become JSON, comma-separated scopes become space-separated.
 * For every provider: optional members sent as null or "" are dropped, and the error text loses
 * any secret the request sent. Nothing else is touched.
 */
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../../main/core/http/http-client';
import { withTokenQuirks } from '../../../../main/core/http/provider-fetch';
import type { ProviderQuirks } from '../../../../shared/providers';

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

describe('optional members sent as null or "" (every provider)', () => {
  it('drops them from a success, keeping everything else as sent', async () => {
    const fetch = withTokenQuirks(
      {},
      TOKEN,
      json(200, {
        access_token: 'at-2',
        token_type: 'Bearer',
        refresh_token: null,
        scope: '',
        expires_in: null,
        id_token: '',
        refresh_token_expires_in: null,
        custom: null,
      }),
    );
    const response = await fetch(TOKEN, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      access_token: 'at-2',
      token_type: 'Bearer',
      custom: null,
    });
  });

  it('leaves present members alone, including a refresh token equal to the one sent', async () => {
    const answer = {
      access_token: 'at-2',
      token_type: 'Bearer',
      refresh_token: 'rt-1',
      scope: 'read',
      expires_in: 0,
    };
    const fetch = withTokenQuirks({}, TOKEN, json(200, answer));
    const response = await fetch(TOKEN, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt-1' }),
    });
    expect(await response.json()).toEqual(answer);
  });
});

describe('secrets the request sent, quoted back in the error text (every provider)', () => {
  const refreshRequest = (extra: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: 'tokendesk-test',
      ...extra,
    }),
  });

  it('masks the sent refresh token in error_description and error_uri, keeping the status', async () => {
    const fetch = withTokenQuirks(
      {},
      TOKEN,
      json(400, {
        error: 'invalid_grant',
        error_description: 'Invalid refresh token: rt-1',
        error_uri: 'https://idp.example/errors?token=rt-1',
      }),
    );
    const response = await fetch(TOKEN, refreshRequest());
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid refresh token: [redacted]',
      error_uri: 'https://idp.example/errors?token=[redacted]',
    });
  });

  it('masks the code, verifier and a client secret sent in the form', async () => {
    const fetch = withTokenQuirks(
      {},
      TOKEN,
      json(400, { error: 'invalid_grant', error_description: 'ac-1 / v-1 / cs-1 do not match' }),
    );
    const response = await fetch(TOKEN, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'ac-1',
        code_verifier: 'v-1',
        client_secret: 'cs-1',
      }),
    });
    expect(await response.json()).toMatchObject({
      error_description: '[redacted] / [redacted] / [redacted] do not match',
    });
  });

  it('masks a client secret sent with HTTP Basic, in the body and in the challenge', async () => {
    const base: FetchLike = () =>
      Promise.resolve(
        new Response(JSON.stringify({ error: 'invalid_client', error_description: 'bad s3cr:t' }), {
          status: 401,
          headers: {
            'content-type': 'application/json',
            'www-authenticate': 'Basic realm="idp", error_description="bad s3cr:t"',
          },
        }),
      );
    const fetch = withTokenQuirks({}, TOKEN, base);
    const basic = btoa(`tokendesk-test:${encodeURIComponent('s3cr:t')}`);
    const response = await fetch(TOKEN, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt-1' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Basic realm="idp", error_description="bad [redacted]"',
    );
    expect(await response.json()).toMatchObject({ error_description: 'bad [redacted]' });
  });

  it('masks them in a GitHub-style HTTP 200 error before turning it into a 400', async () => {
    const fetch = withTokenQuirks(
      GITHUB,
      TOKEN,
      json(200, { error: 'bad_refresh_token', error_description: 'rt-1 is not valid' }),
    );
    const response = await fetch(TOKEN, refreshRequest());
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'bad_refresh_token',
      error_description: '[redacted] is not valid',
    });
  });
});
