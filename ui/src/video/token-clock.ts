// The sandbox token's expiry as events, like Agora's: `token_will_expire` 30 s before the token's `exp`
// and `token_expired` at it (a backstop: the core renews on its own schedule). Re-armed on renewal.
import type { EngineEvent } from "../ipc/contract";
import { tokenExpiresAt } from "./signalling";

/** Timers for one token at a time. */
export class TokenClock {
  private timers: ReturnType<typeof setTimeout>[] = [];
  private exp: number | null = null;

  /** Watches `token` (replacing the previous one) and emits through `emit`. */
  arm(token: string, emit: (event: EngineEvent) => void): void {
    this.clear();
    this.exp = tokenExpiresAt(token);
    if (this.exp === null) return;
    const now = Date.now();
    const at = (ms: number, event: EngineEvent) => {
      if (ms > now) this.timers.push(setTimeout(() => emit(event), ms - now));
    };
    at(this.exp - 30_000, { type: "token_will_expire" });
    at(this.exp, { type: "token_expired" });
  }

  /** Whether the watched token is past its expiry. */
  expired(): boolean {
    return this.exp !== null && Date.now() >= this.exp;
  }

  /** Stops the timers. */
  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
