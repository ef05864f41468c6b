import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EngineCommand, EngineEvent } from "../ipc/contract";
import { connectSocketBridge } from "./bridge";
import type { WebMediaEngine } from "./engine";

/** A scripted stand-in for the browser's WebSocket. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
}

/** An engine that records commands and lets the test emit events. */
function fakeEngine() {
  const handled: EngineCommand[] = [];
  let listener: ((e: EngineEvent) => void) | null = null;
  const engine: WebMediaEngine = {
    handle: async (c) => void handled.push(c),
    onEvent: (l) => {
      listener = l;
      return () => (listener = null);
    },
    devices: async () => ({ microphone: true, microphone_allowed: true, camera: true, camera_allowed: true }),
    listDevices: async () => [],
    attachLocal: async () => undefined,
    attachRemote: () => undefined,
    stats: async () => ({ framesDecoded: 0, rttMs: null }),
    dispose: async () => void handled.push({ op: "leave" }),
  };
  return { engine, handled, emit: (e: EngineEvent) => listener?.(e) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("connectSocketBridge", () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal("WebSocket", FakeSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("runs commands, reports events and devices, and carries the user's requests", async () => {
    const fake = fakeEngine();
    const seen: string[] = [];
    const bridge = connectSocketBridge("ws://127.0.0.1:1/engine", {
      create: () => fake.engine,
      onCommand: (c) => seen.push(c.op),
    });
    const ws = FakeSocket.all[0]!;
    fake.emit({ type: "token_will_expire" }); // before the socket is open: queued
    ws.open();
    await flush();
    expect(ws.sent[0]).toEqual({ event: { type: "token_will_expire" } });
    expect(ws.sent.some((f) => typeof f === "object" && f !== null && "devices" in f)).toBe(true);

    ws.onmessage?.({ data: JSON.stringify({ command: { op: "set_audio_muted", muted: true } }) });
    ws.onmessage?.({ data: JSON.stringify({ command: { op: "format_disk" } }) });
    ws.onmessage?.({ data: "garbage" });
    await flush();
    expect(fake.handled).toEqual([{ op: "set_audio_muted", muted: true }]);
    expect(seen).toEqual(["set_audio_muted"]);

    fake.emit({ type: "remote_joined", uid: 9 });
    expect(ws.sent.at(-1)).toEqual({ event: { type: "remote_joined", uid: 9 } });
    bridge.request({ op: "leave" });
    expect(ws.sent.at(-1)).toEqual({ user: { op: "leave" } });

    await bridge.stop();
    expect(fake.handled.at(-1)).toEqual({ op: "leave" });
  });
});
