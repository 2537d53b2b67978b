import { useEffect, useRef, type RefObject } from 'react';

/**
 * Whether the component is still on screen. A dialog closed (Escape) while main works gets the
 * answer anyway: it then reports it without touching a dialog the user may have opened since.
 */
export const useMounted = (): RefObject<boolean> => {
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return mounted;
};
