/** consentByMode: each sign-in goes to the port of the provider's consent mode, and only there. */
import { describe, expect, it } from 'vitest';
import { consentByMode } from '../../../../main/core/consent/consent-by-mode';
import type { ConsentPort, ConsentRequest, ConsentSession } from '../../../../main/core/ports';

const recordingPort = (name: string) => {
  const requests: ConsentRequest[] = [];
  const port: ConsentPort = {
    begin: (request) => {
      requests.push(request);
      return Promise.resolve({ name } as unknown as ConsentSession);
    },
  };
  return { port, requests };
};

const request = (mode: ConsentRequest['mode']): ConsentRequest => ({
  providerId: 'local',
  mode,
  redirectHost: '127.0.0.1',
  callbackPath: '/callback/local',
  signal: new AbortController().signal,
});

describe('consentByMode', () => {
  it('sends each request to its mode’s port, untouched, and to no other', async () => {
    const embedded = recordingPort('embedded');
    const browser = recordingPort('system-browser');
    const port = consentByMode({ embedded: embedded.port, 'system-browser': browser.port });

    const inWindow = request('embedded');
    const inBrowser = request('system-browser');
    expect(await port.begin(inWindow)).toEqual({ name: 'embedded' });
    expect(await port.begin(inBrowser)).toEqual({ name: 'system-browser' });

    expect(embedded.requests).toEqual([inWindow]);
    expect(browser.requests).toEqual([inBrowser]);
  });

  it('passes a port’s refusal on as it is', async () => {
    const failing: ConsentPort = { begin: () => Promise.reject(new Error('no display')) };
    const port = consentByMode({ embedded: failing, 'system-browser': recordingPort('b').port });
    await expect(port.begin(request('embedded'))).rejects.toThrow('no display');
  });
});
