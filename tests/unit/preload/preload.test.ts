/**
 * The preload (docs SECURITY.md): the page gets exactly `window.tokendesk` = { api, on } — one
 * function per API channel and a subscription to the known events — and never ipcRenderer, its
 * send/sendSync/invoke, or an IPC event object.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokendeskBridge } from '../../../shared/ipc-contract';
import { CHANNEL_NAMES, EVENT_NAMES, ipcChannel, ipcEvent } from '../../../shared/ipc-contract';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

let bridge: TokendeskBridge;

beforeAll(async () => {
  // The preload runs once, at import, like in the renderer.
  await import('../../../main/preload/index');
  bridge = electron.contextBridge.exposed.get('tokendesk') as TokendeskBridge;
});

beforeEach(() => {
  electron.ipcRenderer.invoke.mockClear();
  electron.ipcRenderer.removeAllListeners();
});

/** Every value reachable from `root` (own properties, functions included), with its path. */
const walk = (root: unknown, path = 'tokendesk', seen = new Set<unknown>()) => {
  const found: { path: string; value: unknown }[] = [];
  if ((typeof root !== 'object' && typeof root !== 'function') || root === null) return found;
  if (seen.has(root)) return found;
  seen.add(root);
  for (const key of Reflect.ownKeys(root)) {
    const descriptor = Object.getOwnPropertyDescriptor(root, key);
    const value: unknown =
      descriptor && 'value' in descriptor ? descriptor.value : Reflect.get(root, key);
    const at = `${path}.${String(key)}`;
    found.push({ path: at, value }, ...walk(value, at, seen));
  }
  return found;
};

describe('what the page sees', () => {
  it('exposes one global, tokendesk, with exactly api and on', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['tokendesk']);
    expect(Object.keys(bridge).sort()).toEqual(['api', 'on']);
    expect(typeof bridge.on).toBe('function');
  });

  it('offers one function per API channel, no more, no fewer', () => {
    expect(Object.keys(bridge.api).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const name of CHANNEL_NAMES) expect(bridge.api[name], name).toBeTypeOf('function');
  });

  it('never exposes ipcRenderer or a way to send on any channel', () => {
    const everything = walk(bridge);
    expect(everything.length).toBeGreaterThan(CHANNEL_NAMES.length);
    for (const { path, value } of everything) {
      expect(value, path).not.toBe(electron.ipcRenderer);
      for (const name of ['send', 'sendSync', 'invoke', 'postMessage', 'sendToHost']) {
        expect(path.endsWith(`.${name}`), path).toBe(false);
      }
    }
  });
});

describe('api', () => {
  it('invokes the channel with the input and answers what main answered', async () => {
    for (const name of CHANNEL_NAMES) {
      const answer = { ok: true, value: `${name} from main` };
      electron.ipcRenderer.invoke.mockResolvedValueOnce(answer);
      const input = { probe: name };

      await expect(
        (bridge.api[name] as (input: unknown) => Promise<unknown>)(input),
      ).resolves.toEqual(answer);
      expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannel(name), input);
    }
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(CHANNEL_NAMES.length);
  });

  it('passes a call without input as one undefined argument', async () => {
    await bridge.api.listAccounts();

    expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(
      ipcChannel('listAccounts'),
      undefined,
    );
  });
});

describe('on', () => {
  it('refuses an event that is not in the contract', () => {
    const on = bridge.on.bind(bridge) as (name: string, listener: () => void) => () => void;

    for (const name of ['tokendesk:event:accountsChanged', 'unknown', '__proto__', '']) {
      expect(() => on(name, () => undefined), name).toThrow(/unknown event/);
    }
    expect(electron.ipcRenderer.listenerCount(ipcEvent('accountsChanged'))).toBe(0);
  });

  it.each(EVENT_NAMES)('gives the %s listener the payload only, not the IPC event', (name) => {
    const listener = vi.fn();
    bridge.on(name, listener);
    const ipcEventObject = { sender: electron.ipcRenderer, senderId: 0, ports: [] };

    electron.ipcRenderer.emit(ipcEvent(name), ipcEventObject, { payload: name });

    expect(listener).toHaveBeenCalledExactlyOnceWith({ payload: name });
  });

  it('returns a function that unsubscribes exactly that listener', () => {
    const removeListener = vi.spyOn(electron.ipcRenderer, 'removeListener');
    const on = vi.spyOn(electron.ipcRenderer, 'on');
    const kept = vi.fn();
    const dropped = vi.fn();
    bridge.on('accountsChanged', kept);
    const unsubscribe = bridge.on('accountsChanged', dropped);

    unsubscribe();
    electron.ipcRenderer.emit(ipcEvent('accountsChanged'), {}, []);

    expect(dropped).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledOnce();
    // The wrapped function that was added is the one removed.
    const added = on.mock.calls[1]?.[1];
    expect(removeListener).toHaveBeenCalledExactlyOnceWith(ipcEvent('accountsChanged'), added);
    expect(electron.ipcRenderer.listenerCount(ipcEvent('accountsChanged'))).toBe(1);
  });
});
