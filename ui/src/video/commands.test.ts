import { describe, expect, it } from "vitest";
import { parseBridgeFrame, parseCommand } from "./commands";

const join = {
  op: "join",
  engine: "sandbox",
  server_url: "http://127.0.0.1:8080",
  params: { app_id: "sandbox", channel: "psyter-1", token: "t", uid: 7 },
};

describe("parseCommand", () => {
  it("accepts every command of the contract", () => {
    expect(parseCommand(join)).toEqual(join);
    expect(parseCommand({ op: "leave" })).toEqual({ op: "leave" });
    expect(parseCommand({ op: "start_probe" })).toEqual({ op: "start_probe" });
    expect(parseCommand({ op: "renew_token", token: "n" })).toEqual({ op: "renew_token", token: "n" });
    expect(parseCommand({ op: "set_audio_muted", muted: true })).toEqual({ op: "set_audio_muted", muted: true });
    expect(parseCommand({ op: "set_video_muted", muted: false })).toEqual({ op: "set_video_muted", muted: false });
    expect(parseCommand({ op: "set_audio_only", audio_only: true })).toEqual({ op: "set_audio_only", audio_only: true });
    expect(parseCommand({ op: "switch_device", device: "camera", device_id: "x" })).toEqual({
      op: "switch_device",
      device: "camera",
      device_id: "x",
    });
  });

  it("drops malformed commands", () => {
    for (const bad of [
      null,
      "leave",
      { op: "explode" },
      { ...join, engine: "zoom" },
      { ...join, server_url: "file:///etc/passwd" },
      { ...join, params: { ...join.params, uid: -1 } },
      { op: "set_audio_muted", muted: "yes" },
      { op: "switch_device", device: "printer", device_id: "x" },
      { op: "renew_token", token: "" },
    ]) {
      expect(parseCommand(bad)).toBeNull();
    }
  });
});

describe("parseBridgeFrame", () => {
  it("unwraps {command} frames and ignores the rest", () => {
    expect(parseBridgeFrame(JSON.stringify({ command: { op: "leave" } }))).toEqual({ op: "leave" });
    expect(parseBridgeFrame(JSON.stringify({ op: "leave" }))).toBeNull();
    expect(parseBridgeFrame("{")).toBeNull();
    expect(parseBridgeFrame(new ArrayBuffer(2))).toBeNull();
  });
});
