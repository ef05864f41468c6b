// The sandbox engine's signalling vocabulary (server/src/signalling.rs), as pure functions: where the
// socket is, what the server may send (validated, never trusted), what we send, what a close code
// means for the call, and the reconnection backoff.
//
// Frames we send: `auth {token}` first; then `offer` {sdp, session, seq}, `answer` {sdp, session, ack},
// `candidate` {candidate, session} and `bye` {reason: "leave" | "reset"}. `session` names the sender's
// RTCPeerConnection, so a side that rebuilt its connection is recognised; `seq` numbers a side's offers
// and `ack` names the offer an answer answers, so an answer to an offer taken back is ignored. `bye` "leave" means the
// sender left the call; "reset" means "my end of our connection is gone, start a fresh one".
import type { ConnectionReason, EngineConnection } from "../ipc/contract";

/** The largest frame the server relays (64 KiB). */
export const MAX_FRAME = 64 * 1024;

/** Why the sender of a `bye` dropped its connection. */
export type ByeReason = "leave" | "reset";

/** A frame from the signalling server, after validation. */
export type ServerFrame =
  | { type: "ready"; uid: number; peers: number[] }
  | { type: "peer-joined"; uid: number }
  | { type: "peer-left"; uid: number }
  | { type: "offer" | "answer"; from: number; sdp: string; session: string; seq: number | null }
  | { type: "candidate"; from: number; session: string; candidate: RTCIceCandidateInit | null }
  | { type: "bye"; from: number; reason: ByeReason };

/** A parsed frame, or why it was refused (the reason names the problem, never the content). */
export type Parsed = { ok: true; frame: ServerFrame } | { ok: false; error: string };

type Json = Record<string, unknown>;

function isUid(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff;
}

function isSession(v: unknown): v is string {
  return typeof v === "string" && v.length > 0 && v.length <= 64;
}

function candidateOf(v: unknown): RTCIceCandidateInit | null | undefined {
  if (v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) return undefined;
  const c = v as Json;
  if (typeof c.candidate !== "string" || c.candidate.length > 2048) return undefined;
  const mid = c.sdpMid;
  const index = c.sdpMLineIndex;
  const ufrag = c.usernameFragment;
  if (mid !== undefined && mid !== null && typeof mid !== "string") return undefined;
  if (index !== undefined && index !== null && !(Number.isInteger(index) && (index as number) >= 0)) return undefined;
  if (ufrag !== undefined && ufrag !== null && typeof ufrag !== "string") return undefined;
  return {
    candidate: c.candidate,
    sdpMid: (mid as string | null | undefined) ?? null,
    sdpMLineIndex: (index as number | null | undefined) ?? null,
    usernameFragment: (ufrag as string | null | undefined) ?? null,
  };
}

/** Validates one text frame from the server; malformed or unknown frames are refused, never thrown. */
export function parseServerFrame(text: unknown): Parsed {
  if (typeof text !== "string") return { ok: false, error: "not_text" };
  if (text.length > MAX_FRAME) return { ok: false, error: "too_large" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "not_json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: "not_object" };
  const v = value as Json;
  const bad = (what: string): Parsed => ({ ok: false, error: `bad_${what}` });
  switch (v.type) {
    case "ready":
      if (!isUid(v.uid)) return bad("uid");
      if (!Array.isArray(v.peers) || !v.peers.every(isUid)) return bad("peers");
      return { ok: true, frame: { type: "ready", uid: v.uid, peers: v.peers } };
    case "peer-joined":
    case "peer-left":
      return isUid(v.uid) ? { ok: true, frame: { type: v.type, uid: v.uid } } : bad("uid");
    case "offer":
    case "answer": {
      if (!isUid(v.from)) return bad("from");
      if (typeof v.sdp !== "string" || v.sdp.length === 0) return bad("sdp");
      if (!isSession(v.session)) return bad("session");
      const seq = v.type === "offer" ? v.seq : v.ack;
      if (seq !== undefined && !isUid(seq)) return bad(v.type === "offer" ? "seq" : "ack");
      return { ok: true, frame: { type: v.type, from: v.from, sdp: v.sdp, session: v.session, seq: seq ?? null } };
    }
    case "candidate": {
      if (!isUid(v.from)) return bad("from");
      if (!isSession(v.session)) return bad("session");
      const candidate = candidateOf(v.candidate);
      if (candidate === undefined) return bad("candidate");
      return { ok: true, frame: { type: "candidate", from: v.from, session: v.session, candidate } };
    }
    case "bye":
      if (!isUid(v.from)) return bad("from");
      return { ok: true, frame: { type: "bye", from: v.from, reason: v.reason === "reset" ? "reset" : "leave" } };
    default:
      return { ok: false, error: "unknown_type" };
  }
}

/** A frame we send (the server stamps `from` on relayed ones). */
export type ClientFrame =
  | { type: "auth"; token: string }
  | { type: "offer"; sdp: string; session: string; seq: number }
  | { type: "answer"; sdp: string; session: string; ack: number }
  | { type: "candidate"; candidate: RTCIceCandidateInit | null; session: string }
  | { type: "bye"; reason: ByeReason };

/** The signalling socket's URL for an API base URL: http -> ws, https -> wss, plus /v1/signalling. */
export function signallingUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("server_url must be http(s)");
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/signalling`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

/** What a closed signalling socket means: retry by ourselves, or report and stop. */
export type CloseOutcome =
  | { retry: true; reason: ConnectionReason }
  | { retry: false; state: EngineConnection; reason: ConnectionReason };

/**
 * Maps a WebSocket close code (server/src/signalling.rs) onto the call: 4401 a refused token (or an
 * expired one, when we know it is past its expiry: the core then fetches a fresh one), 4403 not
 * allowed now (not a participant, or outside the join window), 4408 the window closed, 4409 the same
 * uid connected elsewhere, 4400 a frame the server did not accept (a protocol mismatch). Anything else
 * is a dropped connection we retry.
 */
export function closeOutcome(code: number, tokenExpired: boolean): CloseOutcome {
  switch (code) {
    case 4401:
      return tokenExpired
        ? { retry: false, state: "reconnecting", reason: "token_expired" }
        : { retry: false, state: "failed", reason: "token_invalid" };
    case 4403:
    case 4408:
      return { retry: false, state: "failed", reason: "join_failed" };
    case 4409:
      return { retry: false, state: "failed", reason: "same_uid_elsewhere" };
    case 4400:
      return { retry: false, state: "failed", reason: "config" };
    case 1001:
    case 1011:
    case 1012:
    case 1013:
    case 1014:
      return { retry: true, reason: "server" };
    default:
      return { retry: true, reason: "network" };
  }
}

/** Delay before reconnection attempt `attempt` (0-based): 250 ms doubling to 4 s, with ±20% jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(4000, 250 * 2 ** Math.max(0, Math.min(attempt, 10)));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Whether this side is the impolite one in perfect negotiation (the lower uid; it also builds the
 *  first connection and drives ICE restarts). */
export function isImpolite(myUid: number, peerUid: number): boolean {
  return myUid < peerUid;
}

/** When a JWT-shaped token expires (epoch milliseconds), from its unverified `exp`; null if unknown. */
export function tokenExpiresAt(token: string): number | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    const claims: unknown = JSON.parse(atob(b64));
    const exp = (claims as Json | null)?.exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** What the sandbox engine knows about its connection, for `connectionOf`. */
export interface LinkFacts {
  /** The server admitted us at least once in this join. */
  everReady: boolean;
  /** The signalling socket is admitted now. */
  socketReady: boolean;
  /** Why the socket is down, when it is. */
  socketReason: ConnectionReason;
  /** The media path to the other side went down and has not come back yet. */
  mediaTrouble: boolean;
}

/** The engine's connection state while joined: connecting until first admitted, then connected, or
 *  reconnecting while the socket or the media path is down. */
export function connectionOf(f: LinkFacts): { state: EngineConnection; reason: ConnectionReason } {
  if (!f.everReady) return { state: "connecting", reason: "normal" };
  if (!f.socketReady) return { state: "reconnecting", reason: f.socketReason };
  if (f.mediaTrouble) return { state: "reconnecting", reason: "network" };
  return { state: "connected", reason: "normal" };
}
