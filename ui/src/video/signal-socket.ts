// The sandbox engine's signalling socket: connects, authenticates with the token as the first frame,
// hands validated frames on, and reconnects by itself with backoff after a drop (or when told the
// connection looks dead). Close codes that end the call are reported and not retried.
import type { ConnectionReason, EngineConnection } from "../ipc/contract";
import { backoffMs, closeOutcome, parseServerFrame, type ClientFrame, type ServerFrame } from "./signalling";

/** What the socket tells its owner. */
export interface SignalHandlers {
  /** A validated frame (including `ready`, once per successful connection). */
  frame(frame: ServerFrame): void;
  /** The connection dropped; the socket retries by itself. */
  lost(reason: ConnectionReason): void;
  /** The server ended it for good (or the token must be renewed first); no more retries. */
  fatal(state: EngineConnection, reason: ConnectionReason): void;
  /** A frame failed validation (counted, ignored). */
  malformed(error: string): void;
}

/** How long a connection may take from opening to the server's `ready`. */
const READY_TIMEOUT_MS = 8000;

/** One participant's signalling connection, reconnecting until closed. */
export class SignalSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readyTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private isReady = false;

  /** `token()` is read at every (re)connection, so a renewed token is used from then on. */
  constructor(
    private readonly url: string,
    private readonly token: () => string,
    private readonly tokenExpired: () => boolean,
    private readonly on: SignalHandlers,
  ) {}

  /** Whether the server has admitted this connection. */
  get ready(): boolean {
    return this.isReady;
  }

  /** Opens the first connection. */
  start(): void {
    this.open();
  }

  /** Sends a frame when connected; false when it could not be sent (the caller retries later). */
  send(frame: ClientFrame): boolean {
    if (!this.ws || !this.isReady || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Drops the current connection (it may be silently dead) and reconnects at once. */
  recycle(): void {
    if (this.closed) return;
    this.drop();
    this.attempt = 0;
    this.schedule(0);
  }

  /** Closes for good (after an optional last frame, e.g. `bye`). */
  close(last?: ClientFrame): void {
    if (last) this.send(last);
    this.closed = true;
    this.drop();
  }

  private open(): void {
    if (this.closed) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.retry("network");
      return;
    }
    this.ws = ws;
    this.isReady = false;
    this.readyTimer = setTimeout(() => {
      if (this.ws === ws && !this.isReady) {
        this.drop();
        this.retry("network");
      }
    }, READY_TIMEOUT_MS);
    ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token: this.token() } satisfies ClientFrame));
    ws.onmessage = (msg: MessageEvent) => {
      if (this.ws !== ws) return;
      const parsed = parseServerFrame(msg.data);
      if (!parsed.ok) {
        this.on.malformed(parsed.error);
        return;
      }
      if (parsed.frame.type === "ready") {
        this.isReady = true;
        this.attempt = 0;
        this.clearReadyTimer();
      }
      this.on.frame(parsed.frame);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.isReady = false;
      this.clearReadyTimer();
      const outcome = closeOutcome(ev.code, this.tokenExpired());
      if (outcome.retry) this.retry(outcome.reason);
      else {
        this.closed = true;
        this.on.fatal(outcome.state, outcome.reason);
      }
    };
  }

  private retry(reason: ConnectionReason): void {
    if (this.closed) return;
    this.on.lost(reason);
    this.schedule(backoffMs(this.attempt++));
  }

  private schedule(delay: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private clearReadyTimer(): void {
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.readyTimer = null;
  }

  private drop(): void {
    this.clearReadyTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    this.isReady = false;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close(1000);
      } catch {
        // Already closing.
      }
    }
  }
}
