import { describe, expect, it } from "vitest";
import type { EngineCommand, EngineEvent } from "../ipc/contract";
import type { VideoStats, WebMediaEngine } from "./engine";
import { EngineHost, type EngineKind } from "./host";

/** Records what it was asked to do and echoes each command as an event. */
class FakeEngine implements WebMediaEngine {
  handled: string[] = [];
  disposed = false;
  private listeners: ((e: EngineEvent) => void)[] = [];
  constructor(readonly kind: EngineKind) {}
  async handle(command: EngineCommand) {
    this.handled.push(command.op);
    this.listeners.forEach((l) => l({ type: "remote_joined", uid: this.kind === "agora" ? 1 : 2 }));
  }
  onEvent(listener: (e: EngineEvent) => void) {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }
  async devices() {
    return { microphone: true, microphone_allowed: true, camera: true, camera_allowed: true };
  }
  async listDevices() {
    return [];
  }
  async attachLocal() {}
  attachRemote() {}
  async stats(): Promise<VideoStats> {
    return { framesDecoded: 0, rttMs: null };
  }
  async dispose() {
    this.disposed = true;
  }
}

const join = (engine: EngineKind): EngineCommand => ({
  op: "join",
  engine,
  server_url: "http://127.0.0.1:1",
  params: { app_id: "a", channel: "c", token: "t", uid: 1 },
});

describe("EngineHost", () => {
  it("creates the engine a join names and keeps listeners across switches", async () => {
    const made: FakeEngine[] = [];
    const host = new EngineHost(null, (kind) => {
      const e = new FakeEngine(kind);
      made.push(e);
      return e;
    });
    const events: EngineEvent[] = [];
    host.onEvent((e) => events.push(e));
    await host.handle(join("sandbox"));
    expect(made.map((e) => e.kind)).toEqual(["sandbox"]);
    void host.handle(join("agora"));
    await host.handle({ op: "set_audio_muted", muted: true });
    expect(made.map((e) => e.kind)).toEqual(["sandbox", "agora"]);
    expect(made[0]!.disposed).toBe(true);
    expect(made[1]!.handled).toEqual(["join", "set_audio_muted"]);
    expect(events).toEqual([
      { type: "remote_joined", uid: 2 },
      { type: "remote_joined", uid: 1 },
      { type: "remote_joined", uid: 1 },
    ]);
    expect(host.kind).toBe("agora");
  });
});
