import { useLayoutEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import { createTicker } from './ticker';

/** The window's one clock. It runs only while a countdown is on screen. */
const ticker = createTicker();

/**
 * A value derived from the shared clock. `select` must return a primitive (text, a flag): the
 * component re-renders only when that value changes, not on every tick.
 */
export const useClockValue = <T extends string | number | boolean>(select: (now: number) => T): T =>
  useSyncExternalStore(ticker.subscribe, () => select(ticker.now()));

/**
 * Text that changes on every tick (a countdown), written straight into the element's text: a
 * thousand rows then cost a thousand text writes per second, not a thousand React renders.
 * React renders the element empty and never manages its text, so the two cannot disagree.
 */
export const useClockText = <E extends HTMLElement>(
  text: (now: number) => string,
  deps: readonly unknown[],
): RefObject<E | null> => {
  const ref = useRef<E>(null);
  const textRef = useRef(text);
  useLayoutEffect(() => {
    textRef.current = text;
  });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    // One text node, changed in place: replacing it (textContent =) would restyle the element.
    const node = document.createTextNode('');
    element.replaceChildren(node);
    const write = () => {
      const next = textRef.current(ticker.now());
      if (next !== node.data) node.data = next;
    };
    // Subscribing first: the first listener restarts the ticker at the present.
    const unsubscribe = ticker.subscribe(write);
    write();
    return unsubscribe;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `deps` are the caller's inputs to `text`
  }, deps);
  return ref;
};
