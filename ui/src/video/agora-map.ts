// Agora Web SDK (agora-rtc-sdk-ng) vocabulary mapped onto engine events, as pure functions: the
// `connection-state-change` states and ConnectionDisconnectedReason, join errors, device errors and
// network quality. Mirrors core/src/video/agora.rs `web_connection` for the words both know.
import type { ConnectionReason, Device, EngineConnection, EngineEvent } from "../ipc/contract";

/** A connection change as an engine event; null for states the core need not hear (DISCONNECTING). */
export function agoraConnection(curState: string, reason?: string): EngineEvent | null {
  let state: EngineConnection;
  switch (curState) {
    case "CONNECTING":
      state = "connecting";
      break;
    case "CONNECTED":
      state = "connected";
      break;
    case "RECONNECTING":
      state = "reconnecting";
      break;
    case "DISCONNECTING":
      return null;
    case "DISCONNECTED":
      state = "disconnected";
      break;
    default:
      state = "reconnecting";
  }
  const why = disconnectReason(reason, state);
  // The SDK reports a connection it could not get back (after its own retries) as DISCONNECTED.
  if (state === "disconnected" && (why === "network" || why === "server")) state = "failed";
  return { type: "connection", state, reason: why };
}

function disconnectReason(reason: string | undefined, state: EngineConnection): ConnectionReason {
  switch (reason) {
    case undefined:
      return state === "reconnecting" ? "network" : "normal";
    case "LEAVE":
      return "left";
    case "NETWORK_ERROR":
    case "KEEP_ALIVE_TIMEOUT":
    case "FALLBACK":
      return "network";
    case "SERVER_ERROR":
      return "server";
    case "UID_BANNED":
    case "IP_BANNED":
    case "CHANNEL_BANNED":
      return "banned";
    case "TOKEN_EXPIRE":
      return "token_expired";
    default:
      // LICENSE_* and the like are configuration; anything newer counts as network trouble.
      return reason.startsWith("LICENSE_") ? "config" : "network";
  }
}

/** Why `client.join` failed, from the AgoraRTCError's code and message; null when we aborted it. */
export function agoraJoinError(code: string, message: string): EngineEvent | null {
  const m = message.toLowerCase();
  const failed = (reason: ConnectionReason): EngineEvent => ({ type: "connection", state: "failed", reason });
  switch (code) {
    case "OPERATION_ABORTED":
      return null;
    case "UID_CONFLICT":
      return failed("same_uid_elsewhere");
    case "INVALID_PARAMS":
      return failed("config");
    case "TOKEN_EXPIRE":
      return failed("token_expired");
    case "NETWORK_ERROR":
    case "NETWORK_TIMEOUT":
    case "NETWORK_RESPONSE_ERROR":
    case "WS_ABORT":
    case "WS_DISCONNECT":
    case "WS_ERR":
    case "TIMEOUT":
      return failed("network");
  }
  if (m.includes("expired")) return failed("token_expired");
  if (m.includes("vendor key") || m.includes("appid") || m.includes("app id")) return failed("config");
  if (m.includes("token") || m.includes("authorized failed")) return failed("token_invalid");
  if (m.includes("banned")) return failed("banned");
  if (code === "CAN_NOT_GET_GATEWAY_SERVER") return failed("server");
  return failed("join_failed");
}

/** A device error from creating or switching an Agora track. */
export function agoraDeviceError(code: string, device: Device): EngineEvent {
  return code === "PERMISSION_DENIED" || code === "NotAllowedError"
    ? { type: "permission_denied", device }
    : { type: "device_error", device };
}

/** `network-quality` on Agora's 0-6 scale; values outside it count as unknown (0). */
export function agoraQuality(uplink: number, downlink: number): EngineEvent {
  const clamp = (q: number) => (Number.isInteger(q) && q >= 0 && q <= 6 ? q : 0);
  return { type: "quality", uplink: clamp(uplink), downlink: clamp(downlink) };
}

/** A remote uid from the SDK (numbers; string uids are not used by Psyter) or null. */
export function agoraUid(uid: unknown): number | null {
  const n = typeof uid === "string" ? Number(uid) : uid;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff ? n : null;
}
