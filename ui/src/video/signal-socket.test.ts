import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SignalSocket, type SignalHandlers } from "./signal-socket";

/** A scripted stand-in for the browser's WebSocket. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(data: unknown) {
    this.onmessage?.({ data });
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

function handlers() {
  const log: string[] = [];
  const on: SignalHandlers = {
    frame: (f) => log.push(`frame:${f.type}`),
    lost: (r) => log.push(`lost:${r}`),
    fatal: (s, r) => log.push(`fatal:${s}/${r}`),
    malformed: (e) => log.push(`malformed:${e}`),
  };
  return { log, on };
}

describe("SignalSocket", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    vi.stubGlobal("WebSocket", FakeSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("authenticates first, passes frames on and flags malformed ones", () => {
    const { log, on } = handlers();
    let token = "t1";
    const s = new SignalSocket("ws://x/v1/signalling", () => token, () => false, on);
    s.start();
    const ws = FakeSocket.all[0]!;
    ws.open();
    expect(JSON.parse(ws.sent[0]!)).toEqual({ type: "auth", token: "t1" });
    expect(s.send({ type: "bye", reason: "leave" })).toBe(false); // not admitted yet
    ws.receive('{"type":"ready","uid":1,"peers":[]}');
    expect(s.ready).toBe(true);
    expect(s.send({ type: "bye", reason: "leave" })).toBe(true);
    ws.receive("garbage");
    expect(log).toEqual(["frame:ready", "malformed:not_json"]);

    // A dropped connection is retried with the current (renewed) token.
    token = "t2";
    ws.drop(1006);
    expect(log.at(-1)).toBe("lost:network");
    vi.advanceTimersByTime(400);
    const again = FakeSocket.all[1]!;
    again.open();
    expect(JSON.parse(again.sent[0]!)).toEqual({ type: "auth", token: "t2" });
  });

  it("stops on close codes that end the call", () => {
    const { log, on } = handlers();
    const s = new SignalSocket("ws://x", () => "t", () => false, on);
    s.start();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.drop(4409);
    vi.advanceTimersByTime(10_000);
    expect(log).toEqual(["fatal:failed/same_uid_elsewhere"]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("reports an expired token so the core can fetch a fresh one", () => {
    const { log, on } = handlers();
    const s = new SignalSocket("ws://x", () => "t", () => true, on);
    s.start();
    FakeSocket.all[0]!.drop(4401);
    expect(log).toEqual(["fatal:reconnecting/token_expired"]);
  });

  it("gives up on a connection that never gets admitted, and recycles on request", () => {
    const { log, on } = handlers();
    const s = new SignalSocket("ws://x", () => "t", () => false, on);
    s.start();
    FakeSocket.all[0]!.open();
    vi.advanceTimersByTime(8001);
    expect(log).toEqual(["lost:network"]);
    vi.advanceTimersByTime(400);
    expect(FakeSocket.all).toHaveLength(2);
    s.recycle();
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    s.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(3);
  });
});
