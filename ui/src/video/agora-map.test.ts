import { describe, expect, it } from "vitest";
import { agoraConnection, agoraDeviceError, agoraJoinError, agoraQuality, agoraUid } from "./agora-map";

const conn = (cur: string, reason?: string) => {
  const e = agoraConnection(cur, reason);
  return e && e.type === "connection" ? [e.state, e.reason] : e;
};

describe("agoraConnection", () => {
  it("maps states the way the core's web_connection does", () => {
    expect(conn("CONNECTING")).toEqual(["connecting", "normal"]);
    expect(conn("CONNECTED")).toEqual(["connected", "normal"]);
    expect(conn("RECONNECTING")).toEqual(["reconnecting", "network"]);
    expect(conn("DISCONNECTED", "LEAVE")).toEqual(["disconnected", "left"]);
    expect(conn("DISCONNECTED", "NETWORK_ERROR")).toEqual(["failed", "network"]);
    expect(conn("DISCONNECTED", "SERVER_ERROR")).toEqual(["failed", "server"]);
    expect(conn("DISCONNECTED", "UID_BANNED")).toEqual(["disconnected", "banned"]);
    expect(conn("DISCONNECTED", "IP_BANNED")).toEqual(["disconnected", "banned"]);
    expect(conn("DISCONNECTED", "CHANNEL_BANNED")).toEqual(["disconnected", "banned"]);
    expect(conn("WHATEVER", "NEW_REASON")).toEqual(["reconnecting", "network"]);
  });

  it("knows the Web SDK's other disconnect reasons", () => {
    expect(conn("DISCONNECTED", "KEEP_ALIVE_TIMEOUT")).toEqual(["failed", "network"]);
    expect(conn("DISCONNECTED", "FALLBACK")).toEqual(["failed", "network"]);
    expect(conn("DISCONNECTED", "TOKEN_EXPIRE")).toEqual(["disconnected", "token_expired"]);
    expect(conn("DISCONNECTED", "LICENSE_EXPIRED")).toEqual(["disconnected", "config"]);
    expect(agoraConnection("DISCONNECTING")).toBeNull();
  });
});

describe("agoraJoinError", () => {
  const reason = (code: string, message = "") => {
    const e = agoraJoinError(code, message);
    return e && e.type === "connection" ? `${e.state}/${e.reason}` : e;
  };
  it("classifies join failures", () => {
    expect(reason("OPERATION_ABORTED")).toBeNull();
    expect(reason("UID_CONFLICT")).toBe("failed/same_uid_elsewhere");
    expect(reason("INVALID_PARAMS")).toBe("failed/config");
    expect(reason("NETWORK_TIMEOUT")).toBe("failed/network");
    expect(reason("CAN_NOT_GET_GATEWAY_SERVER", "flag: 4096, message: invalid token, authorized failed")).toBe(
      "failed/token_invalid",
    );
    expect(reason("CAN_NOT_GET_GATEWAY_SERVER", "dynamic key expired")).toBe("failed/token_expired");
    expect(reason("CAN_NOT_GET_GATEWAY_SERVER", "invalid vendor key, can not find appid")).toBe("failed/config");
    expect(reason("CAN_NOT_GET_GATEWAY_SERVER", "")).toBe("failed/server");
    expect(reason("SOMETHING_NEW", "")).toBe("failed/join_failed");
  });
});

describe("devices, quality, uids", () => {
  it("maps device errors", () => {
    expect(agoraDeviceError("PERMISSION_DENIED", "microphone")).toEqual({ type: "permission_denied", device: "microphone" });
    expect(agoraDeviceError("NOT_READABLE", "camera")).toEqual({ type: "device_error", device: "camera" });
    expect(agoraDeviceError("DEVICE_NOT_FOUND", "camera")).toEqual({ type: "device_error", device: "camera" });
  });

  it("clamps quality to the scale", () => {
    expect(agoraQuality(1, 6)).toEqual({ type: "quality", uplink: 1, downlink: 6 });
    expect(agoraQuality(-3, 9)).toEqual({ type: "quality", uplink: 0, downlink: 0 });
    expect(agoraQuality(2.5, 2)).toEqual({ type: "quality", uplink: 0, downlink: 2 });
  });

  it("accepts numeric uids only", () => {
    expect(agoraUid(42)).toBe(42);
    expect(agoraUid("42")).toBe(42);
    expect(agoraUid("bob")).toBeNull();
    expect(agoraUid(-1)).toBeNull();
  });
});
