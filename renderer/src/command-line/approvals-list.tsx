/**
 * The accounts the `tokendesk` command may use now without asking, each with when that ends and
 * a Revoke. The row goes when main says the approval is gone (the answer, or the event).
 */
import { useId, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { ApprovalView, CommandLineView } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { useMounted } from '../common/use-mounted';
import { useClockValue } from '../time/clock';
import { untilText } from './command-line-text';
import { useKeepFocus } from './keep-focus';

interface ApprovalsListProps {
  readonly approvals: readonly ApprovalView[];
  readonly onView: (view: CommandLineView) => void;
}

const ApprovalRow = ({
  approval,
  busy,
  onRevoke,
  keepFocus,
}: {
  readonly approval: ApprovalView;
  readonly busy: boolean;
  readonly onRevoke: () => void;
  readonly keepFocus: (element: HTMLElement | null) => (() => void) | undefined;
}) => {
  const nameId = useId();
  // Read against the clock only for the day: an end tomorrow says its date.
  const until = useClockValue((now) => untilText(approval.until, now));
  return (
    <li ref={keepFocus} className="approval-row" aria-labelledby={nameId}>
      <span id={nameId} className="approval-name">
        {approval.accountName}
      </span>
      <span className="approval-until">{until}</span>
      <button
        type="button"
        className="button-quiet-danger"
        aria-label={`Revoke ${approval.accountName}`}
        aria-disabled={busy}
        onClick={onRevoke}
      >
        Revoke
      </button>
    </li>
  );
};

export const ApprovalsList = ({ approvals, onView }: ApprovalsListProps) => {
  const api = useApi();
  const mounted = useMounted();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const keepFocus = useKeepFocus(headingRef);
  const [revoking, setRevoking] = useState<ReadonlySet<string>>(new Set());
  const [failure, setFailure] = useState<{ readonly name: string; readonly error: ApiError }>();

  const revoke = async (approval: ApprovalView) => {
    if (revoking.has(approval.accountId)) return;
    setRevoking((previous) => new Set(previous).add(approval.accountId));
    setFailure(undefined);
    const result = await settle(api.revokeApproval({ accountId: approval.accountId }));
    if (result.ok) onView(result.value);
    if (!mounted.current) return;
    setRevoking((previous) => {
      const next = new Set(previous);
      next.delete(approval.accountId);
      return next;
    });
    if (!result.ok) setFailure({ name: approval.accountName, error: result.error });
  };

  return (
    <section className="command-line-part" aria-labelledby={headingId}>
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        Approvals
      </h3>
      {failure && (
        <ErrorAlert
          title={`The approval for ${failure.name} was not revoked`}
          error={failure.error}
          onDismiss={() => {
            headingRef.current?.focus();
            setFailure(undefined);
          }}
          dismissLabel="Dismiss the revoke error"
        />
      )}
      {approvals.length === 0 ? (
        <p className="muted">
          No account is approved: the command asks here before it gets any account’s tokens.
        </p>
      ) : (
        <ul className="approval-list">
          {approvals.map((approval) => (
            <ApprovalRow
              key={approval.accountId}
              approval={approval}
              busy={revoking.has(approval.accountId)}
              onRevoke={() => void revoke(approval)}
              keepFocus={keepFocus}
            />
          ))}
        </ul>
      )}
    </section>
  );
};
