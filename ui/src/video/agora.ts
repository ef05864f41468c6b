// The Agora media engine over agora-rtc-sdk-ng, loaded on first use with a dynamic import so the SDK is
// not in the initial bundle. The SDK's events are mapped by agora-map.ts; its own logging is switched
// off (it would print channel details) and log upload disabled.
import type {
  IAgoraRTC,
  IAgoraRTCClient,
  IAgoraRTCRemoteUser,
  ICameraVideoTrack,
  IMicrophoneAudioTrack,
} from "agora-rtc-sdk-ng";
import type { Device, EngineCommand, EngineEvent, JoinParams } from "../ipc/contract";
import { agoraConnection, agoraDeviceError, agoraJoinError, agoraQuality, agoraUid } from "./agora-map";
import { EventFan } from "./emitter";
import type { VideoStats, WebMediaEngine } from "./engine";
import { deviceStatus } from "./media";
import { probeServer } from "./probe";

let sdk: Promise<IAgoraRTC> | null = null;

/** Loads the SDK once, quietly. */
function loadSdk(): Promise<IAgoraRTC> {
  sdk ??= import("agora-rtc-sdk-ng").then((m) => {
    const rtc = m.default;
    rtc.setLogLevel(4); // NONE
    rtc.disableLogUpload();
    return rtc;
  });
  return sdk;
}

function codeOf(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : typeof e?.name === "string" ? e.name : "";
  return { code, message: typeof e?.message === "string" ? e.message : "" };
}

/** The Agora engine. */
export class AgoraEngine implements WebMediaEngine {
  private readonly fan = new EventFan();
  private client: IAgoraRTCClient | null = null;
  private mic: IMicrophoneAudioTrack | null = null;
  private cam: ICameraVideoTrack | null = null;
  private remote: IAgoraRTCRemoteUser | null = null;
  private localEl: HTMLVideoElement | null = null;
  private remoteEl: HTMLVideoElement | null = null;
  private serverUrl: string | null;
  private audioOnly = false;
  private audioMuted = false;
  private videoMuted = false;
  private gen = 0;
  private unhook: (() => void) | null = null;
  private opening: Promise<boolean> | null = null;

  /** An idle engine; `serverUrl` lets the probe work before a join. */
  constructor(options: { serverUrl?: string | null } = {}) {
    this.serverUrl = options.serverUrl ?? null;
  }

  /** Carries out one command; failures become events. */
  async handle(command: EngineCommand): Promise<void> {
    switch (command.op) {
      case "join":
        this.serverUrl = command.server_url;
        return this.join(command.params);
      case "leave":
        return this.leave();
      case "renew_token":
        await this.client?.renewToken(command.token).catch(() => undefined);
        return;
      case "set_audio_muted":
        this.audioMuted = command.muted;
        await this.mic?.setMuted(command.muted).catch(() => undefined);
        return;
      case "set_video_muted":
        this.videoMuted = command.muted;
        await this.cam?.setMuted(command.muted).catch(() => undefined);
        return;
      case "set_audio_only":
        return this.setAudioOnly(command.audio_only);
      case "switch_device":
        return this.switchDevice(command.device, command.device_id);
      case "start_probe":
        this.emit(await probeServer(this.serverUrl));
        return;
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
    return (await loadSdk()).getDevices();
  }

  /** Shows the local camera (opens it for a preview when not joined). */
  async attachLocal(element: HTMLVideoElement): Promise<void> {
    this.localEl = element;
    element.muted = true;
    if (!this.cam && !this.mic) await this.openTracks();
    this.showLocal();
  }

  /** Shows the remote participant. */
  attachRemote(element: HTMLVideoElement): void {
    this.remoteEl = element;
    element.autoplay = true;
    element.playsInline = true;
    element.muted = true; // the SDK plays remote audio itself
    this.showRemote();
  }

  /** Frames shown in the remote element, and the SDK's RTT. */
  async stats(): Promise<VideoStats> {
    const frames = this.remoteEl?.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
    const rtt = this.client?.getRTCStats().RTT;
    return { framesDecoded: frames, rttMs: typeof rtt === "number" ? rtt : null };
  }

  /** Leaves and releases the devices. */
  async dispose(): Promise<void> {
    await this.leave();
    this.unhook?.();
    this.unhook = null;
  }

  private emit(event: EngineEvent): void {
    this.fan.emit(event);
  }

  private async join(params: JoinParams): Promise<void> {
    if (this.client) await this.leave();
    const gen = ++this.gen;
    const rtc = await loadSdk();
    if (!this.mic && !(await this.openTracks())) return;
    if (gen !== this.gen) return;
    const client = rtc.createClient({ mode: "rtc", codec: "vp8" });
    this.client = client;
    client.on("connection-state-change", (cur: string, _prev: string, reason?: string) => {
      const e = agoraConnection(cur, reason);
      if (e && client === this.client) this.emit(e);
    });
    client.on("token-privilege-will-expire", () => this.emit({ type: "token_will_expire" }));
    client.on("token-privilege-did-expire", () => this.emit({ type: "token_expired" }));
    client.on("network-quality", (q: { uplinkNetworkQuality: number; downlinkNetworkQuality: number }) =>
      this.emit(agoraQuality(q.uplinkNetworkQuality, q.downlinkNetworkQuality)),
    );
    client.on("user-joined", (user: IAgoraRTCRemoteUser) => {
      const uid = agoraUid(user.uid);
      if (uid !== null) this.emit({ type: "remote_joined", uid });
    });
    client.on("user-left", (user: IAgoraRTCRemoteUser) => {
      const uid = agoraUid(user.uid);
      if (this.remote?.uid === user.uid) this.remote = null;
      this.showRemote();
      if (uid !== null) this.emit({ type: "remote_left", uid });
    });
    client.on("user-published", (user: IAgoraRTCRemoteUser, kind: string) => void this.published(user, kind));
    client.on("user-unpublished", (user: IAgoraRTCRemoteUser) => this.reportPublished(user));
    this.hookSdk(rtc);
    try {
      await client.join(params.app_id, params.channel, params.token, params.uid);
      if (gen !== this.gen) return;
      const tracks = [this.mic, this.audioOnly ? null : this.cam].filter((t) => t !== null);
      if (tracks.length) await client.publish(tracks);
    } catch (err) {
      if (gen !== this.gen) return;
      const { code, message } = codeOf(err);
      const e = agoraJoinError(code, message);
      if (e) this.emit(e);
    }
  }

  private async leave(): Promise<void> {
    this.gen++;
    const client = this.client;
    this.remote = null;
    if (client) {
      await client.leave().catch(() => undefined);
      client.removeAllListeners();
      this.client = null;
    }
    this.mic?.close();
    this.cam?.close();
    this.mic = this.cam = null;
    this.showLocal();
    this.showRemote();
  }

  /** Device and autoplay events of the SDK (a module-wide emitter): hooked once, unhooked on dispose. */
  private hookSdk(rtc: IAgoraRTC): void {
    if (this.unhook) return;
    const autoplay = () => this.remoteEl?.dispatchEvent(new Event("psyter-autoplay-blocked"));
    const lost = (device: "camera" | "microphone") => (info: { state: string; device: MediaDeviceInfo }) => {
      const track = device === "camera" ? this.cam : this.mic;
      const current = track?.getMediaStreamTrack().getSettings().deviceId;
      if (info.state === "INACTIVE" && info.device.deviceId === current) this.emit({ type: "device_error", device });
    };
    const camera = lost("camera");
    const microphone = lost("microphone");
    rtc.on("autoplay-failed", autoplay);
    rtc.on("camera-changed", camera);
    rtc.on("microphone-changed", microphone);
    this.unhook = () => {
      rtc.off("autoplay-failed", autoplay);
      rtc.off("camera-changed", camera);
      rtc.off("microphone-changed", microphone);
    };
  }

  /** Opens the microphone and camera; false when the microphone was refused. */
  private openTracks(): Promise<boolean> {
    this.opening ??= this.openTracksOnce().finally(() => (this.opening = null));
    return this.opening;
  }

  private async openTracksOnce(): Promise<boolean> {
    const rtc = await loadSdk();
    try {
      [this.mic, this.cam] = await rtc.createMicrophoneAndCameraTracks();
    } catch (both) {
      try {
        this.mic = await rtc.createMicrophoneAudioTrack();
        this.emit(agoraDeviceError(codeOf(both).code, "camera"));
      } catch (err) {
        const e = agoraDeviceError(codeOf(err).code, "microphone");
        this.emit(e);
        return e.type !== "permission_denied";
      }
    }
    await this.mic?.setMuted(this.audioMuted);
    await this.cam?.setMuted(this.videoMuted);
    this.showLocal();
    return true;
  }

  private async published(user: IAgoraRTCRemoteUser, kind: string): Promise<void> {
    const client = this.client;
    if (!client || (kind !== "audio" && kind !== "video")) return;
    this.remote = user;
    if (kind === "audio" || !this.audioOnly) {
      try {
        await client.subscribe(user, kind);
      } catch {
        // The user unpublished meanwhile.
      }
    }
    if (kind === "audio") user.audioTrack?.play();
    this.showRemote();
    this.reportPublished(user);
  }

  private reportPublished(user: IAgoraRTCRemoteUser): void {
    const uid = agoraUid(user.uid);
    this.showRemote();
    if (uid !== null) this.emit({ type: "remote_published", uid, audio: user.hasAudio, video: user.hasVideo });
  }

  private async setAudioOnly(on: boolean): Promise<void> {
    this.audioOnly = on;
    const client = this.client;
    if (!client || client.connectionState !== "CONNECTED") return;
    try {
      if (this.cam) await (on ? client.unpublish(this.cam) : client.publish(this.cam));
      if (this.remote?.hasVideo) {
        if (on) await client.unsubscribe(this.remote, "video");
        else await client.subscribe(this.remote, "video");
      }
    } catch {
      // Published state changes race with the remote side; the next change settles it.
    }
    this.showRemote();
  }

  private async switchDevice(device: Device, deviceId: string): Promise<void> {
    try {
      if (device === "microphone") await this.mic?.setDevice(deviceId);
      else if (device === "camera") await this.cam?.setDevice(deviceId);
      else await this.remote?.audioTrack?.setPlaybackDevice(deviceId);
      this.showLocal();
    } catch (err) {
      this.emit(agoraDeviceError(codeOf(err).code, device));
    }
  }

  private showLocal(): void {
    const el = this.localEl;
    if (!el) return;
    const track = this.cam?.getMediaStreamTrack();
    el.srcObject = track ? new MediaStream([track]) : null;
    if (track) el.play().catch(() => undefined);
  }

  private showRemote(): void {
    const el = this.remoteEl;
    if (!el) return;
    const track = this.audioOnly ? undefined : this.remote?.videoTrack?.getMediaStreamTrack();
    if (!track) {
      el.srcObject = null;
      return;
    }
    const current = el.srcObject instanceof MediaStream ? el.srcObject.getVideoTracks()[0] : undefined;
    if (current === track) return;
    el.srcObject = new MediaStream([track]);
    el.play().catch(() => undefined);
  }
}
