/**
 * The approval prompt: a `tokendesk` command asks for an account's tokens for the first time, and
 * the user allows it (for how long) or denies it. One request at a time, the oldest first; the
 * prompt goes as soon as main no longer lists the request (answered here, or timed out), which
 * also takes it away when the command gave up before the user answered.
 */
import { useId, useState } from 'react';
import { isError, type ApiError } from '../../../shared/errors';
import type { ApprovalRequestView, CommandLineView } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { ModalDialog } from '../common/modal-dialog';
import { useToast } from '../common/toasts';
import { useMounted } from '../common/use-mounted';
import { useClockText } from '../time/clock';
import {
  ALLOW_CHOICES,
  answerWithinText,
  DEFAULT_ALLOW_CHOICE,
  moreWaitingText,
} from './command-line-text';
import './command-line.css';

type Decision = 'allow' | 'deny';

interface ApprovalDialogProps {
  readonly request: ApprovalRequestView;
  /** Requests waiting behind this one. */
  readonly waiting: number;
  /** Main took the answer, or the request was no longer waiting: this prompt is done. */
  readonly onSettled: (requestId: string, view?: CommandLineView) => void;
}

const Countdown = ({ expiresAt }: { readonly expiresAt: number }) => {
  const ref = useClockText<HTMLParagraphElement>(
    (now) => answerWithinText(expiresAt, now),
    [expiresAt],
  );
  return <p ref={ref} className="approval-countdown" data-testid="approval-countdown" />;
};

const ApprovalDialog = ({ request, waiting, onSettled }: ApprovalDialogProps) => {
  const api = useApi();
  const toast = useToast();
  const mounted = useMounted();
  const choiceName = useId();
  const [choice, setChoice] = useState(DEFAULT_ALLOW_CHOICE);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const answer = async (decision: Decision) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const seconds = ALLOW_CHOICES.find((option) => option.key === choice)?.seconds ?? null;
    const result = await settle(
      api.answerApproval({
        requestId: request.id,
        decision,
        ...(decision === 'allow' ? { allowForSeconds: seconds } : {}),
      }),
    );
    if (result.ok) {
      onSettled(request.id, result.value);
      return;
    }
    // Answered or timed out meanwhile: main's event takes the prompt away anyway; nothing to say.
    if (isError(result.error, 'approvalNotPending')) {
      onSettled(request.id);
      return;
    }
    if (!mounted.current) {
      // The request left the list while the answer travelled: the command has its outcome.
      toast(`Your answer for ${request.accountName} was not taken: ${result.error.message}`);
      return;
    }
    setBusy(false);
    setError(result.error);
  };

  return (
    // Escape denies. Leaving the request for later would keep the command waiting on a prompt the
    // user has put away, with no place to bring it back from; a denied command can be run again,
    // and a token handed out by a keypress cannot be taken back.
    <ModalDialog
      title={`A command asks for a token for ${request.accountName}`}
      onClose={() => void answer('deny')}
    >
      <dl className="approval-facts">
        <dt>Subcommand</dt>
        <dd>
          <code>{request.subcommand}</code>
        </dd>
        <dt>Command line</dt>
        <dd>
          <code className="approval-command">{request.commandLine}</code>
        </dd>
        {request.parent !== undefined && (
          <>
            <dt>Run by</dt>
            <dd>
              <code className="approval-command">{request.parent}</code>
            </dd>
          </>
        )}
      </dl>
      <p>
        Allowed, the <code>tokendesk</code> command gets this account’s access tokens without asking
        again until the time chosen here, or until Tokendesk quits. Denied, this command gets
        nothing.
      </p>
      <Countdown expiresAt={request.expiresAt} />
      <fieldset className="field approval-choices">
        <legend>Allow for</legend>
        {ALLOW_CHOICES.map((option) => (
          <label key={option.key}>
            <input
              type="radio"
              name={choiceName}
              value={option.key}
              checked={choice === option.key}
              onChange={() => setChoice(option.key)}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      {waiting > 0 && <p className="muted">{moreWaitingText(waiting)}</p>}
      {error && <ErrorAlert title="Your answer was not taken" error={error} />}
      <div className="modal-actions">
        {/* Deny first and focused, as Cancel is elsewhere: Enter on arrival never allows. */}
        <button
          type="button"
          onClick={() => void answer('deny')}
          aria-disabled={busy}
          data-autofocus=""
        >
          Deny
        </button>
        <button
          type="button"
          className="button-primary"
          onClick={() => void answer('allow')}
          aria-disabled={busy}
        >
          Allow
        </button>
      </div>
    </ModalDialog>
  );
};

interface ApprovalPromptProps {
  /** CommandLineView.pending, as main last said it. */
  readonly pending: readonly ApprovalRequestView[];
  readonly onView: (view: CommandLineView) => void;
}

export const ApprovalPrompt = ({ pending, onView }: ApprovalPromptProps) => {
  // Answered here: hidden at once, even if a view that still lists them comes in meanwhile.
  const [settled, setSettled] = useState<ReadonlySet<string>>(new Set());
  const open = pending
    .filter((request) => !settled.has(request.id))
    .sort((a, b) => a.askedAt - b.askedAt);
  const oldest = open[0];
  if (oldest === undefined) return null;
  return (
    // A dialog per request: the next one is a new prompt, which takes the focus as it opens.
    <ApprovalDialog
      key={oldest.id}
      request={oldest}
      waiting={open.length - 1}
      onSettled={(requestId, view) => {
        // Those main no longer lists are forgotten: the set stays as small as the queue.
        setSettled((previous) => {
          const still = [...previous].filter((id) => pending.some((request) => request.id === id));
          return new Set(still).add(requestId);
        });
        if (view) onView(view);
      }}
    />
  );
};
