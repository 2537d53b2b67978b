import type { AppStatus, StorageReadOnly, StorageRecovery } from '../../../shared/model';

const READ_ONLY_ACTION: Record<StorageReadOnly['cause'], string> = {
  'newer-version': 'Start that newer Tokendesk to use them.',
  'file-error': 'Fix the file (its permissions, the disk) and start Tokendesk again.',
};

/** The data file was left as it is: nothing shown, nothing saved, and why. */
const ReadOnlyNotice = ({ readOnly }: { readonly readOnly: StorageReadOnly }) => (
  <>
    <h2 className="banner-title">Tokendesk left its data file as it is</h2>
    <p>
      The data file <code className="selectable">{readOnly.file}</code> cannot be used:{' '}
      {readOnly.reason}. Tokendesk changed nothing in it and saves nothing this session, so your
      providers and accounts are not shown. {READ_ONLY_ACTION[readOnly.cause]}
    </p>
  </>
);

/** A corrupt data file was moved aside; an earlier copy came back, or the app started empty. */
const RecoveryNotice = ({ recovered }: { readonly recovered: StorageRecovery }) => {
  const kept = (
    <>
      Its data file could not be used ({recovered.reason}). It was kept as{' '}
      <code className="selectable">{recovered.movedTo}</code>; nothing was deleted.
    </>
  );
  const { restoredFrom } = recovered;
  if (restoredFrom === undefined)
    return (
      <>
        <h2 className="banner-title">Tokendesk started with empty data</h2>
        <p>{kept} No earlier copy could be used: providers and accounts need adding again.</p>
      </>
    );
  return (
    <>
      <h2 className="banner-title">Tokendesk restored an earlier copy of its data</h2>
      <p>
        {kept} It restored the copy saved {new Date(restoredFrom.savedAt).toLocaleString()} (
        <code className="selectable">{restoredFrom.path}</code>): changes made after that are
        missing, and an account refreshed since may need reconnecting.
      </p>
    </>
  );
};

/** What happened to the data file: left alone, restored or moved aside, or changes not yet on disk. */
export const StorageNotice = ({ storage }: { readonly storage: AppStatus['storage'] }) => {
  const { recoveredFrom, readOnly, unsavedSince } = storage;
  if (!recoveredFrom && !readOnly && unsavedSince === undefined) return null;
  return (
    <section className="banner banner-warning" aria-label="Storage warning">
      {readOnly && <ReadOnlyNotice readOnly={readOnly} />}
      {recoveredFrom && <RecoveryNotice recovered={recoveredFrom} />}
      {unsavedSince !== undefined && (
        <>
          <h2 className="banner-title">Changes are not saved to disk</h2>
          <p>
            Since {new Date(unsavedSince).toLocaleString()}, the disk has refused Tokendesk’s
            changes (a refreshed token among them). They are held in memory: Tokendesk saves them
            with the next change and tries again when it quits. Free some disk space: changes still
            unsaved then are lost if Tokendesk quits.
          </p>
        </>
      )}
    </section>
  );
};
