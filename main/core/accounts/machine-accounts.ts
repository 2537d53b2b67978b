/**
 * Machine accounts: tokens a provider configuration's own client gets with the client
 * credentials grant, for services rather than people. Adding one asks for its first token at
 * once: nothing is saved unless the provider issued one, so a wrong secret or key, or a scope
 * the client may not have, is said at once and leaves nothing behind. Afterwards the Refresher
 * re-requests it (there is no refresh token), under the same single flight and account lock.
 */
import { createHash } from 'node:crypto';
import type { ParsedInput } from '../../../shared/ipc-contract';
import { CoreFailure } from '../core-failure';
import type { TimeBudget } from '../http/time-budget';
import type { Logger } from '../ports';
import { requestMachineToken } from '../oauth/machine-token';
import type { ProviderDirectory } from '../providers/provider-directory';
import type { Repository } from '../storage/repository';
import type { MachineGrant, StoredAccount } from '../storage/store-schema';
import type { AccountLocks } from './account-locks';
import { runtimeWithinBudget } from './refresher';

export interface MachineAccountsDeps {
  readonly repo: Repository;
  readonly providers: ProviderDirectory;
  readonly now: () => number;
  readonly logger: Logger;
  readonly changed: () => void;
  readonly locks: AccountLocks;
  readonly startBudget: () => TimeBudget;
}

/**
 * One account per provider, client and what it asks for: adding the same grant again updates
 * it (its name too), another scope, audience or resource is another account. Order and repeats
 * of scopes and resources do not make another one.
 */
export const machineAccountIdFor = (
  providerId: string,
  clientId: string,
  grant: Omit<MachineGrant, 'name'>,
): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        'machine',
        providerId,
        clientId,
        [...new Set(grant.scopes)].sort(),
        grant.audience ?? null,
        [...new Set(grant.resources)].sort(),
      ]),
    )
    .digest('base64url')
    .slice(0, 22);

/** How the list names it: the user's name for it, and whose token it is. */
export const machineDisplayName = (name: string, clientId: string): string =>
  `${name} (client ${clientId})`;

export class MachineAccounts {
  constructor(private readonly deps: MachineAccountsDeps) {}

  async add(
    input: ParsedInput<'addMachineAccount'>,
  ): Promise<{ readonly account: StoredAccount; readonly created: boolean }> {
    const { repo, providers } = this.deps;
    const config = providers.config(input.providerId);
    if (config.backend !== undefined) {
      // The client credentials grant needs the client's secret or key, which the backend keeps.
      throw new CoreFailure(
        'machineTokenRefused',
        `${config.label}’s token exchange goes through a backend, which keeps the client’s credentials: Tokendesk cannot ask for a machine account’s token with them. Ask the backend’s owners for one.`,
      );
    }
    const grant: MachineGrant = {
      name: input.name.trim(),
      // The provider's own scopes are a person's (openid, offline_access): a machine asks for
      // what it names, or for the client's default when it names none.
      scopes: [...new Set(input.scopes ?? [])],
      ...(input.audience !== undefined ? { audience: input.audience } : {}),
      resources: [...new Set(input.resources ?? [])],
    };
    const id = machineAccountIdFor(config.id, config.clientId, grant);
    const budget = this.deps.startBudget();
    try {
      // Under the account's lock: a re-request of the same account under way finishes first.
      return await this.deps.locks.run(id, async () => {
        const runtime = await runtimeWithinBudget(providers, config.id, budget);
        // Throws before anything is saved: a refusal leaves no account behind.
        const tokens = await requestMachineToken(runtime, grant, this.deps.now);
        const existing = repo.account(id);
        const now = this.deps.now();
        const account: StoredAccount = {
          id,
          providerId: config.id,
          presetId: config.presetId,
          subject: config.clientId,
          displayName: machineDisplayName(grant.name, config.clientId),
          scopes: [...(tokens.scopes ?? grant.scopes)],
          tokenType: tokens.tokenType,
          expiresAt: tokens.expiresAt,
          obtainedAt: tokens.obtainedAt,
          hasRefreshToken: false,
          status: 'ok',
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
          machine: grant,
        };
        await repo.saveAccount(account, { accessToken: tokens.accessToken });
        this.deps.logger.info('machine account added', { accountId: id, providerId: config.id });
        this.deps.changed();
        return { account, created: existing === undefined };
      });
    } finally {
      budget.end();
    }
  }
}
