// @vitest-environment happy-dom
/**
 * The proxy's password prompt in the window: shown over anything when main asks, sends what was
 * typed once, says when the last answer was refused, and Cancel answers with nothing.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxySignInRequest } from '../../../../shared/model';
import { fakeBridge, ok } from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

afterEach(cleanup);

const request = (id: string, refused = false): ProxySignInRequest => ({
  id,
  proxy: 'proxy.corp.example:3128',
  realm: 'Corp',
  scheme: 'basic',
  refused,
});

const TITLE = 'The proxy asks you to sign in';

describe('the proxy sign-in prompt', () => {
  it('sends the typed answer, and takes the next prompt (refused) after it', async () => {
    const bridge = fakeBridge({}, { answerProxySignIn: () => ok({ answered: true }) });
    const user = userEvent.setup();
    await renderApp(bridge);
    await bridge.emit('proxySignIn', [request('proxy-1')]);
    let dialog = await screen.findByRole('dialog', { name: TITLE });
    expect(dialog.textContent).toContain('proxy.corp.example:3128');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    await user.type(within(dialog).getByLabelText('User name'), 'ana');
    await user.type(within(dialog).getByLabelText('Password'), 'wrong');
    await user.click(within(dialog).getByRole('button', { name: 'Sign in to proxy' }));
    expect(bridge.api.answerProxySignIn).toHaveBeenLastCalledWith({
      id: 'proxy-1',
      credentials: { username: 'ana', password: 'wrong' },
    });
    await bridge.emit('proxySignIn', []);
    await bridge.emit('proxySignIn', [request('proxy-2', true)]);
    dialog = await screen.findByRole('dialog', { name: TITLE });
    expect(within(dialog).getByRole('alert').textContent).toMatch(/refused/);
    await user.type(within(dialog).getByLabelText('User name'), 'ana');
    await user.type(within(dialog).getByLabelText('Password'), 'right');
    await user.click(within(dialog).getByRole('button', { name: 'Sign in to proxy' }));
    expect(bridge.api.answerProxySignIn).toHaveBeenLastCalledWith({
      id: 'proxy-2',
      credentials: { username: 'ana', password: 'right' },
    });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: TITLE })).toBeNull());
  });

  it('Cancel answers with nothing; a prompt open before the window loaded is shown', async () => {
    const bridge = fakeBridge(
      {},
      {
        listProxySignIns: () => ok([request('proxy-7')]),
        answerProxySignIn: () => ok({ answered: true }),
      },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    const dialog = await screen.findByRole('dialog', { name: TITLE });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(bridge.api.answerProxySignIn).toHaveBeenLastCalledWith({ id: 'proxy-7' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: TITLE })).toBeNull());
  });
});
