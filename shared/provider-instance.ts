/**
 * Presets for a product that also runs self-managed (GitLab: gitlab.com or the user's own
 * GitLab). The configuration's issuer is then the instance's URL, and every URL of the preset on
 * its server moves there with it: the endpoints, the curl example, the API hosts. What only the
 * preset's own server has (gitlab.com's container registry) is left out: the instance's is
 * unknown, and a token of one server must never be offered to another.
 */
import type { ProviderPreset } from './providers';

/** The instance URL as its issuer is written: GitLab's `iss` has no trailing slash. */
export const instanceIssuer = (url: string): string => url.replace(/\/+$/, '');

/** `url` on the server `to` instead of `from` (both issuers), or undefined when not on `from`. */
const moved = (url: string, from: string, to: string): string | undefined =>
  url === from || url.startsWith(`${from}/`) ? `${to}${url.slice(from.length)}` : undefined;

/**
 * The preset as a configuration with this issuer uses it: the preset itself, unless it is
 * self-managed and the issuer names an instance (the same object when nothing moves).
 */
export const presetAt = (preset: ProviderPreset, issuer: string | undefined): ProviderPreset => {
  const from = preset.issuer;
  if (preset.selfManaged !== true || issuer === undefined || from === undefined) return preset;
  const to = instanceIssuer(issuer);
  if (to === from) return preset;
  const move = (url: string): string => {
    const there = moved(url, from, to);
    // Preset data: every endpoint of a self-managed preset is on its issuer's server.
    if (there === undefined) throw new Error(`${preset.id}: ${url} is not on ${from}`);
    return there;
  };
  const endpoints = preset.endpoints;
  const exampleApiUrl =
    preset.exampleApiUrl === undefined ? undefined : moved(preset.exampleApiUrl, from, to);
  const commandLine = preset.commandLine && {
    envName: preset.commandLine.envName,
    ...(preset.commandLine.gitUsername !== undefined
      ? { gitUsername: preset.commandLine.gitUsername }
      : {}),
  };
  return {
    ...preset,
    issuer: to,
    ...(endpoints && {
      endpoints: {
        authorization: move(endpoints.authorization),
        token: move(endpoints.token),
        ...(endpoints.revocation !== undefined ? { revocation: move(endpoints.revocation) } : {}),
        ...(endpoints.userinfo !== undefined ? { userinfo: move(endpoints.userinfo) } : {}),
        ...(endpoints.introspection !== undefined
          ? { introspection: move(endpoints.introspection) }
          : {}),
        ...(endpoints.deviceAuthorization !== undefined
          ? { deviceAuthorization: move(endpoints.deviceAuthorization) }
          : {}),
      },
    }),
    // Not on the instance: no example rather than one that sends the token elsewhere.
    exampleApiUrl,
    apiHosts: [new URL(to).hostname],
    ...(commandLine ? { commandLine } : {}),
  };
};
