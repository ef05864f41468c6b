import { describe, expect, it } from "vitest";
import {
  backoffMs,
  closeOutcome,
  connectionOf,
  isImpolite,
  parseServerFrame,
  signallingUrl,
  tokenExpiresAt,
} from "./signalling";

describe("parseServerFrame", () => {
  it("accepts every frame the server sends", () => {
    expect(parseServerFrame('{"type":"ready","uid":7,"peers":[9]}')).toEqual({
      ok: true,
      frame: { type: "ready", uid: 7, peers: [9] },
    });
    expect(parseServerFrame('{"type":"peer-joined","uid":9}')).toEqual({ ok: true, frame: { type: "peer-joined", uid: 9 } });
    expect(parseServerFrame('{"type":"peer-left","uid":9}')).toEqual({ ok: true, frame: { type: "peer-left", uid: 9 } });
    expect(parseServerFrame('{"type":"offer","sdp":"v=0","session":"ab12","seq":3,"from":9}')).toEqual({
      ok: true,
      frame: { type: "offer", from: 9, sdp: "v=0", session: "ab12", seq: 3 },
    });
    expect(parseServerFrame('{"type":"answer","sdp":"v=0","session":"ab12","ack":3,"from":9}')).toEqual({
      ok: true,
      frame: { type: "answer", from: 9, sdp: "v=0", session: "ab12", seq: 3 },
    });
    expect(parseServerFrame('{"type":"answer","sdp":"v=0","session":"ab12","from":9}')).toEqual({
      ok: true,
      frame: { type: "answer", from: 9, sdp: "v=0", session: "ab12", seq: null },
    });
    const cand = parseServerFrame(
      '{"type":"candidate","from":9,"session":"s","candidate":{"candidate":"candidate:1 1 udp 1 10.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}}',
    );
    expect(cand.ok && cand.frame.type === "candidate" && cand.frame.candidate?.sdpMid).toBe("0");
    expect(parseServerFrame('{"type":"candidate","from":9,"session":"s","candidate":null}')).toEqual({
      ok: true,
      frame: { type: "candidate", from: 9, session: "s", candidate: null },
    });
    expect(parseServerFrame('{"type":"bye","from":9,"reason":"reset"}')).toEqual({
      ok: true,
      frame: { type: "bye", from: 9, reason: "reset" },
    });
    expect(parseServerFrame('{"type":"bye","from":9}')).toEqual({ ok: true, frame: { type: "bye", from: 9, reason: "leave" } });
  });

  it("refuses malformed frames without throwing, naming only the problem", () => {
    const cases: [unknown, string][] = [
      [42, "not_text"],
      ["not json", "not_json"],
      ["[1,2]", "not_object"],
      ["null", "not_object"],
      ['{"type":"auth","token":"secret"}', "unknown_type"],
      ['{"type":"ready","uid":-1,"peers":[]}', "bad_uid"],
      ['{"type":"ready","uid":1,"peers":["x"]}', "bad_peers"],
      ['{"type":"offer","sdp":"v=0","session":"s"}', "bad_from"],
      ['{"type":"answer","from":1,"sdp":"","session":"s"}', "bad_sdp"],
      ['{"type":"answer","from":1,"sdp":"v=0"}', "bad_session"],
      ['{"type":"offer","from":1,"sdp":"v=0","session":"s","seq":"x"}', "bad_seq"],
      ['{"type":"answer","from":1,"sdp":"v=0","session":"s","ack":-1}', "bad_ack"],
      ['{"type":"candidate","from":1,"session":"s","candidate":{"candidate":5}}', "bad_candidate"],
      ['{"type":"candidate","from":1,"session":"s","candidate":{"candidate":"c","sdpMLineIndex":-2}}', "bad_candidate"],
      ['{"type":"peer-joined","uid":1.5}', "bad_uid"],
      ["x".repeat(70 * 1024), "too_large"],
    ];
    for (const [input, error] of cases) {
      const parsed = parseServerFrame(input);
      expect(parsed).toEqual({ ok: false, error });
      expect(JSON.stringify(parsed)).not.toContain("secret");
    }
  });
});

describe("closeOutcome", () => {
  it("maps the server's close codes onto the call", () => {
    expect(closeOutcome(4401, false)).toEqual({ retry: false, state: "failed", reason: "token_invalid" });
    expect(closeOutcome(4401, true)).toEqual({ retry: false, state: "reconnecting", reason: "token_expired" });
    expect(closeOutcome(4403, false)).toEqual({ retry: false, state: "failed", reason: "join_failed" });
    expect(closeOutcome(4408, false)).toEqual({ retry: false, state: "failed", reason: "join_failed" });
    expect(closeOutcome(4409, false)).toEqual({ retry: false, state: "failed", reason: "same_uid_elsewhere" });
    expect(closeOutcome(4400, false)).toEqual({ retry: false, state: "failed", reason: "config" });
  });

  it("retries dropped connections", () => {
    expect(closeOutcome(1006, false)).toEqual({ retry: true, reason: "network" });
    expect(closeOutcome(1000, false)).toEqual({ retry: true, reason: "network" });
    expect(closeOutcome(1011, false)).toEqual({ retry: true, reason: "server" });
    expect(closeOutcome(1001, true)).toEqual({ retry: true, reason: "server" });
  });
});

describe("connectionOf", () => {
  const base = { everReady: true, socketReady: true, socketReason: "network" as const, mediaTrouble: false };
  it("is connecting until first admitted, then follows the socket and the media path", () => {
    expect(connectionOf({ ...base, everReady: false, socketReady: false })).toEqual({ state: "connecting", reason: "normal" });
    expect(connectionOf(base)).toEqual({ state: "connected", reason: "normal" });
    expect(connectionOf({ ...base, socketReady: false, socketReason: "server" })).toEqual({
      state: "reconnecting",
      reason: "server",
    });
    expect(connectionOf({ ...base, mediaTrouble: true })).toEqual({ state: "reconnecting", reason: "network" });
  });
});

describe("helpers", () => {
  it("derives the socket URL from the API base", () => {
    expect(signallingUrl("http://127.0.0.1:8080")).toBe("ws://127.0.0.1:8080/v1/signalling");
    expect(signallingUrl("https://api.psyter.app/")).toBe("wss://api.psyter.app/v1/signalling");
    expect(signallingUrl("https://x.example/base/?q=1#h")).toBe("wss://x.example/base/v1/signalling");
    expect(() => signallingUrl("ftp://x")).toThrow();
  });

  it("backs off from 250 ms to at most 4 s", () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 30].map((a) => backoffMs(a, mid))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect(backoffMs(0, () => 0)).toBe(200);
    expect(backoffMs(0, () => 1)).toBe(300);
  });

  it("picks the lower uid as the impolite side", () => {
    expect(isImpolite(3, 9)).toBe(true);
    expect(isImpolite(9, 3)).toBe(false);
  });

  it("reads a JWT's expiry and nothing else", () => {
    const payload = btoa(JSON.stringify({ exp: 1_900_000_000, sub: "x" })).replace(/=+$/, "");
    expect(tokenExpiresAt(`h.${payload}.sig`)).toBe(1_900_000_000_000);
    expect(tokenExpiresAt("opaque")).toBeNull();
    expect(tokenExpiresAt("a.!!!.c")).toBeNull();
    expect(tokenExpiresAt(`h.${btoa('{"exp":"soon"}')}.s`)).toBeNull();
  });
});
