import type { AppStatus } from '../../../shared/model';

/** What happened to the data file: moved aside unreadable, or changes not yet on disk. */
export const StorageNotice = ({ storage }: { readonly storage: AppStatus['storage'] }) => {
  const { recoveredFrom, unsavedSince } = storage;
  if (!recoveredFrom && unsavedSince === undefined) return null;
  return (
    <section className="banner banner-warning" aria-label="Storage warning">
      {recoveredFrom && (
        <>
          <h2 className="banner-title">Tokendesk started with empty data</h2>
          <p>
            Its data file could not be read ({recoveredFrom.reason}). It was kept as{' '}
            <code className="selectable">{recoveredFrom.movedTo}</code>; nothing was deleted.
            Providers and accounts need adding again.
          </p>
        </>
      )}
      {unsavedSince !== undefined && (
        <>
          <h2 className="banner-title">Changes are not saved to disk</h2>
          <p>
            Since {new Date(unsavedSince).toLocaleString()}, the disk has refused Tokendesk’s
            changes (a refreshed token among them). They are held in memory and lost if Tokendesk
            quits. Free some disk space; the next change is saved again.
          </p>
        </>
      )}
    </section>
  );
};
