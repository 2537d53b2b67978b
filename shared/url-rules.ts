/** URL rules shared by the IPC schemas and the core. Pure: no Node or DOM API beyond `URL`. */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.has(hostname);

/**
 * Endpoints must be `https:`; plain `http:` is accepted only for loopback, where local identity
 * providers and tests run. Parsed with a real URL parser, never with `startsWith`.
 */
export const isAllowedEndpoint = (value: string): boolean => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
};
