// @vitest-environment happy-dom
/**
 * What the window tells the user about the data file: left as it is (a newer Tokendesk's, or
 * unreadable) with nothing offered that could not be saved; a corrupt file moved aside and an
 * earlier copy restored, or nothing to restore; changes held in memory.
 */
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../../shared/model';
import { fakeBridge, SECURE_STATUS } from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

afterEach(cleanup);

const FILE = '/home/u/.config/Tokendesk/tokendesk.json';

const withStorage = (storage: AppStatus['storage']) =>
  fakeBridge({ providers: [], accounts: [], status: { ...SECURE_STATUS, storage } });

const notice = () => screen.getByRole('region', { name: 'Storage warning' });

describe('a data file left as it is', () => {
  it('says which version wrote it, that nothing is saved, and what to do; offers no first run', async () => {
    await renderApp(
      withStorage({
        readOnly: {
          cause: 'newer-version',
          file: FILE,
          reason:
            'it was written by Tokendesk 9.1.0 (data format 4); Tokendesk 1.4.0 reads data formats up to 3',
        },
      }),
    );
    expect(
      screen.getByRole('heading', { name: 'Tokendesk left its data file as it is' }),
    ).toBeTruthy();
    const text = notice().textContent ?? '';
    expect(text).toContain(FILE);
    expect(text).toContain('written by Tokendesk 9.1.0');
    expect(text).toContain('saves nothing this session');
    expect(text).toContain('Start that newer Tokendesk to use them.');
    // Nothing that would only end in "could not be saved".
    expect(screen.queryByRole('heading', { name: 'Welcome to Tokendesk' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Add (a )?provider/ })).toBeNull();
  });

  it('says what to fix when the file could not be read', async () => {
    await renderApp(
      withStorage({
        readOnly: {
          cause: 'file-error',
          file: FILE,
          reason: `it could not be read (EACCES: permission denied, open '${FILE}')`,
        },
      }),
    );
    const text = notice().textContent ?? '';
    expect(text).toContain('EACCES: permission denied');
    expect(text).toContain('Fix the file (its permissions, the disk) and start Tokendesk again.');
  });
});

describe('a corrupt data file', () => {
  it('says where it was kept and which copy came back, from when', async () => {
    const savedAt = Date.UTC(2026, 0, 2, 9, 30);
    await renderApp(
      withStorage({
        recoveredFrom: {
          movedTo: `${FILE}.corrupt-2026-01-03T10-00-00.000Z`,
          reason: 'it is not a JSON object but null',
          restoredFrom: { path: `${FILE}.last-good`, savedAt },
        },
      }),
    );
    expect(
      screen.getByRole('heading', { name: 'Tokendesk restored an earlier copy of its data' }),
    ).toBeTruthy();
    const text = notice().textContent ?? '';
    expect(text).toContain('not a JSON object but null');
    expect(text).toContain(`${FILE}.corrupt-2026-01-03T10-00-00.000Z`);
    expect(text).toContain(`${FILE}.last-good`);
    expect(text).toContain(new Date(savedAt).toLocaleString());
    expect(text).toContain('changes made after that are missing');
  });

  it('says the app started empty when no copy could be used', async () => {
    await renderApp(
      withStorage({ recoveredFrom: { movedTo: `${FILE}.corrupt-1`, reason: 'not valid JSON' } }),
    );
    expect(screen.getByRole('heading', { name: 'Tokendesk started with empty data' })).toBeTruthy();
    expect(notice().textContent).toContain('No earlier copy could be used');
    // Starting over is possible: the first run is offered.
    expect(screen.getByRole('heading', { name: 'Welcome to Tokendesk' })).toBeTruthy();
  });
});

describe('changes the disk refused', () => {
  it('says they are in memory, saved with the next change or at quit, lost if that fails', async () => {
    await renderApp(withStorage({ unsavedSince: Date.UTC(2026, 0, 1) }));
    const text = notice().textContent ?? '';
    expect(text).toContain('held in memory');
    expect(text).toContain('tries again when it quits');
    expect(text).toContain('lost if Tokendesk quits');
  });
});
