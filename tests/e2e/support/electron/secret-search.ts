/**
 * Searching a profile's files and an app's output for secrets, in the forms they could take
 * there: as typed, as UTF-16 (Chromium's Local Storage and Session Storage keep strings so), and
 * base64, base64url or hex encoded — also as part of a longer encoded value (a JSON blob encoded
 * whole), where a secret's base64 depends on its offset: each of the three alignments is
 * searched, without the edge characters its neighbours would change.
 *
 * Not covered: compressed bytes (LevelDB's .ldb tables may be Snappy-compressed; their
 * write-ahead .log, where a fresh write lands first, is not).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssuedSecret } from './issued-secrets';

export interface SecretForm {
  readonly encoding: string;
  readonly bytes: Buffer;
}

/** The characters of `encoded` that depend only on `secret`, with `shift` bytes before it. */
const alignedBase64 = (secret: Buffer, shift: number, url: boolean): string => {
  const encoded = Buffer.concat([Buffer.alloc(shift), secret]).toString(
    url ? 'base64url' : 'base64',
  );
  // Character i holds bits [6i, 6i + 6); those of the secret are [8 shift, 8 (shift + length)).
  const first = Math.ceil((8 * shift) / 6);
  const end = Math.floor((8 * (shift + secret.length)) / 6);
  return encoded.slice(first, end);
};

export const secretForms = (secret: string): SecretForm[] => {
  const raw = Buffer.from(secret, 'utf8');
  const forms: SecretForm[] = [
    { encoding: 'raw', bytes: raw },
    { encoding: 'utf-16le', bytes: Buffer.from(secret, 'utf16le') },
    { encoding: 'hex', bytes: Buffer.from(raw.toString('hex'), 'latin1') },
  ];
  for (const shift of [0, 1, 2]) {
    for (const url of [false, true]) {
      forms.push({
        encoding: `${url ? 'base64url' : 'base64'} at offset ${shift}`,
        bytes: Buffer.from(alignedBase64(raw, shift, url), 'latin1'),
      });
    }
  }
  return forms;
};

export interface Finding {
  readonly where: string;
  readonly kind: string;
  readonly encoding: string;
}

const search = (where: string, haystack: Buffer, secrets: readonly IssuedSecret[]): Finding[] =>
  secrets.flatMap(({ kind, value }) =>
    secretForms(value)
      .filter((form) => haystack.includes(form.bytes))
      .map((form) => ({ where, kind, encoding: form.encoding })),
  );

/** Every regular file under `root`, recursively. */
export const filesUnder = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

/** Where, under `root`, any of `secrets` appears in any form (read with the app closed). */
export const findSecretsInFiles = (
  root: string,
  secrets: readonly IssuedSecret[],
): { readonly findings: Finding[]; readonly filesSearched: number } => {
  const files = filesUnder(root);
  return {
    findings: files.flatMap((file) =>
      search(file.slice(root.length + 1), readFileSync(file), secrets),
    ),
    filesSearched: files.length,
  };
};

export const findSecretsInText = (
  where: string,
  text: string,
  secrets: readonly IssuedSecret[],
): Finding[] => search(where, Buffer.from(text, 'utf8'), secrets);
