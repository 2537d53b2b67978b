/**
 * One change at a time per account. A refresh and a reconnect of the same account both read the
 * stored tokens, talk to the provider and write tokens back; interleaved, the later write would
 * put back a refresh token the other had already spent (with rotation: reuse, and the grant is
 * revoked) or a reconnect's fresh account would be marked with the old grant's refusal. Work on
 * different accounts is not held up.
 */
export class AccountLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier `run` for this account has settled. */
  run<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(accountId);
    const result = previous ? previous.then(work) : work();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(accountId, tail);
    void tail.then(() => {
      if (this.tails.get(accountId) === tail) this.tails.delete(accountId);
    });
    return result;
  }
}
