/**
 * The command line's screens in real Chromium: Settings' "Command line" part (switch, approvals,
 * the hand-out log) and the approval prompt, checked with axe in both themes, with the native
 * <dialog>'s own Escape. The built renderer talks through the test host to a small in-memory API
 * (the core's side of the command line has tests of its own): what matters here is the page.
 */
import { expect, test } from '@playwright/test';
import type { ChannelInput } from '../../shared/ipc-contract';
import type { CommandLineView, HandOutEntry, SettingsView } from '../../shared/model';
import { PRESETS } from '../../shared/providers';
import { answer, fakeMain, githubProvider, type FakeMain } from './support/fake-main';
import { hostRenderer } from './support/renderer-host';
import { checkAccessibility } from './support/screens';
import { serveRenderer, type StaticServer } from './support/static-server';

let site: StaticServer;
test.beforeAll(async () => {
  site = await serveRenderer();
});
test.afterAll(async () => {
  await site.close();
});

test.use({ viewport: { width: 1100, height: 760 } });

const NOW = Date.now();
const OUTCOMES: readonly HandOutEntry['outcome'][] = [
  'handed-out',
  'denied',
  'timed-out',
  'access-off',
  'failed',
];

/** Enough lines that the log scrolls. */
const LOG: readonly HandOutEntry[] = Array.from({ length: 30 }, (_, i) => ({
  at: NOW - i * 61_000,
  accountId: 'acct_gh',
  accountName: 'github:octocat',
  subcommand: 'git-credential',
  commandLine: `tokendesk git-credential get # ${i}`,
  outcome: OUTCOMES[i % OUTCOMES.length]!,
  ...(i % OUTCOMES.length === 4 ? { detail: 'The provider could not be reached.' } : {}),
}));

/** A stand-in for main: the command line's state in memory, its changes pushed as main's are. */
const startFakeMain = () => {
  // Set once fakeMain exists; the state's changes push events through it.
  let emit: FakeMain['emit'] = () => undefined;
  let settings: SettingsView = {
    persistWeakSecrets: false,
    clipboardClearSeconds: null,
    commandLineAccess: true,
  };
  let commandLine: CommandLineView = {
    enabled: true,
    approvals: [
      { accountId: 'acct_gh', accountName: 'github:octocat', until: NOW + 3_600_000 },
      { accountId: 'acct_gl', accountName: 'gitlab:ana', until: null },
    ],
    pending: [],
    log: LOG,
  };
  const change = (next: CommandLineView) => {
    commandLine = next;
    emit('commandLineChanged', commandLine);
    return answer(commandLine);
  };
  const answered: ChannelInput<'answerApproval'>[] = [];
  const main = fakeMain(() => ({
    listProviders: () =>
      answer({
        presets: PRESETS,
        configured: [githubProvider()],
      }),
    getSettings: () => answer(settings),
    saveSettings: (input) => {
      settings = { ...settings, ...input };
      if (input?.commandLineAccess !== undefined)
        void change({ ...commandLine, enabled: input.commandLineAccess });
      return answer(settings);
    },
    getCommandLine: () => answer(commandLine),
    answerApproval: (input) => {
      if (input) answered.push(input);
      return change({
        ...commandLine,
        pending: commandLine.pending.filter((request) => request.id !== input?.requestId),
      });
    },
    revokeApproval: (input) =>
      change({
        ...commandLine,
        approvals: commandLine.approvals.filter((other) => other.accountId !== input?.accountId),
      }),
    clearCommandLog: () => change({ ...commandLine, log: [] }),
  }));
  emit = (name, payload) => main.emit(name, payload);
  return {
    api: main.api,
    events: main.events,
    /** What the page answered to approval requests. */
    answered,
    ask: () =>
      change({
        ...commandLine,
        pending: [
          {
            id: 'req_1',
            accountId: 'acct_gl',
            accountName: 'gitlab:ana',
            subcommand: 'run',
            commandLine: 'tokendesk run gitlab -- glab mr list',
            parent: 'bash ./release.sh',
            askedAt: Date.now(),
            expiresAt: Date.now() + 60_000,
          },
        ],
      }),
  };
};

test('Settings shows the command line part, and the prompt asks and answers', async ({ page }) => {
  const main = startFakeMain();
  const host = await hostRenderer(page, main.api, main.events);
  try {
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(
      settings.getByRole('switch', { name: 'Let the tokendesk command ask for tokens' }),
    ).toBeChecked();
    await expect(settings.getByRole('button', { name: 'Revoke gitlab:ana' })).toBeVisible();
    const log = settings.getByRole('region', { name: 'Hand-out log' });
    await expect(log.getByRole('row')).toHaveCount(LOG.length + 1);
    // Compact: the log scrolls within its own box.
    // This runs in the page; the Node tsconfig has no DOM types.
    const overflows = await log.evaluate(
      (element: { scrollHeight: number; clientHeight: number }) =>
        element.scrollHeight > element.clientHeight,
    );
    expect(overflows).toBe(true);
    await checkAccessibility(page, 'settings-command-line');

    // A command asks while Settings is open: the prompt comes over it, and Escape denies.
    await main.ask();
    const prompt = page.getByRole('dialog', { name: 'A command asks for a token for gitlab:ana' });
    await expect(prompt).toBeVisible();
    await expect(prompt.getByText('tokendesk run gitlab -- glab mr list')).toBeVisible();
    await expect(prompt.getByText(/Answer within \d+ s\./)).toBeVisible();
    await expect(prompt.getByRole('button', { name: 'Deny' })).toBeFocused();
    await checkAccessibility(page, 'approval-prompt');
    await page.keyboard.press('Escape');
    await expect(prompt).toBeHidden();
    expect(main.answered).toEqual([{ requestId: 'req_1', decision: 'deny' }]);
    await expect(settings).toBeVisible();

    // Revoke, from the keyboard: the row goes and the focus stays in the dialog.
    await settings.getByRole('button', { name: 'Revoke gitlab:ana' }).focus();
    await page.keyboard.press('Enter');
    await expect(settings.getByRole('button', { name: 'Revoke gitlab:ana' })).toHaveCount(0);
    await expect(settings.getByRole('heading', { name: 'Approvals' })).toBeFocused();
  } finally {
    host.dispose();
  }
});
