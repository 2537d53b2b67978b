import './empty-state.css';

/** First run: what Tokendesk does, and the one step that starts it. */
interface EmptyStateProps {
  readonly onAddProvider: () => void;
  /** Opens the import of a setup someone shared. */
  readonly onImport: () => void;
}

export const EmptyState = ({ onAddProvider, onImport }: EmptyStateProps) => (
  <section className="empty-state" aria-labelledby="welcome-heading">
    {/* The focus's fallback while the welcome is shown (the last provider deleted): see
        common/focus-back.ts. */}
    <h2 id="welcome-heading" tabIndex={-1} data-focus-fallback="">
      Welcome to Tokendesk
    </h2>
    <p className="lead">
      Fresh access tokens in one click, for Google, GitHub, Microsoft, GitLab, or any OAuth 2.0 or
      OpenID Connect server.
    </p>
    <ul className="feature-list">
      <li>
        <strong>One click, a working token.</strong> Connect an account once; Copy puts a valid
        access token on the clipboard — bare, as an Authorization header, a curl command or JSON.
      </li>
      <li>
        <strong>Kept fresh.</strong> Tokendesk refreshes tokens before they expire and shows how
        long each one has left.
      </li>
      <li>
        <strong>Secrets stay inside.</strong> Refresh tokens and client secrets never leave the
        app’s main process; not even this window sees them.
      </li>
    </ul>
    <p>
      Start with a provider: you need a client ID from its developer console, and Tokendesk shows
      what to register there.
    </p>
    <button type="button" className="button-primary button-large" onClick={onAddProvider}>
      Add a provider
    </button>
    <p>
      Has your team shared a provider setup?{' '}
      <button type="button" className="button-quiet" onClick={onImport}>
        Import providers…
      </button>
    </p>
  </section>
);
