/**
 * Confirmations ("Copied …"): one polite live region, always in the page so screen readers
 * announce what appears in it; a new message replaces the one shown.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import './toasts.css';

type ShowToast = (message: string) => void;

const ToastContext = createContext<ShowToast>(() => undefined);

export const useToast = (): ShowToast => useContext(ToastContext);

/** Long enough to read: 4 s plus a little per word. */
const displayMs = (message: string): number => 4000 + message.split(/\s+/).length * 200;

export const ToastProvider = ({ children }: { children: ReactNode }) => {
  const [toast, setToast] = useState<{ readonly id: number; readonly message: string }>();
  const show = useCallback<ShowToast>(
    (message) => setToast((previous) => ({ id: (previous?.id ?? 0) + 1, message })),
    [],
  );

  useEffect(() => {
    if (!toast) return undefined;
    const timer = setTimeout(() => setToast(undefined), displayMs(toast.message));
    return () => clearTimeout(timer);
  }, [toast]);

  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toast-region" role="status" aria-live="polite" data-testid="toast">
        {toast && (
          <p key={toast.id} className="toast">
            {toast.message}
          </p>
        )}
      </div>
    </ToastContext.Provider>
  );
};
