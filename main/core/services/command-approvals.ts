/**
 * Which accounts the `tokendesk` command may have tokens for, and the prompts that ask the user.
 * The first request for an account waits for the user's answer in the app; every request for
 * that account meanwhile waits for the same answer (fifty processes started at once make one
 * prompt). An approval lasts the time the user chose, or until the app quits: approvals are
 * held in memory only, so a restart asks again.
 */
import { randomUUID } from 'node:crypto';
import type { ApprovalRequestView, ApprovalView } from '../../../shared/model';
import type { CallerInfo } from '../../../shared/command-line';
import { CoreFailure } from '../core-failure';
import type { Clock } from '../ports';

/** How long a prompt waits for the user before the request is refused. */
export const APPROVAL_TIMEOUT_MS = 60_000;

type Decision = 'allow' | 'deny' | 'timed-out';

interface Pending {
  readonly view: ApprovalRequestView;
  readonly decided: Promise<Decision>;
  readonly decide: (decision: Decision) => void;
}

export interface ApprovalAccount {
  readonly id: string;
  /** `provider:login`, as the prompt names it. */
  readonly name: string;
}

export interface CommandApprovalsDeps {
  readonly clock: Clock;
  /** Told whenever a prompt opens or closes or an approval starts or ends. */
  readonly changed: () => void;
  readonly timeoutMs?: number;
}

export class CommandApprovals {
  /** Account ID → the approval's end (epoch ms), or null for "until Tokendesk quits". */
  private readonly granted = new Map<string, { name: string; until: number | null }>();
  /** Account ID → the prompt open for it. */
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: CommandApprovalsDeps) {}

  private isGranted(accountId: string): boolean {
    const grant = this.granted.get(accountId);
    if (!grant) return false;
    if (grant.until === null || grant.until > this.deps.clock.now()) return true;
    this.granted.delete(accountId);
    return false;
  }

  /**
   * Resolves once the account is approved for the command: at once while an approval holds,
   * else after the user's answer. Denied: `commandDenied`; unanswered: `approvalTimedOut`.
   */
  async approve(account: ApprovalAccount, subcommand: string, caller: CallerInfo): Promise<void> {
    if (this.isGranted(account.id)) return;
    const prompt = this.pending.get(account.id) ?? this.ask(account, subcommand, caller);
    const decision = await prompt.decided;
    if (decision === 'allow') return;
    throw new CoreFailure(decision === 'deny' ? 'commandDenied' : 'approvalTimedOut');
  }

  private ask(account: ApprovalAccount, subcommand: string, caller: CallerInfo): Pending {
    const { clock } = this.deps;
    const timeoutMs = this.deps.timeoutMs ?? APPROVAL_TIMEOUT_MS;
    const askedAt = clock.now();
    let decide!: (decision: Decision) => void;
    const decided = new Promise<Decision>((resolve) => (decide = resolve));
    const timer = clock.setTimeout(() => settle('timed-out'), timeoutMs);
    const settle = (decision: Decision) => {
      if (this.pending.get(account.id) !== pending) return;
      clock.clearTimeout(timer);
      this.pending.delete(account.id);
      decide(decision);
      this.deps.changed();
    };
    const pending: Pending = {
      view: {
        id: randomUUID(),
        accountId: account.id,
        accountName: account.name,
        subcommand,
        commandLine: caller.commandLine,
        ...(caller.parent !== undefined ? { parent: caller.parent } : {}),
        askedAt,
        expiresAt: askedAt + timeoutMs,
      },
      decided,
      decide: settle,
    };
    this.pending.set(account.id, pending);
    this.deps.changed();
    return pending;
  }

  /**
   * The user's answer to a prompt. An allow holds `allowForSeconds` (null: until the app quits).
   * A prompt already answered or timed out is `approvalNotPending`.
   */
  answer(requestId: string, decision: 'allow' | 'deny', allowForSeconds: number | null): void {
    const prompt = [...this.pending.values()].find((p) => p.view.id === requestId);
    if (!prompt) throw new CoreFailure('approvalNotPending');
    if (decision === 'allow') {
      this.granted.set(prompt.view.accountId, {
        name: prompt.view.accountName,
        until: allowForSeconds === null ? null : this.deps.clock.now() + allowForSeconds * 1000,
      });
    }
    prompt.decide(decision);
  }

  /** Ends an account's approval: its next request asks again. */
  revoke(accountId: string): void {
    if (this.granted.delete(accountId)) this.deps.changed();
  }

  /** An account that is gone takes its approval and its prompt with it. */
  forget(accountId: string): void {
    this.revoke(accountId);
    this.pending.get(accountId)?.decide('deny');
  }

  approvals(): ApprovalView[] {
    return [...this.granted.keys()]
      .filter((id) => this.isGranted(id))
      .map((accountId) => {
        const { name, until } = this.granted.get(accountId)!;
        return { accountId, accountName: name, until };
      });
  }

  prompts(): ApprovalRequestView[] {
    return [...this.pending.values()].map((p) => p.view).sort((a, b) => a.askedAt - b.askedAt);
  }

  /** Quitting: every waiting request is refused now rather than left to its time limit. */
  dispose(): void {
    for (const prompt of [...this.pending.values()]) prompt.decide('deny');
    this.granted.clear();
  }
}
