/**
 * A proxy's request for a user name and password: one prompt per proxy however many requests
 * wait, the answer kept in memory for other sessions (each sign-in window has its own) but given
 * to each session once — asked again, the proxy refused it and the user is asked, told so —
 * and Cancel or no answer fails the waiting requests and forgets the answer.
 */
import { describe, expect, it } from 'vitest';
import type { ProxySignInRequest } from '../../../../shared/model';
import { CoreEvents } from '../../../../main/core/events';
import { ProxySignIn } from '../../../../main/core/services/proxy-sign-in';
import { FakeClock, settle } from '../../helpers/fake-clock';

const CHALLENGE = { proxy: 'proxy.corp.example:3128', scheme: 'basic', realm: 'Corp' };
const ANA = { username: 'ana', password: 'hunter2' };

const setup = () => {
  const events = new CoreEvents();
  const clock = new FakeClock();
  const shown: (readonly ProxySignInRequest[])[] = [];
  events.on('proxySignIn', (requests) => shown.push(requests));
  return { signIn: new ProxySignIn(events, clock, 60_000), clock, shown };
};

describe('ProxySignIn', () => {
  it('asks once for every request waiting on one proxy, and answers them all', async () => {
    const { signIn, shown } = setup();
    const main = {};
    const answers = [
      signIn.ask(CHALLENGE, main),
      signIn.ask(CHALLENGE, main),
      signIn.ask(CHALLENGE, {}),
    ];
    expect(signIn.requests()).toHaveLength(1);
    expect(signIn.requests()[0]).toMatchObject({
      proxy: CHALLENGE.proxy,
      realm: 'Corp',
      refused: false,
    });
    expect(signIn.answer(signIn.requests()[0]!.id, ANA)).toBe(true);
    expect(await Promise.all(answers)).toEqual([ANA, ANA, ANA]);
    expect(shown.at(-1)).toEqual([]);
  });

  it('gives a new session the kept answer without asking, once', async () => {
    const { signIn } = setup();
    const first = signIn.ask(CHALLENGE, {});
    signIn.answer(signIn.requests()[0]!.id, ANA);
    await first;
    const consentWindow = {};
    expect(await signIn.ask(CHALLENGE, consentWindow)).toEqual(ANA);
    expect(signIn.requests()).toEqual([]);
    // The same session asks again: the proxy refused what it was given.
    const again = signIn.ask(CHALLENGE, consentWindow);
    expect(signIn.requests()).toEqual([expect.objectContaining({ refused: true })]);
    signIn.answer(signIn.requests()[0]!.id, { username: 'ana', password: 'right' });
    expect(await again).toEqual({ username: 'ana', password: 'right' });
  });

  it('a session the proxy asks again after a typed answer is told it was refused', async () => {
    const { signIn } = setup();
    const main = {};
    const first = signIn.ask(CHALLENGE, main);
    signIn.answer(signIn.requests()[0]!.id, { username: 'ana', password: 'wrong' });
    await first;
    void signIn.ask(CHALLENGE, main);
    expect(signIn.requests()[0]).toMatchObject({ refused: true });
  });

  it('Cancel fails the waiting requests and forgets the kept answer', async () => {
    const { signIn } = setup();
    const first = signIn.ask(CHALLENGE, {});
    signIn.answer(signIn.requests()[0]!.id, ANA);
    await first;
    const waiting = signIn.ask(CHALLENGE, {});
    // A new session gets the kept answer; one that had it and is asked again prompts.
    expect(await waiting).toEqual(ANA);
    const session = {};
    await signIn.ask(CHALLENGE, session);
    const asked = signIn.ask(CHALLENGE, session);
    signIn.answer(signIn.requests()[0]!.id, undefined);
    expect(await asked).toBeUndefined();
    // Forgotten: the next session is asked.
    void signIn.ask(CHALLENGE, {});
    expect(signIn.requests()).toEqual([expect.objectContaining({ refused: false })]);
  });

  it('no answer within the time limit fails the requests and closes the prompt', async () => {
    const { signIn, clock, shown } = setup();
    const waiting = signIn.ask(CHALLENGE, {});
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
