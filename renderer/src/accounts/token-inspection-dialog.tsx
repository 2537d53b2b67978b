/**
 * What is inside an account's tokens: the access token and the ID token, one tab each. Main
 * decodes them and answers the header and claims, never the token; an opaque access token says
 * so, and where the provider offers introspection (RFC 7662) the user can ask it. Nothing here is
 * verified: it is for reading, not for trusting.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { AccountView, IntrospectionView, TokenInspection } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { ModalDialog } from '../common/modal-dialog';
import { useMounted } from '../common/use-mounted';
import { useClockText, useClockValue } from '../time/clock';
import {
  absentText,
  factsOfClaims,
  localTime,
  opaqueText,
  prettyJson,
  relativeTime,
  TOKEN_NAMES,
  type TokenFacts,
  type Which,
} from './token-inspection-text';
import './token-inspection.css';

const TABS: readonly Which[] = ['access', 'id'];

type Loaded =
  | { readonly kind: 'loading' }
  | { readonly kind: 'done'; readonly inspection: TokenInspection }
  | { readonly kind: 'failed'; readonly error: ApiError };

type Asked =
  | { readonly kind: 'idle' }
  | { readonly kind: 'asking' }
  | { readonly kind: 'done'; readonly answer: IntrospectionView }
  | { readonly kind: 'failed'; readonly error: ApiError };

/** A time in local form, then how far from now on the window's one clock ("in 42 min"). */
const TimeText = ({ at }: { readonly at: number }) => {
  const ref = useClockText<HTMLSpanElement>((now) => relativeTime(at, now), [at]);
  return (
    <>
      {localTime(at)} (<span ref={ref} />)
    </>
  );
};

/** "Expires", or "Expired" once the time has passed (a re-render only when that flips). */
const ExpiryTerm = ({ at }: { readonly at: number }) => (
  <>{useClockValue((now) => at <= now) ? 'Expired' : 'Expires'}</>
);

/** The facts a reader looks for first; a fact the token does not carry is left out. */
const Facts = ({ facts }: { readonly facts: TokenFacts }) => {
  const rows: Array<[string, ReactNode, ReactNode]> = [];
  const code = (text: string) => <code>{text}</code>;
  if (facts.issuer !== undefined) rows.push(['iss', 'Issuer', code(facts.issuer)]);
  if (facts.subject !== undefined) rows.push(['sub', 'Subject', code(facts.subject)]);
  if (facts.audience !== undefined) rows.push(['aud', 'Audience', code(facts.audience.join(', '))]);
  if (facts.scopes !== undefined) rows.push(['scope', 'Scopes', code(facts.scopes.join(' '))]);
  if (facts.issuedAt !== undefined)
    rows.push(['iat', 'Issued at', <TimeText at={facts.issuedAt} />]);
  if (facts.notBefore !== undefined)
    rows.push(['nbf', 'Not before', <TimeText at={facts.notBefore} />]);
  if (facts.expiresAt !== undefined)
    rows.push(['exp', <ExpiryTerm at={facts.expiresAt} />, <TimeText at={facts.expiresAt} />]);
  if (rows.length === 0) return null;
  return (
    <dl className="token-facts">
      {rows.map(([key, term, value]) => (
        <div className="token-fact" key={key}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
};

/** A JSON object under its heading, in a box the keyboard can scroll. */
const JsonBlock = ({ title, value }: { readonly title: string; readonly value: unknown }) => {
  const id = useId();
  return (
    <section className="token-json-section" aria-labelledby={id}>
      <h3 id={id} className="token-json-title">
        {title}
      </h3>
      <pre className="token-json" tabIndex={0} aria-labelledby={id}>
        <code>{prettyJson(value)}</code>
      </pre>
    </section>
  );
};

/** Asks the provider about the access token, and shows its answer. */
const Introspection = ({ accountId }: { readonly accountId: string }) => {
  const api = useApi();
  const mounted = useMounted();
  const [asked, setAsked] = useState<Asked>({ kind: 'idle' });

  const ask = async () => {
    if (asked.kind === 'asking') return;
    setAsked({ kind: 'asking' });
    const result = await settle(api.introspectToken({ accountId }));
    if (!mounted.current) return;
    setAsked(
      result.ok ? { kind: 'done', answer: result.value } : { kind: 'failed', error: result.error },
    );
  };

  return (
    <div className="token-introspection">
      <button type="button" aria-disabled={asked.kind === 'asking'} onClick={() => void ask()}>
        Ask the provider (introspection)
      </button>
      <div role="status" className="token-introspection-status">
        {asked.kind === 'asking' && 'Asking the provider…'}
        {asked.kind === 'done' &&
          (asked.answer.active
            ? 'The provider says this token is active.'
            : 'The provider says this token is not active: expired, revoked, or unknown to it.')}
      </div>
      {asked.kind === 'failed' && (
        <ErrorAlert title="The provider could not be asked" error={asked.error} />
      )}
      {asked.kind === 'done' && Object.keys(asked.answer.claims).length > 0 && (
        <>
          <Facts facts={factsOfClaims(asked.answer.claims)} />
          <JsonBlock title="The provider’s answer" value={asked.answer.claims} />
        </>
      )}
    </div>
  );
};

const InspectionView = ({ inspection }: { readonly inspection: TokenInspection }) => {
  const { which } = inspection;
  const canAsk = which === 'access' && inspection.canIntrospect;
  if (inspection.kind === 'absent') return <p>{absentText(which)}</p>;
  if (inspection.kind === 'opaque') {
    return (
      <>
        <p>{opaqueText(which)}</p>
        {inspection.problem !== undefined && (
          <p className="token-problem">Tokendesk could not decode it: {inspection.problem}.</p>
        )}
        {inspection.header !== undefined && <JsonBlock title="Header" value={inspection.header} />}
        {canAsk && <Introspection accountId={inspection.accountId} />}
      </>
    );
  }
  return (
    <>
      <Facts facts={inspection} />
      <JsonBlock title="Header" value={inspection.header ?? {}} />
      <JsonBlock title="Claims" value={inspection.claims ?? {}} />
      {canAsk && <Introspection accountId={inspection.accountId} />}
    </>
  );
};

interface TokenInspectionDialogProps {
  readonly account: AccountView;
  readonly onClose: () => void;
}

export const TokenInspectionDialog = ({ account, onClose }: TokenInspectionDialogProps) => {
  const api = useApi();
  const mounted = useMounted();
  const id = useId();
  const [which, setWhich] = useState<Which>('access');
  const [loaded, setLoaded] = useState<Partial<Record<Which, Loaded>>>({});
  const tabRefs = useRef<Partial<Record<Which, HTMLButtonElement | null>>>({});
  // Each token is asked for once, when its tab is first shown (also under StrictMode's rerun).
  const asked = useRef(new Set<Which>());
  const current = loaded[which];

  useEffect(() => {
    if (asked.current.has(which)) return;
    asked.current.add(which);
    setLoaded((before) => ({ ...before, [which]: { kind: 'loading' } }));
    void settle(api.inspectToken({ accountId: account.id, which })).then((result) => {
      if (!mounted.current) return;
      setLoaded((before) => ({
        ...before,
        [which]: result.ok
          ? { kind: 'done', inspection: result.value }
          : { kind: 'failed', error: result.error },
      }));
    });
  }, [api, account.id, which, mounted]);

  // The tabs' keys (WAI-ARIA tabs pattern): arrows move between them, Home and End to the ends.
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = TABS.indexOf(which);
    const next =
      event.key === 'ArrowRight'
        ? TABS[(index + 1) % TABS.length]
        : event.key === 'ArrowLeft'
          ? TABS[(index - 1 + TABS.length) % TABS.length]
          : event.key === 'Home'
            ? TABS[0]
            : event.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setWhich(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <ModalDialog title={`Tokens of ${account.displayName}`} onClose={onClose} wide>
      <p className="muted token-note">
        Decoded by Tokendesk for reading, not verified. The token itself and its signature are not
        shown.
      </p>
      <div role="tablist" aria-label="Token" className="token-tabs">
        {TABS.map((tab) => (
          <button
            key={tab}
            ref={(element) => {
              tabRefs.current[tab] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${tab}`}
            aria-selected={tab === which}
            aria-controls={`${id}-panel`}
            tabIndex={tab === which ? 0 : -1}
            className="token-tab"
            onClick={() => setWhich(tab)}
            onKeyDown={onTabKey}
          >
            {TOKEN_NAMES[tab]}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel`}
        aria-labelledby={`${id}-tab-${which}`}
        className="token-panel"
        aria-busy={current === undefined || current.kind === 'loading'}
      >
        {(current === undefined || current.kind === 'loading') && (
          <p role="status">Reading the {TOKEN_NAMES[which].toLowerCase()}…</p>
        )}
        {current?.kind === 'failed' && (
          <ErrorAlert
            title={`The ${TOKEN_NAMES[which].toLowerCase()} could not be read`}
            error={current.error}
          />
        )}
        {current?.kind === 'done' && (
          // A new view per token: the introspection asked on one tab is not shown on the other.
          <InspectionView key={which} inspection={current.inspection} />
        )}
      </div>
      <div className="modal-actions">
        <button type="button" className="button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
};
