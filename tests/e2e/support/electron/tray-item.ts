/**
 * A tray item on the session bus as a panel sees it (see tray-host.ts): its properties
 * (org.kde.StatusNotifierItem) and its menu (com.canonical.dbusmenu), read and clicked over D-Bus.
 */
import { Message, MessageFlag, Variant, type MessageBus } from '@jellybrick/dbus-next';

const ITEM = 'org.kde.StatusNotifierItem';
const PROPERTIES = 'org.freedesktop.DBus.Properties';
const DBUSMENU = 'com.canonical.dbusmenu';

export interface TrayMenuEntry {
  readonly id: number;
  /** The label as shown (dbusmenu's mnemonic underscores removed). */
  readonly label: string;
  readonly enabled: boolean;
  readonly separator: boolean;
}

export interface TrayItem {
  /** The registering connection's unique bus name. */
  readonly busName: string;
  /** The tooltip's title. */
  toolTip(): Promise<string>;
  /** The icon's sizes, where it is sent as pixels (IconPixmap), or its name (IconName). */
  icon(): Promise<{ readonly pixmaps: readonly string[]; readonly name: string }>;
  /** The menu's top-level entries, as the panel would show them now. */
  menu(): Promise<TrayMenuEntry[]>;
  /** Picks the entry labelled `label` from the menu as it is now. */
  click(label: string): Promise<void>;
}

/** A dbusmenu layout node: id, properties, children. */
type Layout = [number, Record<string, Variant>, Variant<Layout>[]];

/** Calls a method and answers the reply's body. */
export const call = async (bus: MessageBus, message: Message): Promise<unknown[]> => {
  const reply = await bus.call(message);
  return reply?.body ?? [];
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The item that `busName` serves at `path`. */
export const trayItem = (bus: MessageBus, busName: string, path: string): TrayItem => {
  /** The item's properties (GetAll: an item publishes only those it has). */
  const property = async (name: string): Promise<unknown> => {
    const [all] = await call(
      bus,
      new Message({
        destination: busName,
        path,
        interface: PROPERTIES,
        member: 'GetAll',
        signature: 's',
        body: [ITEM],
      }),
    );
    return (all as Record<string, Variant | undefined>)[name]?.value;
  };
  const menuPath = async (): Promise<string> => String(await property('Menu'));
  const menu = async (): Promise<TrayMenuEntry[]> => {
    const [, layout] = await call(
      bus,
      new Message({
        destination: busName,
        path: await menuPath(),
        interface: DBUSMENU,
        member: 'GetLayout',
        signature: 'iias',
        body: [0, -1, []],
      }),
    );
    const [, , children] = layout as Layout;
    return children.map(({ value: [id, props] }) => ({
      id,
      label: text(props.label?.value).replace(/_(_?)/g, '$1'),
      enabled: props.enabled?.value !== false,
      separator: props.type?.value === 'separator',
    }));
  };
  return {
    busName,
    toolTip: async () => {
      const [, , title] = (await property('ToolTip')) as [string, unknown, string, string];
      return title;
    },
    icon: async () => {
      const pixmaps = ((await property('IconPixmap')) ?? []) as [number, number, Buffer][];
      return {
        pixmaps: pixmaps.map(([width, height]) => `${width}x${height}`),
        name: text(await property('IconName')),
      };
    },
    menu,
    click: async (label) => {
      const entry = (await menu()).find((candidate) => candidate.label === label);
      if (!entry) throw new Error(`the tray menu has no entry "${label}"`);
      // Sent as a panel does, expecting no reply: an item such as Quit ends the app before it
      // could answer. Tests look for what the click did.
      bus.send(
        new Message({
          destination: busName,
          path: await menuPath(),
          interface: DBUSMENU,
          member: 'Event',
          signature: 'isvu',
          body: [entry.id, 'clicked', new Variant('i', 0), 0],
          flags: MessageFlag.NO_REPLY_EXPECTED,
        }),
      );
    },
  };
};
