/**
 * A fetch that holds every refresh request until the test lets them go, so that whatever the
 * test starts meanwhile finds the refresh under way: no race with the network, however slow the
 * machine. Everything else goes straight through.
 */
import type { FetchLike } from '../../../main/core/http/http-client';

export interface HeldRefreshes {
  readonly fetch: FetchLike;
  /** Lets every held refresh request (and any later one) go to the provider. */
  release(): void;
  /** How many refresh requests reached this fetch so far. */
  held(): number;
}

/** Whether a request is a refresh-token grant (oauth4webapi sends the form as URLSearchParams). */
export const isRefreshRequest = (init: RequestInit | undefined): boolean => {
  const body = init?.body;
  return (
    (typeof body === 'string' || body instanceof URLSearchParams) &&
    String(body).includes('grant_type=refresh_token')
  );
};

export const heldRefreshes = (): HeldRefreshes => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let held = 0;
  return {
    fetch: async (input, init) => {
      if (isRefreshRequest(init)) {
        held += 1;
        await gate;
      }
      return fetch(input, init);
    },
    release: () => open(),
    held: () => held,
  };
};
