/**
 * The preload: exposes exactly the typed API and the change events as `window.tokendesk`.
 * Never raw ipcRenderer, never event objects, never process.env.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { EventPayloads, TokendeskApi, TokendeskBridge } from '../../shared/ipc-contract';
import { CHANNEL_NAMES, EVENT_NAMES, ipcChannel, ipcEvent } from '../../shared/ipc-channels';

const api = Object.fromEntries(
  CHANNEL_NAMES.map((name) => [
    name,
    (input?: unknown) => ipcRenderer.invoke(ipcChannel(name), input),
  ]),
) as unknown as TokendeskApi;

const bridge: TokendeskBridge = {
  api,
  on(name, listener) {
    if (!EVENT_NAMES.includes(name)) throw new Error(`unknown event ${String(name)}`);
    // The renderer gets the payload only: the IpcRendererEvent would expose the sender.
    const wrapped = (_event: unknown, payload: unknown) =>
      listener(payload as EventPayloads[typeof name]);
    ipcRenderer.on(ipcEvent(name), wrapped);
    return () => {
      ipcRenderer.removeListener(ipcEvent(name), wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('tokendesk', bridge);
