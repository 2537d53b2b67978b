/**
 * Reads the PAC-style answer Electron's `session.resolveProxy(url)` gives (the system proxy
 * settings or PAC script, as Chromium applies them): entries separated by `;`, each `DIRECT`,
 * `PROXY host:port`, `HTTPS host:port`, `SOCKS host:port`, `SOCKS4 …` or `SOCKS5 …`. The first
 * entry undici can use wins; Chromium would try the later ones when a proxy fails, which a
 * request with a client certificate does not (it fails, and says through which proxy).
 */
export type ProxyChoice =
  | { readonly kind: 'direct' }
  | { readonly kind: 'proxy'; readonly uri: string }
  /** Only entries undici cannot use (SOCKS). */
  | { readonly kind: 'unsupported' };

const DEFAULT_PORTS: Readonly<Record<string, number>> = { PROXY: 80, HTTPS: 443 };

/** `host:port`, `[::1]:port` or a bare host, as a URL's authority with a port. */
const authority = (hostPort: string, defaultPort: number): string | undefined => {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(?::(\d{1,5}))?$/.exec(hostPort);
  if (match === null) return undefined;
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  return `${match[1]}:${port}`;
};

export const chooseProxy = (answer: string): ProxyChoice => {
  const entries = answer
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // An empty answer is what Chromium gives for "no proxy".
  if (entries.length === 0) return { kind: 'direct' };
  for (const entry of entries) {
    const [scheme = '', hostPort, ...rest] = entry.split(/\s+/);
    const type = scheme.toUpperCase();
    if (type === 'DIRECT' && hostPort === undefined) return { kind: 'direct' };
    const defaultPort = DEFAULT_PORTS[type];
    if (defaultPort === undefined || hostPort === undefined || rest.length > 0) continue;
    const at = authority(hostPort, defaultPort);
    if (at === undefined) continue;
    return { kind: 'proxy', uri: `${type === 'HTTPS' ? 'https' : 'http'}://${at}` };
  }
  return { kind: 'unsupported' };
};

/**
 * The proxy Chromium takes first for a request (any kind, SOCKS included), as `host:port`, or
 * undefined for a direct connection: how a failure or Test connection names the way it went.
 */
export const firstProxy = (answer: string): { kind: string; hostPort: string } | undefined => {
  const [scheme = '', hostPort] = (answer.split(';')[0] ?? '').trim().split(/\s+/);
  if (scheme === '' || scheme.toUpperCase() === 'DIRECT' || hostPort === undefined)
    return undefined;
  return { kind: scheme.toUpperCase(), hostPort };
};

/** "PROXY a:1; DIRECT" → "through the proxy a:1"; "SOCKS5 b:2" → "through the socks5 proxy b:2"; "DIRECT" → "direct". */
export const describeRoute = (answer: string): string => {
  const proxy = firstProxy(answer);
  if (proxy === undefined) return 'direct';
  const kind = proxy.kind === 'PROXY' ? '' : `${proxy.kind.toLowerCase()} `;
  return `through the ${kind}proxy ${proxy.hostPort}`;
};
