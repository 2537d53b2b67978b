/** A small typed event hub for what main pushes to the renderer. */
import type { EventName, EventPayloads } from '../../shared/ipc-contract';

type Listener<E extends EventName> = (payload: EventPayloads[E]) => void;

export class CoreEvents {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(name: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener as Listener<EventName>);
    this.listeners.set(name, set);
    return () => set.delete(listener as Listener<EventName>);
  }

  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(payload);
  }
}
