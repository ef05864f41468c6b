// Local media for the page's engines: the camera and microphone through getUserMedia, with its errors
// turned into engine events (NotAllowedError -> permission_denied, NotFoundError and the rest ->
// device_error), and the device status of the pre-call check.
import type { Device, DeviceStatus, EngineEvent } from "../ipc/contract";

/** The device event for a getUserMedia (or SDK) error name, for `device`. */
export function mediaErrorEvent(errorName: string, device: Device): EngineEvent {
  return errorName === "NotAllowedError" || errorName === "SecurityError" || errorName === "PermissionDeniedError"
    ? { type: "permission_denied", device }
    : { type: "device_error", device };
}

/** The name of a thrown DOMException-like error ("" when unknown). */
export function errorName(err: unknown): string {
  return typeof err === "object" && err !== null && typeof (err as { name?: unknown }).name === "string"
    ? (err as { name: string }).name
    : "";
}

/** What acquiring local media gave: the stream (null without a microphone), and what went wrong. */
export interface Acquired {
  /** Audio (and video, when the camera works) tracks. */
  stream: MediaStream | null;
  /** Device and permission events to report. */
  events: EngineEvent[];
}

/** Opens the microphone and camera; a refused or missing camera leaves an audio-only stream. */
export async function acquireMedia(ids: { microphone?: string; camera?: string } = {}): Promise<Acquired> {
  const md = navigator.mediaDevices;
  const audio: MediaTrackConstraints | boolean = ids.microphone ? { deviceId: { exact: ids.microphone } } : true;
  const video: MediaTrackConstraints = {
    width: { ideal: 640 },
    height: { ideal: 480 },
    frameRate: { ideal: 24, max: 30 },
    ...(ids.camera ? { deviceId: { exact: ids.camera } } : {}),
  };
  try {
    return { stream: await md.getUserMedia({ audio, video }), events: [] };
  } catch (both) {
    // Which one failed? Try the microphone alone: the call can go on without the camera.
    try {
      const stream = await md.getUserMedia({ audio });
      return { stream, events: [mediaErrorEvent(errorName(both), "camera")] };
    } catch (mic) {
      return { stream: null, events: [mediaErrorEvent(errorName(mic), "microphone")] };
    }
  }
}

/** Opens one device of a kind by id, for switching; throws the getUserMedia error. */
export async function openDevice(kind: "microphone" | "camera", deviceId: string): Promise<MediaStreamTrack> {
  const constraints: MediaStreamConstraints =
    kind === "microphone" ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } };
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  const track = stream.getTracks()[0];
  if (!track) throw new DOMException("no track", "NotFoundError");
  return track;
}

async function permissionAllowed(name: "camera" | "microphone"): Promise<boolean | null> {
  try {
    const status = await navigator.permissions.query({ name: name as PermissionName });
    return status.state !== "denied";
  } catch {
    return null;
  }
}

/**
 * The device status. `ask`: open both devices once (the browser asks for permission) and close them
 * again; otherwise only look (device list and the Permissions API; "prompt" counts as allowed, since
 * joining will ask).
 */
export async function deviceStatus(ask: boolean): Promise<DeviceStatus> {
  const md = typeof navigator !== "undefined" ? navigator.mediaDevices : undefined;
  const none: DeviceStatus = { microphone: false, microphone_allowed: false, camera: false, camera_allowed: false };
  if (!md?.enumerateDevices) return none;
  let micAllowed = await permissionAllowed("microphone");
  let camAllowed = await permissionAllowed("camera");
  let micPresent: boolean | null = null;
  let camPresent: boolean | null = null;
  if (ask) {
    const got = await acquireMedia();
    got.stream?.getTracks().forEach((t) => t.stop());
    if (got.stream) {
      micAllowed = micPresent = true;
      if (got.stream.getVideoTracks().length > 0) camAllowed = camPresent = true;
    }
    for (const e of got.events) {
      if (e.type !== "permission_denied" && e.type !== "device_error") continue;
      const denied = e.type === "permission_denied";
      if (e.device === "microphone") {
        if (denied) micAllowed = false;
        else micPresent = false;
      } else if (e.device === "camera") {
        if (denied) camAllowed = false;
        else camPresent = false;
      }
    }
  }
  let list: MediaDeviceInfo[] = [];
  try {
    list = await md.enumerateDevices();
  } catch {
    // No list: presence stays unknown and counts as absent.
  }
  return {
    microphone: micPresent ?? list.some((d) => d.kind === "audioinput"),
    microphone_allowed: micAllowed ?? true,
    camera: camPresent ?? list.some((d) => d.kind === "videoinput"),
    camera_allowed: camAllowed ?? true,
  };
}
