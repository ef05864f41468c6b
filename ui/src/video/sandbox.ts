// The sandbox media engine: a real WebRTC call between the two participants, signalled through the
// Psyter server's WebSocket (server/src/signalling.rs), with no external media service. Recovery: the
// socket reconnects by itself with backoff; when the media path drops, the socket is recycled (it may be
// silently dead) and the impolite side (lower uid) restarts ICE until media flows again; after
// `giveUpMs` of trouble the engine reports `failed` and the core rejoins.
import type { ConnectionReason, EngineCommand, EngineConnection, EngineEvent, JoinParams } from "../ipc/contract";
import { EventFan } from "./emitter";
import type { VideoStats, WebMediaEngine } from "./engine";
import { deviceStatus } from "./media";
import { PeerLink, type LinkState } from "./peer";
import { probeServer } from "./probe";
import { qualityBetween, snapshotOf, type StatsSnapshot } from "./quality";
import { LocalMediaState } from "./local-media";
import { RemoteView } from "./remote-view";
import { connectionOf, isImpolite, signallingUrl, type ServerFrame } from "./signalling";
import { SignalSocket } from "./signal-socket";
import { TokenClock } from "./token-clock";

/** Tuning knobs (tests shorten them). */
export interface SandboxOptions {
  /** Trouble (not connected) this long ends in `failed`. Default 60 s. */
  giveUpMs?: number;
  /** How often quality is reported. Default 2 s. */
  qualityEveryMs?: number;
  /** The API server, for the probe before any join. */
  serverUrl?: string | null;
}

/** How long a peer whose socket left may stay before we count them gone (when media is down too). */
const REMOTE_GRACE_MS = 15_000;

/** The sandbox WebRTC engine. */
export class SandboxEngine implements WebMediaEngine {
  private readonly fan = new EventFan();
  private readonly media = new LocalMediaState((e) => this.emit(e));
  private readonly giveUpMs: number;
  private readonly qualityEveryMs: number;
  private serverUrl: string | null;
  private gen = 0;
  private params: JoinParams | null = null;
  private token = "";
  private socket: SignalSocket | null = null;
  private link: PeerLink | null = null;
  private remoteUid: number | null = null;
  private remoteAbsentSince: number | null = null;
  private readonly remote = new RemoteView();
  private readonly tokenClock = new TokenClock();
  private everReady = false;
  private socketReason: ConnectionReason = "network";
  private mediaTrouble = false;
  private troubleSince: number | null = null;
  private ended = false;
  private lastConnection = "";
  private lastRecycle = 0;
  private lastRestart = 0;
  private framesBase = 0;
  private lastFrames = 0;
  private prevSnap: StatsSnapshot | null = null;
  private queue: Promise<void> = Promise.resolve();
  private intervals: ReturnType<typeof setInterval>[] = [];

  /** An idle engine; nothing happens until `join`. */
  constructor(options: SandboxOptions = {}) {
    this.giveUpMs = options.giveUpMs ?? 60_000;
    this.qualityEveryMs = options.qualityEveryMs ?? 2000;
    this.serverUrl = options.serverUrl ?? null;
  }

  /** Carries out one command; failures become events. */
  async handle(command: EngineCommand): Promise<void> {
    switch (command.op) {
      case "join":
        return this.join(command.params, command.server_url);
      case "leave":
        return this.leave();
      case "renew_token":
        this.token = command.token;
        this.tokenClock.arm(this.token, (e) => !this.ended && this.emit(e));
        return;
      case "set_audio_muted":
        this.media.setAudioMuted(command.muted);
        return;
      case "set_video_muted":
        this.media.setVideoMuted(command.muted);
        this.link?.setMedia(this.media.forLink());
        return;
      case "set_audio_only":
        this.media.audioOnly = command.audio_only;
        this.link?.setMedia(this.media.forLink());
        return;
      case "switch_device": {
        const { device, device_id: id } = command;
        const failed = await (device === "speaker" ? this.remote.setSpeaker(id) : this.media.switchTo(device, id));
        if (failed) this.emit(failed);
        else this.link?.setMedia(this.media.forLink());
        return;
      }
      case "start_probe":
        return this.probe();
    }
  }

  /** Subscribes to events. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.fan.on(listener);
  }

  /** Device status, asking for permission once. */
  devices() {
    return deviceStatus(true);
  }

  /** Cameras, microphones and speakers. */
  async listDevices(): Promise<MediaDeviceInfo[]> {
    return navigator.mediaDevices.enumerateDevices();
  }

  /** Shows the local camera (opens it for a preview when not joined). */
  async attachLocal(element: HTMLVideoElement): Promise<void> {
    await this.media.attach(element);
  }

  /** Shows the remote participant. */
  attachRemote(element: HTMLVideoElement): void {
    this.remote.attach(element);
  }

  /** Frames decoded over every connection of this engine, and the current RTT. */
  async stats(): Promise<VideoStats> {
    const link = this.link;
    const snap = link ? await this.snapshot(link) : null;
    if (!snap || link !== this.link) return { framesDecoded: this.framesBase + this.lastFrames, rttMs: null };
    return { framesDecoded: this.framesBase + snap.framesDecoded, rttMs: snap.rttMs };
  }

  /** The link's counters now (null once it is closed); remembers its frame count. */
  private async snapshot(link: PeerLink): Promise<StatsSnapshot | null> {
    try {
      const snap = snapshotOf((await link.pc.getStats()).values(), Date.now());
      if (link === this.link) this.lastFrames = snap.framesDecoded;
      return snap;
    } catch {
      return null;
    }
  }

  /** Leaves and releases the camera and microphone. */
  async dispose(): Promise<void> {
    await this.leave();
    this.media.stop();
  }

  private emit(event: EngineEvent): void {
    this.fan.emit(event);
  }

  private async join(params: JoinParams, serverUrl: string): Promise<void> {
    if (this.params) await this.leave();
    const gen = ++this.gen;
    this.params = params;
    this.token = params.token;
    this.serverUrl = serverUrl;
    this.ended = false;
    this.everReady = false;
    this.mediaTrouble = false;
    this.lastConnection = "";
    this.update();
    const ok = await this.media.open();
    if (gen !== this.gen) return;
    if (!ok) {
      this.ended = true; // microphone refused: the core ends the call
      return;
    }
    this.troubleSince = Date.now(); // the give-up clock starts now, not while a permission prompt was open
    this.tokenClock.arm(this.token, (e) => !this.ended && this.emit(e));
    this.socket = new SignalSocket(signallingUrl(serverUrl), () => this.token, () => this.tokenClock.expired(), {
      frame: (frame) => this.enqueue(gen, frame),
      lost: (reason) => {
        this.socketReason = reason;
        this.update();
      },
      fatal: (state, reason) => this.finish(state, reason),
      malformed: () => undefined,
    });
    this.socket.start();
    this.intervals.push(setInterval(() => void this.watchdog(), 1000));
    this.intervals.push(setInterval(() => void this.reportQuality(), this.qualityEveryMs));
  }

  private async leave(): Promise<void> {
    const wasJoined = this.params !== null;
    this.gen++;
    this.socket?.close({ type: "bye", reason: "leave" });
    this.socket = null;
    this.closeLink();
    this.remoteUid = null;
    this.params = null;
    this.clearTimers();
    this.media.stop();
    this.remote.show([]);
    if (wasJoined && !this.ended) this.emit({ type: "connection", state: "disconnected", reason: "left" });
    this.ended = true;
  }

  /** Reports a final state and stops retrying (the core decides what next). */
  private finish(state: EngineConnection, reason: ConnectionReason): void {
    if (this.ended) return;
    this.ended = true;
    this.socket?.close();
    this.socket = null;
    this.closeLink();
    this.clearTimers();
    this.lastConnection = `${state}/${reason}`;
    this.emit({ type: "connection", state, reason });
  }

  private update(): void {
    if (this.ended || !this.params) return;
    const socketReady = this.socket?.ready ?? false;
    const c = connectionOf({
      everReady: this.everReady,
      socketReady,
      socketReason: this.socketReason,
      mediaTrouble: this.mediaTrouble,
    });
    if (c.state === "connected") this.troubleSince = null;
    else this.troubleSince ??= Date.now();
    const key = `${c.state}/${c.reason}`;
    if (key === this.lastConnection) return;
    this.lastConnection = key;
    this.emit({ type: "connection", ...c });
  }

  private enqueue(gen: number, frame: ServerFrame): void {
    this.queue = this.queue.then(() => (gen === this.gen ? this.onFrame(frame) : undefined)).catch(() => undefined);
  }

  private async onFrame(f: ServerFrame): Promise<void> {
    const me = this.params?.uid ?? 0;
    switch (f.type) {
      case "ready":
        this.everReady = true;
        this.socketReason = "network";
        for (const uid of f.peers.filter((u) => u !== me).slice(0, 1)) await this.present(uid);
        if (this.remoteUid !== null && !f.peers.includes(this.remoteUid)) this.remoteAbsentSince ??= Date.now();
        this.update();
        return;
      case "peer-joined":
        if (f.uid !== me) await this.present(f.uid);
        return;
      case "peer-left":
        if (f.uid === this.remoteUid) this.remoteAbsentSince ??= Date.now();
        return;
      case "bye":
        if (f.reason === "leave") this.dropRemote();
        else {
          this.closeLink();
          if (isImpolite(me, f.from)) this.newLink(true);
        }
        return;
      case "offer":
      case "answer": {
        this.noteRemote(f.from);
        if (f.type === "answer" && (!this.link || (this.link.remoteSession ?? f.session) !== f.session)) {
          if (this.link) this.resetLink();
          return;
        }
        if (!this.link || (this.link.remoteSession !== null && this.link.remoteSession !== f.session)) {
          this.closeLink();
          this.newLink(false);
        }
        const link = this.link;
        const applied = link ? await link.receiveDescription(f.type, f.sdp, f.session, f.seq) : true;
        if (!applied && link === this.link) this.resetLink();
        return;
      }
      case "candidate":
        await this.link?.receiveCandidate(f.candidate, f.session);
        return;
    }
  }

  /** The other participant is (still) here: connect, or take back an offer that was lost while one of
   *  us was away and restart ICE. */
  private async present(uid: number): Promise<void> {
    this.noteRemote(uid);
    const me = this.params?.uid ?? 0;
    const link = this.link;
    if (!link) {
      if (isImpolite(me, uid)) this.newLink(true);
    } else if (isImpolite(me, uid) || !link.connected) {
      await link.unstick(Date.now(), 0);
      this.restartIce();
    }
  }

  private noteRemote(uid: number): void {
    this.remoteAbsentSince = null;
    if (this.remoteUid === uid) return;
    if (this.remoteUid !== null) this.dropRemote();
    this.remoteUid = uid;
    this.emit({ type: "remote_joined", uid });
  }

  private dropRemote(): void {
    this.closeLink();
    this.mediaTrouble = false;
    this.remoteAbsentSince = null;
    const uid = this.remoteUid;
    this.remoteUid = null;
    if (uid !== null) this.emit({ type: "remote_left", uid });
    this.update();
  }

  private newLink(initiate: boolean): void {
    const me = this.params?.uid ?? 0;
    const remote = this.remoteUid ?? 0;
    const link: PeerLink = new PeerLink(!isImpolite(me, remote), this.media.forLink(), initiate, {
      send: (frame) => this.socket?.send(frame) ?? false,
      state: (state) => link === this.link && this.onLinkState(state),
      tracks: (tracks) => link === this.link && this.remote.show(tracks),
      published: (audio, video) => {
        if (link === this.link && this.remoteUid !== null) {
          this.emit({ type: "remote_published", uid: this.remoteUid, audio, video });
        }
      },
    });
    this.link = link;
    this.prevSnap = null;
  }

  /** Drops a connection that cannot be repaired and starts a fresh one (or asks the other side to). */
  private resetLink(): void {
    this.closeLink();
    if (this.remoteUid === null) return;
    if (isImpolite(this.params?.uid ?? 0, this.remoteUid)) this.newLink(true);
    else this.socket?.send({ type: "bye", reason: "reset" });
  }

  private closeLink(): void {
    if (!this.link) return;
    this.framesBase += this.lastFrames;
    this.lastFrames = 0;
    this.link.close();
    this.link = null;
    this.remote.show([]);
  }

  private onLinkState(state: LinkState): void {
    if (state === "down") this.mediaTrouble = true;
    if (state === "up") this.mediaTrouble = false;
    this.update();
  }

  private restartIce(): void {
    this.lastRestart = Date.now();
    this.link?.restartIce();
  }

  /** Once a second: give up, recycle a silent socket, repeat ICE restarts, forget a peer who left. */
  private async watchdog(): Promise<void> {
    const now = Date.now();
    if (this.ended) return;
    if (this.troubleSince !== null && now - this.troubleSince > this.giveUpMs) {
      this.finish("failed", this.everReady ? "network" : "join_failed");
      return;
    }
    const link = this.link;
    // An offer unanswered for 4 s was lost (the other side was away): take it back, so the next
    // negotiation (ICE restart, audio-only) can start.
    await link?.unstick(now, 4000);
    if (link && this.mediaTrouble) {
      if (link.downSince !== null && now - link.downSince > 3000 && now - this.lastRecycle > 10_000) {
        this.lastRecycle = now;
        this.socket?.recycle();
        this.update();
      }
      const me = this.params?.uid ?? 0;
      if (this.socket?.ready && this.remoteUid !== null && isImpolite(me, this.remoteUid) && now - this.lastRestart > 5000) {
        this.restartIce();
      }
    }
    if (this.remoteAbsentSince !== null && now - this.remoteAbsentSince > REMOTE_GRACE_MS && !this.link?.connected) {
      this.dropRemote();
    }
  }

  private async reportQuality(): Promise<void> {
    const link = this.link;
    if (!link || this.ended) return;
    const snap = await this.snapshot(link);
    if (!snap || link !== this.link) return;
    const expectVideo = !this.media.audioOnly && this.remote.tracks.some((t) => t.kind === "video" && !t.muted);
    const q = qualityBetween(this.prevSnap, snap, { down: this.mediaTrouble, expectVideo });
    this.prevSnap = snap;
    if (q.uplink !== 0 || q.downlink !== 0) this.emit({ type: "quality", ...q });
  }

  private async probe(): Promise<void> {
    const link = this.link;
    if (link?.connected) {
      const first = await this.snapshot(link);
      await new Promise((r) => setTimeout(r, 1000));
      const second = await this.snapshot(link);
      if (first && second) {
        const q = qualityBetween(first, second, { down: false, expectVideo: false });
        this.emit({ type: "probe", ...q, rtt_ms: second.rttMs ?? 0 });
        return;
      }
    }
    this.emit(await probeServer(this.serverUrl));
  }

  private clearTimers(): void {
    this.tokenClock.clear();
    for (const i of this.intervals) clearInterval(i);
    this.intervals = [];
  }
}
