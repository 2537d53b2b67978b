import { act, render, type RenderResult } from '@testing-library/react';
import { App } from '../../../../renderer/src/app';
import type { FakeBridge } from './fake-bridge';

/**
 * Renders the whole window against a fake bridge and lets its first answers land (after their
 * round trip, for the channels the bridge answers later).
 */
export const renderApp = async (bridge: FakeBridge): Promise<RenderResult> => {
  const result = render(<App bridge={bridge} />);
  // The first load is a few promise hops (Promise.all, then state): flush them.
  await act(async () => {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  });
  await bridge.whenQuiet();
  return result;
};
