/**
 * A tray for the test desktop: a minimal StatusNotifierWatcher on the private session bus, which
 * hands out the tray items that register with it (tray-item.ts reads and clicks them, as the
 * panel that would show them does).
 *
 * On Linux, Chromium (and so Electron's Tray) publishes a tray icon as a StatusNotifierItem when
 * `org.kde.StatusNotifierWatcher` is owned on the session bus and answers
 * IsStatusNotifierHostRegistered = true, and falls back to a GTK (XEmbed) icon otherwise; it
 * checks once, when the Tray is created, so the host must be up before the app starts. The item
 * then registers with RegisterStatusNotifierItem(its unique bus name), serves its properties at
 * /StatusNotifierItem (org.kde.StatusNotifierItem) and its menu at the object path named by the
 * item's Menu property, over com.canonical.dbusmenu: GetLayout to read it, Event(id, "clicked")
 * for a click, which is what a panel sends when the user picks an item.
 *
 * Protocols: freedesktop.org's StatusNotifierItem draft (KDE's interface names) and
 * libdbusmenu's com.canonical.dbusmenu. Checked against Electron 33 (Chromium 130).
 *
 * The D-Bus library is @jellybrick/dbus-next, a maintained fork of dbus-next with its API and no
 * native parts: dbus-next 0.10.2 brings an optional native module (usocket) whose node-gyp build
 * fails on these machines, and some sixty deprecated packages into the lock file.
 */
import type { EventEmitter } from 'node:events';
import { Message, Variant, sessionBus, type MessageBus } from '@jellybrick/dbus-next';
import { call, trayItem, type TrayItem } from './tray-item';

const WATCHER = 'org.kde.StatusNotifierWatcher';
const WATCHER_PATH = '/StatusNotifierWatcher';
const PROPERTIES = 'org.freedesktop.DBus.Properties';
/** RequestName: fail rather than queue when another watcher has the name. */
const DO_NOT_QUEUE = 4;
const PRIMARY_OWNER = 1;

export type { TrayItem, TrayMenuEntry } from './tray-item';

export interface TrayHost {
  /** The item that the process `pid` registered, once it has (bounded by `timeoutMs`). */
  itemOf(pid: number, timeoutMs: number): Promise<TrayItem>;
  stop(): void;
}

const bodyOf = (message: Message): unknown[] => message.body;

const connectionPid = async (bus: MessageBus, busName: string): Promise<number> => {
  const [pid] = await call(
    bus,
    new Message({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus',
      member: 'GetConnectionUnixProcessID',
      signature: 's',
      body: [busName],
    }),
  );
  return Number(pid);
};

/**
 * Starts the watcher on the session bus in DBUS_SESSION_BUS_ADDRESS (the test desktop's, from
 * the global setup), or answers why it cannot.
 */
export const startTrayHost = async (): Promise<TrayHost | { readonly reason: string }> => {
  const address = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) return { reason: 'no tray host: there is no D-Bus session bus' };
  let bus: MessageBus;
  try {
    bus = sessionBus({ busAddress: address });
    // A bus that cannot be reached says so with 'error' events (its types do not declare them);
    // later ones, after the watcher is up, must not crash the test process either.
    const failed = new Promise<never>((_resolve, reject) =>
      (bus as unknown as EventEmitter).on('error', reject),
    );
    failed.catch(() => undefined);
    const reply = await Promise.race([bus.requestName(WATCHER, DO_NOT_QUEUE), failed]);
    if (reply !== PRIMARY_OWNER) {
      bus.disconnect();
      return { reason: `no tray host: ${WATCHER} is already owned on the test bus` };
    }
  } catch (error) {
    return {
      reason: `no tray host: the watcher could not join the session bus (${String(error)})`,
    };
  }

  const registered: { readonly busName: string; readonly path: string }[] = [];
  const onRegistered = new Set<() => void>();
  bus.addMethodHandler((message) => {
    if (message.path !== WATCHER_PATH) return false;
    const answer = (signature: string, body: unknown[]) =>
      bus.send(Message.newMethodReturn(message, signature, body));
    if (message.interface === PROPERTIES && message.member === 'Get') {
      const values: Record<string, Variant> = {
        IsStatusNotifierHostRegistered: new Variant('b', true),
        ProtocolVersion: new Variant('i', 0),
        RegisteredStatusNotifierItems: new Variant(
          'as',
          registered.map((item) => item.busName),
        ),
      };
      const [, name] = bodyOf(message) as [string, string];
      const value = values[name];
      if (!value) return false;
      answer('v', [value]);
      return true;
    }
    if (message.interface === WATCHER && message.member === 'RegisterStatusNotifierItem') {
      // Chromium sends its unique bus name; other toolkits send an object path instead.
      const [service] = bodyOf(message) as [string];
      const byPath = service.startsWith('/');
      registered.push({
        busName: byPath ? message.sender : service,
        path: byPath ? service : '/StatusNotifierItem',
      });
      answer('', []);
      for (const notify of onRegistered) notify();
      return true;
    }
    return false;
  });

  const findItem = async (pid: number): Promise<TrayItem | undefined> => {
    for (const { busName, path } of registered) {
      if ((await connectionPid(bus, busName).catch(() => -1)) === pid) {
        return trayItem(bus, busName, path);
      }
    }
    return undefined;
  };

  return {
    itemOf: (pid, timeoutMs) =>
      new Promise((resolve, reject) => {
        const look = () =>
          void findItem(pid).then((item) => {
            if (!item) return;
            done();
            resolve(item);
          }, reject);
        const timer = setTimeout(() => {
          done();
          reject(new Error(`process ${pid} registered no tray item within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          onRegistered.delete(look);
        };
        onRegistered.add(look);
        look();
      }),
    stop: () => bus.disconnect(),
  };
};
