import { createContext, useContext, type ReactNode } from 'react';
import type { TokendeskApi } from '../../../shared/ipc-contract';
import { errorOf, type Result } from '../../../shared/errors';

const ApiContext = createContext<TokendeskApi | undefined>(undefined);

export const ApiProvider = ({ api, children }: { api: TokendeskApi; children: ReactNode }) => (
  <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
);

export const useApi = (): TokendeskApi => {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
};

/**
 * Every channel answers a result, but the IPC hop itself can still reject (main gone, a handler
 * that threw): the user gets the same plain failure either way, never an unhandled rejection.
 */
export const settle = async <T,>(call: Promise<Result<T>>): Promise<Result<T>> => {
  try {
    return await call;
  } catch {
    return { ok: false, error: errorOf('internal') };
  }
};
