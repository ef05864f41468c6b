// The call page's URL fragment: `#bridge=<ws url>` (the desktop shell steers the engine over its
// loopback socket) or `#direct=<base64url JSON {engine, server_url, params}>` (the page joins by itself;
// tests and QA). Parsed without trusting it: a bridge must be a loopback ws:// URL, a direct join must be
// a valid join command.
import type { EngineCommand } from "../ipc/contract";
import { parseCommand } from "../video/commands";

/** The join command of direct mode. */
export type JoinCommand = Extract<EngineCommand, { op: "join" }>;

/** What the page should do. */
export type CallMode = { mode: "bridge"; url: string } | { mode: "direct"; join: JoinCommand } | { mode: "invalid" };

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Decodes base64url (with or without padding) as UTF-8. */
export function fromBase64Url(text: string): string {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/** Encodes UTF-8 text as unpadded base64url (how tests build direct links). */
export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Reads the mode from `location.hash`. */
export function parseFragment(hash: string): CallMode {
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  const eq = h.indexOf("=");
  if (eq < 0) return { mode: "invalid" };
  const key = h.slice(0, eq);
  const value = h.slice(eq + 1);
  try {
    if (key === "bridge") {
      const url = new URL(decodeURIComponent(value));
      if (url.protocol !== "ws:" || !LOOPBACK.has(url.hostname)) return { mode: "invalid" };
      return { mode: "bridge", url: url.toString() };
    }
    if (key === "direct") {
      const v: unknown = JSON.parse(fromBase64Url(value));
      const join = parseCommand(typeof v === "object" && v !== null ? { ...v, op: "join" } : null);
      return join?.op === "join" ? { mode: "direct", join } : { mode: "invalid" };
    }
  } catch {
    return { mode: "invalid" };
  }
  return { mode: "invalid" };
}
