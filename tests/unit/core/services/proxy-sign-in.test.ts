/**
 * A proxy's request for a user name and password: one prompt per proxy however many requests
 * wait; the answer kept in memory so other requests and sessions (each sign-in window has its
 * own) are not asked again; a request asking again means the proxy refused what it got, and the
 * user is asked, told so; Cancel or no answer fails the waiting requests and forgets the answer.
 */
import { describe, expect, it } from 'vitest';
import type { ProxySignInRequest } from '../../../../shared/model';
import { CoreEvents } from '../../../../main/core/events';
import { ProxySignIn } from '../../../../main/core/services/proxy-sign-in';
import { FakeClock, settle } from '../../helpers/fake-clock';

const CHALLENGE = { proxy: 'proxy.corp.example:3128', scheme: 'basic', realm: 'Corp' };
const ANA = { username: 'ana', password: 'hunter2' };
const FIRST_ASK = false;
const ASKED_AGAIN = true;

const setup = () => {
  const events = new CoreEvents();
  const clock = new FakeClock();
  const shown: (readonly ProxySignInRequest[])[] = [];
  events.on('proxySignIn', (requests) => shown.push(requests));
  return { signIn: new ProxySignIn(events, clock, 60_000), clock, shown };
};

const answerOpen = (signIn: ProxySignIn, credentials = ANA) =>
  signIn.answer(signIn.requests()[0]!.id, credentials);

describe('ProxySignIn', () => {
  it('asks once for every request waiting on one proxy, and answers them all', async () => {
    const { signIn, shown } = setup();
    const answers = [1, 2, 3].map(() => signIn.ask(CHALLENGE, FIRST_ASK));
    expect(signIn.requests()).toEqual([
      expect.objectContaining({ proxy: CHALLENGE.proxy, realm: 'Corp', refused: false }),
    ]);
    expect(answerOpen(signIn)).toBe(true);
    expect(await Promise.all(answers)).toEqual([ANA, ANA, ANA]);
    expect(shown.at(-1)).toEqual([]);
  });

  it('gives later requests the kept answer without asking', async () => {
    const { signIn } = setup();
    const first = signIn.ask(CHALLENGE, FIRST_ASK);
    answerOpen(signIn);
    await first;
    expect(await signIn.ask(CHALLENGE, FIRST_ASK)).toEqual(ANA);
    expect(signIn.requests()).toEqual([]);
  });

  it('a request that asks again was refused: the user is asked, told so, and the new answer kept', async () => {
    const { signIn } = setup();
    const first = signIn.ask(CHALLENGE, FIRST_ASK);
    answerOpen(signIn, { username: 'ana', password: 'wrong' });
    await first;
    const again = signIn.ask(CHALLENGE, ASKED_AGAIN);
    // Meanwhile another request's first ask joins the open prompt rather than the old answer.
    expect(signIn.requests()).toEqual([expect.objectContaining({ refused: true })]);
    answerOpen(signIn, { username: 'ana', password: 'right' });
    expect(await again).toEqual({ username: 'ana', password: 'right' });
    expect(await signIn.ask(CHALLENGE, FIRST_ASK)).toEqual({ username: 'ana', password: 'right' });
  });

  it('Cancel fails the waiting requests and forgets the kept answer', async () => {
    const { signIn } = setup();
    const first = signIn.ask(CHALLENGE, FIRST_ASK);
    answerOpen(signIn);
    await first;
    const asked = signIn.ask(CHALLENGE, ASKED_AGAIN);
    signIn.answer(signIn.requests()[0]!.id, undefined);
    expect(await asked).toBeUndefined();
    // Forgotten: the next request's first ask brings the prompt.
    void signIn.ask(CHALLENGE, FIRST_ASK);
    expect(signIn.requests()).toEqual([expect.objectContaining({ refused: false })]);
  });

  it('no answer within the time limit fails the requests and closes the prompt', async () => {
    const { signIn, clock, shown } = setup();
    const waiting = signIn.ask(CHALLENGE, FIRST_ASK);
    await clock.advance(60_000);
    await settle();
    expect(await waiting).toBeUndefined();
    expect(signIn.requests()).toEqual([]);
    expect(shown.at(-1)).toEqual([]);
  });

  it('an answer to a prompt that is gone is not taken', () => {
    const { signIn } = setup();
    expect(signIn.answer('proxy-404', ANA)).toBe(false);
  });
});
