// Validation of engine commands arriving from outside the page (the Tauri event and the loopback socket
// bridge): a command of the wrong shape is dropped, never half-executed.
import type { Device, EngineCommand, JoinParams } from "../ipc/contract";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isUid = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff;
const isText = (v: unknown, max = 4096): v is string => typeof v === "string" && v.length <= max;
const DEVICES: readonly string[] = ["microphone", "camera", "speaker"];

function joinParams(v: unknown): JoinParams | null {
  if (!isObject(v)) return null;
  const { app_id, channel, token, uid } = v;
  if (!isText(app_id, 256) || !isText(channel, 256) || !isText(token) || !isUid(uid)) return null;
  return { app_id, channel, token, uid };
}

function isHttpUrl(v: unknown): v is string {
  if (!isText(v, 2048)) return false;
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/** An EngineCommand if `v` is one (extra fields are dropped), else null. */
export function parseCommand(v: unknown): EngineCommand | null {
  if (!isObject(v)) return null;
  const flag = (k: string) => (typeof v[k] === "boolean" ? (v[k] as boolean) : null);
  switch (v.op) {
    case "join": {
      const params = joinParams(v.params);
      const engine = v.engine;
      if (!params || (engine !== "agora" && engine !== "sandbox") || !isHttpUrl(v.server_url)) return null;
      return { op: "join", params, engine, server_url: v.server_url };
    }
    case "leave":
      return { op: "leave" };
    case "start_probe":
      return { op: "start_probe" };
    case "renew_token":
      return isText(v.token) && v.token.length > 0 ? { op: "renew_token", token: v.token } : null;
    case "set_audio_muted":
    case "set_video_muted": {
      const muted = flag("muted");
      return muted === null ? null : { op: v.op, muted };
    }
    case "set_audio_only": {
      const audioOnly = flag("audio_only");
      return audioOnly === null ? null : { op: "set_audio_only", audio_only: audioOnly };
    }
    case "switch_device":
      if (!isText(v.device) || !DEVICES.includes(v.device) || !isText(v.device_id, 512)) return null;
      return { op: "switch_device", device: v.device as Device, device_id: v.device_id };
    default:
      return null;
  }
}

/** The command of a socket-bridge frame `{"command": EngineCommand}`, or null for anything else. */
export function parseBridgeFrame(text: unknown): EngineCommand | null {
  if (typeof text !== "string" || text.length > 16 * 1024) return null;
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? parseCommand(v.command) : null;
  } catch {
    return null;
  }
}
