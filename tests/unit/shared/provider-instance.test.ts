/**
 * A self-managed GitLab named by its URL: every URL of the preset moves to the instance, nothing
 * of gitlab.com's stays (a token of one server is never offered to another), and other presets
 * are untouched.
 */
import { describe, expect, it } from 'vitest';
import { instanceIssuer, presetAt } from '../../../shared/provider-instance';
import { findPreset, type ProviderPreset } from '../../../shared/providers';

const preset = (id: string) => findPreset(id) as ProviderPreset;

describe('presetAt (a self-managed instance)', () => {
  it('moves GitLab’s issuer, endpoints, curl example and API hosts to the instance', () => {
    const at = presetAt(preset('gitlab'), 'https://git.example.org/gitlab/');
    expect(at.issuer).toBe('https://git.example.org/gitlab');
    expect(at.endpoints).toEqual({
      authorization: 'https://git.example.org/gitlab/oauth/authorize',
      token: 'https://git.example.org/gitlab/oauth/token',
      revocation: 'https://git.example.org/gitlab/oauth/revoke',
      userinfo: 'https://git.example.org/gitlab/oauth/userinfo',
    });
    expect(at.exampleApiUrl).toBe('https://git.example.org/gitlab/api/v4/user');
    expect(at.apiHosts).toEqual(['git.example.org']);
    // gitlab.com's registry is not the instance's: no registry host, git's user name kept.
    expect(at.commandLine).toEqual({ envName: 'GITLAB_TOKEN', gitUsername: 'oauth2' });
    expect(JSON.stringify(at.endpoints)).not.toContain('gitlab.com');
    // The rest is the shipped preset's.
    expect(at).toMatchObject({
      id: 'gitlab',
      clientAuth: 'none',
      identity: { kind: 'id-token' },
      revocation: { kind: 'rfc7009' },
    });
  });

  it('keeps the preset as shipped without an instance, for gitlab.com itself, and for other presets', () => {
    const gitlab = preset('gitlab');
    expect(presetAt(gitlab, undefined)).toBe(gitlab);
    expect(presetAt(gitlab, 'https://gitlab.com/')).toBe(gitlab);
    const google = preset('google');
    expect(presetAt(google, 'https://idp.example.com')).toBe(google);
    const oidc = preset('oidc');
    expect(presetAt(oidc, 'https://idp.example.com')).toBe(oidc);
  });

  it('writes the instance URL as GitLab’s issuer: without trailing slashes', () => {
    expect(instanceIssuer('https://gitlab.example.com//')).toBe('https://gitlab.example.com');
    expect(instanceIssuer('https://example.com/gitlab')).toBe('https://example.com/gitlab');
  });
});
