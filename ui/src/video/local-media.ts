// The local camera and microphone of an engine: opened on join (or for a preview), muted by disabling
// tracks, switched by device id, and handed to the peer connection as "what we send".
import type { EngineEvent } from "../ipc/contract";
import { acquireMedia, errorName, mediaErrorEvent, openDevice } from "./media";
import type { LocalMedia } from "./peer";

/** The local tracks and the user's choices about them. */
export class LocalMediaState {
  /** The open tracks, or null before opening / after stopping. */
  stream: MediaStream | null = null;
  /** The core's audio-only fallback: no video either way. */
  audioOnly = false;
  private audioMuted = false;
  private videoMuted = false;
  private ids: { microphone?: string; camera?: string } = {};
  private preview: HTMLVideoElement | null = null;
  private opening: Promise<boolean> | null = null;

  /** `emit` receives device and permission events. */
  constructor(private readonly emit: (event: EngineEvent) => void) {}

  /** Opens the devices if needed; false when the microphone was refused (the call cannot go on). */
  open(): Promise<boolean> {
    if (this.stream) return Promise.resolve(true);
    this.opening ??= (async () => {
      const got = await acquireMedia(this.ids);
      for (const e of got.events) this.emit(e);
      this.stream = got.stream;
      this.applyMutes();
      this.showPreview();
      return !got.events.some((e) => e.type === "permission_denied" && e.device === "microphone");
    })().finally(() => (this.opening = null));
    return this.opening;
  }

  /** Shows the camera in `element` (muted, so we never hear ourselves), opening it if needed. */
  async attach(element: HTMLVideoElement): Promise<void> {
    this.preview = element;
    element.muted = true;
    element.autoplay = true;
    element.playsInline = true;
    if (!this.stream) await this.open();
    this.showPreview();
  }

  /** What the peer connection sends now (a muted camera's disabled track sends black frames, so the
   *  other side sees the camera is off rather than a frozen picture). */
  forLink(): LocalMedia {
    const audio = this.stream?.getAudioTracks()[0] ?? null;
    const video = this.stream?.getVideoTracks()[0] ?? null;
    return { audio, video, audioOnly: this.audioOnly };
  }

  /** Mutes the microphone (the track sends silence). */
  setAudioMuted(muted: boolean): void {
    this.audioMuted = muted;
    this.applyMutes();
  }

  /** Stops sending the camera (and blanks the preview). */
  setVideoMuted(muted: boolean): void {
    this.videoMuted = muted;
    this.applyMutes();
  }

  /** Opens another microphone or camera and uses it from now on; a device event on failure. */
  async switchTo(kind: "microphone" | "camera", deviceId: string): Promise<EngineEvent | null> {
    try {
      this.replace(kind, deviceId, await openDevice(kind, deviceId));
      return null;
    } catch (e) {
      return mediaErrorEvent(errorName(e), kind);
    }
  }

  private replace(kind: "microphone" | "camera", deviceId: string, track: MediaStreamTrack): void {
    this.ids[kind] = deviceId;
    if (!this.stream) {
      track.stop();
      return;
    }
    const kind2 = kind === "microphone" ? "audio" : "video";
    for (const t of this.stream.getTracks()) if (t.kind === kind2) t.stop();
    // A new stream object, so the preview element picks the new track up.
    this.stream = new MediaStream([...this.stream.getTracks().filter((t) => t.kind !== kind2), track]);
    this.applyMutes();
    this.showPreview();
  }

  /** Stops every track (the camera light goes off). */
  stop(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.showPreview();
  }

  private applyMutes(): void {
    this.stream?.getAudioTracks().forEach((t) => (t.enabled = !this.audioMuted));
    this.stream?.getVideoTracks().forEach((t) => (t.enabled = !this.videoMuted));
  }

  private showPreview(): void {
    const el = this.preview;
    if (!el || el.srcObject === this.stream) return;
    el.srcObject = this.stream;
    if (this.stream) el.play().catch(() => undefined);
  }
}
