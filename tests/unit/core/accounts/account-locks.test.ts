/** One change at a time per account, other accounts not held up, a failure not blocking. */
import { describe, expect, it } from 'vitest';
import { AccountLocks } from '../../../../main/core/accounts/account-locks';
import { settle } from '../../helpers/fake-clock';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('AccountLocks', () => {
  it('runs work on one account in order, each after the previous has settled', async () => {
    const locks = new AccountLocks();
    const firstStarted = deferred();
    const firstMayEnd = deferred();
    const log: string[] = [];
    const a = locks.run('acc', async () => {
      log.push('first starts');
      firstStarted.resolve();
      await firstMayEnd.promise;
      log.push('first ends');
    });
    const b = locks.run('acc', () => {
      log.push('second starts');
      return Promise.resolve('second');
    });
    // Events, not a wait: the first has started and is held, and every continuation anything
    // has queued has run (settle: turns of the event loop, not time). A second that did not wait
    // for the lock would have started by now; the log shows the order whenever each step came.
    await firstStarted.promise;
    await settle();
    expect(log).toEqual(['first starts']);
    firstMayEnd.resolve();
    await a;
    expect(await b).toBe('second');
    expect(log).toEqual(['first starts', 'first ends', 'second starts']);
  });

  it('does not hold up another account', async () => {
    const locks = new AccountLocks();
    const blocked = deferred();
    void locks.run('a', () => blocked.promise);
    expect(await locks.run('b', () => Promise.resolve('b done'))).toBe('b done');
    blocked.resolve();
  });

  it('lets the next work run after a failure, which its own caller still sees', async () => {
    const locks = new AccountLocks();
    const failing = deferred();
    const a = locks.run('acc', () => failing.promise);
    const b = locks.run('acc', () => Promise.resolve('ran'));
    failing.reject(new Error('provider down'));
    await expect(a).rejects.toThrow('provider down');
    expect(await b).toBe('ran');
  });
});
