// The media engine as the UI sees it: the core sends EngineCommands (join, leave, renew, mute, ...),
// the engine answers with EngineEvents. Two implementations: Agora's Web SDK (agora-rtc-sdk-ng) when
// the server hands out Agora credentials, and the sandbox WebRTC engine over the server's signalling.
import type { DeviceStatus, EngineCommand, EngineEvent } from "../ipc/contract";

/** Receiving video statistics, for tests and the quality indicator. */
export interface VideoStats {
  /** Remote video frames decoded so far. */
  framesDecoded: number;
  /** Round-trip time in milliseconds, when known. */
  rttMs: number | null;
}

/** A media engine running in this page. */
export interface WebMediaEngine {
  /** Carries out one command from the core. Failures are reported as events, never thrown. */
  handle(command: EngineCommand): Promise<void>;
  /** Subscribes to the engine's events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Which devices are present and allowed (asks for permission once, for the pre-call check). */
  devices(): Promise<DeviceStatus>;
  /** The cameras, microphones and speakers, for the device pickers. */
  listDevices(): Promise<MediaDeviceInfo[]>;
  /** Shows the local camera in this element (a self preview works before joining). */
  attachLocal(element: HTMLVideoElement): Promise<void>;
  /** Shows the remote participant in this element. */
  attachRemote(element: HTMLVideoElement): void;
  /** Current receiving statistics. */
  stats(): Promise<VideoStats>;
  /** Leaves, stops every track and closes every connection. */
  dispose(): Promise<void>;
}

/** Whether this page can hold a WebRTC call (WebKitGTK's webview cannot). */
export function hasWebRTC(): boolean {
  return (
    typeof RTCPeerConnection !== "undefined" &&
    typeof navigator !== "undefined" &&
    typeof navigator.mediaDevices?.getUserMedia === "function"
  );
}
