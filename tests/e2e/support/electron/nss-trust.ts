/**
 * The system certificate store Chromium reads on Linux: the user's NSS database
 * (~/.pki/nssdb). A spec gives the app a home of its own whose database trusts the test's
 * private CA, as a company's IT would install its CA — and nothing else on the machine does.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

/** Why a spec cannot build an NSS database here, or undefined when it can. */
export const nssToolsMissing = (): string | undefined =>
  spawnSync('certutil', ['-H'], { encoding: 'utf8' }).error === undefined
    ? undefined
    : 'certutil is not installed (apt install libnss3-tools)';

const certutil = (args: string[]): void => {
  const run = spawnSync('certutil', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`certutil ${args.join(' ')} failed: ${run.stderr}`);
};

/**
 * A new home folder under `parent`; with `trustCaFile`, its NSS database trusts that CA for
 * servers. Pass it to the app as HOME.
 */
export const homeWithNssDb = (parent: string, trustCaFile?: string): string => {
  const home = mkdtempSync(join(parent, 'home-'));
  const db = join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  certutil(['-d', `sql:${db}`, '-N', '--empty-password']);
  if (trustCaFile)
    certutil(['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', 'test-company-ca', '-i', trustCaFile]);
  return home;
};
