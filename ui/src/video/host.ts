// One stable engine object for the bridges and the call page: it creates the engine a `join` names
// (Agora or sandbox), switches when a later join names the other one, re-attaches the video elements,
// and runs commands one at a time in arrival order (a probe runs alongside, so it never holds up a mute).
import type { EngineCommand, EngineEvent } from "../ipc/contract";
import { AgoraEngine } from "./agora";
import { EventFan } from "./emitter";
import type { VideoStats, WebMediaEngine } from "./engine";
import { SandboxEngine } from "./sandbox";

/** Which engine implementation. */
export type EngineKind = "agora" | "sandbox";

/** Makes an engine of a kind (tests pass fakes). */
export type EngineFactory = (kind: EngineKind, serverUrl: string | null) => WebMediaEngine;

/** The default factory: the real engines. */
export const realEngines: EngineFactory = (kind, serverUrl) =>
  kind === "agora" ? new AgoraEngine({ serverUrl }) : new SandboxEngine({ serverUrl });

/** A WebMediaEngine that delegates to the engine the latest join asked for. */
export class EngineHost implements WebMediaEngine {
  private readonly fan = new EventFan();
  private engine: WebMediaEngine;
  private unsubscribe: () => void;
  private chain: Promise<void> = Promise.resolve();
  private localEl: HTMLVideoElement | null = null;
  private remoteEl: HTMLVideoElement | null = null;
  private kindNow: EngineKind;

  /** Starts with `initial` (used for probes and previews before any join). */
  constructor(
    private serverUrl: string | null = null,
    private readonly create: EngineFactory = realEngines,
    initial: EngineKind = "sandbox",
  ) {
    this.kindNow = initial;
    this.engine = create(initial, serverUrl);
    this.unsubscribe = this.engine.onEvent((e) => this.fan.emit(e));
  }

  /** The engine kind in use. */
  get kind(): EngineKind {
    return this.kindNow;
  }

  /** Queues one command; resolves when it has been carried out. */
  handle(command: EngineCommand): Promise<void> {
    if (command.op === "start_probe") return this.engine.handle(command).catch(() => undefined);
    const run = async () => {
      if (command.op === "join") {
        this.serverUrl = command.server_url;
        if (command.engine !== this.kindNow) await this.switchTo(command.engine);
      }
      await this.engine.handle(command);
    };
    this.chain = this.chain.then(run).catch(() => undefined);
    return this.chain;
  }

  /** Subscribes to the current engine's events (kept across switches). */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.fan.on(listener);
  }

  /** Device status, asking for permission once. */
  devices() {
    return this.engine.devices();
  }

  /** Cameras, microphones and speakers. */
  listDevices(): Promise<MediaDeviceInfo[]> {
    return this.engine.listDevices();
  }

  /** Shows the local camera (kept across engine switches). */
  attachLocal(element: HTMLVideoElement): Promise<void> {
    this.localEl = element;
    return this.engine.attachLocal(element);
  }

  /** Shows the remote participant (kept across engine switches). */
  attachRemote(element: HTMLVideoElement): void {
    this.remoteEl = element;
    this.engine.attachRemote(element);
  }

  /** The current engine's statistics. */
  stats(): Promise<VideoStats> {
    return this.engine.stats();
  }

  /** Disposes of the current engine. */
  async dispose(): Promise<void> {
    await this.chain;
    await this.engine.dispose();
    this.unsubscribe();
  }

  private async switchTo(kind: EngineKind): Promise<void> {
    await this.engine.dispose();
    this.unsubscribe();
    this.kindNow = kind;
    this.engine = this.create(kind, this.serverUrl);
    this.unsubscribe = this.engine.onEvent((e) => this.fan.emit(e));
    if (this.remoteEl) this.engine.attachRemote(this.remoteEl);
    if (this.localEl) await this.engine.attachLocal(this.localEl);
  }
}
