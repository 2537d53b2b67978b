/**
 * The IPC names alone, without their schemas: the sandboxed preload imports this file, and
 * importing shared/ipc-contract.ts instead would bundle zod into it (the preload forwards; main
 * validates). shared/ipc-contract.ts pairs every name here with its schema and answer type, and
 * the type checker holds the two lists equal.
 */
export const CHANNEL_NAMES = [
  'listProviders',
  'saveProvider',
  'deleteProvider',
  'connect',
  'cancelConnect',
  'listAccounts',
  'refreshAccount',
  'copyToken',
  'copyRedirectUri',
  'disconnect',
  'exchange',
  'getStatus',
  'getSettings',
  'saveSettings',
  'getCommandLine',
  'answerApproval',
  'revokeApproval',
  'clearCommandLog',
  'inspectToken',
  'introspectToken',
  'exportProviders',
  'importProviders',
  'testConnection',
  'listProxySignIns',
  'answerProxySignIn',
  'addMachineAccount',
  'copyDeviceCode',
  'openDevicePage',
] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Events main pushes to the renderer. */
export const EVENT_NAMES = [
  'accountsChanged',
  'connectProgress',
  'commandLineChanged',
  'proxySignIn',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** IPC channel strings, namespaced so nothing else in the app can collide with them. */
export const ipcChannel = (name: ChannelName): string => `tokendesk:${name}`;
export const ipcEvent = (name: EventName): string => `tokendesk:event:${name}`;
