// A tiny listener set for engine events: listeners are called in order, and one that throws does not
// stop the others (nor the engine).
import type { EngineEvent } from "../ipc/contract";

/** Fans engine events out to subscribers. */
export class EventFan {
  private listeners = new Set<(event: EngineEvent) => void>();

  /** Subscribes; returns the unsubscribe function. */
  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers one event to every subscriber. */
  emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not break the engine.
      }
    }
  }
}
