/**
 * Real Electron, what crosses the bridge (docs/ERRORS.md, `type` and `unknown`): the page hands
 * `window.tokendesk` something that is not JSON; contextBridge copies it into the preload and
 * `ipcRenderer.invoke` structured-clones it to main. A `Date`, `Map` or `Set` survives both
 * copies, so main must refuse it itself (zod would take it for an empty object): the page gets
 * `request`/0 naming it. A huge unknown field name comes back shortened.
 */
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { withTokendesk } from '../support/electron/electron-harness';
import { closeProbeWindow, openProbeWindow, writeProbeFiles } from '../support/electron/ipc-probe';

const spec = 'ipc-input-shapes.spec';
/** A test-only channel answering how main sees its input. */
const KIND = 'tokendesk-test:input-kind';

/** The three values, made in the page's own world (the string is evaluated there). */
const VALUES = `[new Date(0), new Map([['clipboardClearSeconds', 3600]]), new Set(['x'])]`;

/** Calls `channel` with each value through the app's bridge, from the page. */
const callWithEach = (window: Page, channel: string): Promise<unknown[]> =>
  window.evaluate(
    `Promise.all(${VALUES}.map((value) => window.tokendesk.api[${JSON.stringify(channel)}](value)))`,
  );

const refused = (kind: string) => ({
  ok: false,
  error: expect.objectContaining({
    group: 'request',
    code: 0,
    validationDetail: [
      {
        field: '',
        expression: 'type',
        argument: 'object',
        reason: `must be object, not ${kind}`,
        originalValue: kind,
      },
    ],
  }) as unknown,
});

test('a Date, Map or Set reaches main as itself, and the page is told it is not plain data', async () => {
  await withTokendesk({ spec }, async ({ app, window }) => {
    // What main receives: a window with a preload that, like the app's, hands a page value to
    // ipcRenderer.invoke through contextBridge, calling a test-only channel that says what came.
    const files = writeProbeFiles(window.url());
    await app.evaluate(({ ipcMain }, channel) => {
      ipcMain.handle(channel, (_event, input: unknown) =>
        Object.prototype.toString.call(input).slice(8, -1),
      );
    }, KIND);
    try {
      const probe = await openProbeWindow(app, {
        preload: files.preload,
        url: new URL('other.html', pathToFileURL(files.preload)).href,
      });
      const arrived = await app.evaluate(
        async ({ webContents }, { probe, script }) =>
          (await webContents.fromId(probe)?.executeJavaScript(script)) as unknown,
        {
          probe,
          script: `Promise.all(${VALUES}.map((value) => probe.invoke(${JSON.stringify(KIND)}, value)))`,
        },
      );
      expect(arrived).toEqual(['Date', 'Map', 'Set']);
      await closeProbeWindow(app, probe);
    } finally {
      await app.evaluate(({ ipcMain }, channel) => ipcMain.removeHandler(channel), KIND);
      files.remove();
    }

    // What the app's page gets: request/0 naming what it sent, on channels with no required
    // field (these answered ok before), and a save that did not happen.
    const settingsBefore: unknown = await window.evaluate('window.tokendesk.api.getSettings()');
    for (const channel of ['getStatus', 'listAccounts', 'saveSettings']) {
      expect(await callWithEach(window, channel), channel).toEqual([
        refused('Date'),
        refused('Map'),
        refused('Set'),
      ]);
    }
    expect(await window.evaluate('window.tokendesk.api.getSettings()')).toEqual(settingsBefore);
  });
});

test('an unknown field with a million-character name is named in 64 characters', async () => {
  await withTokendesk({ spec }, async ({ window }) => {
    const answer = await window.evaluate<{ ok: boolean; error?: unknown }>(
      `window.tokendesk.api.getStatus({ ['k'.repeat(1e6)]: 1 })`,
    );
    const shortened = `${'k'.repeat(64)}…`;

    // The size first: a failure should not print a million characters.
    expect(JSON.stringify(answer).length).toBeLessThan(1024);
    expect(answer).toEqual({
      ok: false,
      error: expect.objectContaining({
        group: 'request',
        code: 0,
        validationDetail: [
          {
            field: shortened,
            expression: 'unknown',
            reason: `"${shortened}" is not a field of this request`,
          },
        ],
      }) as unknown,
    });
  });
});
