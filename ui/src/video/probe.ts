// The network probe of the pre-call check, for engines without one of their own (the sandbox engine, and
// Agora's Web SDK, which has no last-mile test): a few timed round trips to the API server's /healthz.
import type { EngineEvent } from "../ipc/contract";
import { probeFromRtts } from "./quality";

/** How many round trips a probe makes. */
const ROUNDS = 4;
/** How long one round trip may take before it counts as lost. */
const ROUND_TIMEOUT_MS = 1500;

/** Times one request (an opaque no-cors GET: only its timing matters); null when it fails or times out. */
async function roundTrip(url: string): Promise<number | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ROUND_TIMEOUT_MS);
  const started = performance.now();
  try {
    await fetch(url, { mode: "no-cors", cache: "no-store", credentials: "omit", signal: abort.signal });
    return performance.now() - started;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Probes the path to the API server; without a server URL the result is "unknown" (0). */
export async function probeServer(serverUrl: string | null): Promise<EngineEvent> {
  if (!serverUrl) return { type: "probe", uplink: 0, downlink: 0, rtt_ms: 0 };
  const url = `${serverUrl.replace(/\/+$/, "")}/healthz`;
  const rtts: (number | null)[] = [];
  for (let i = 0; i < ROUNDS; i++) rtts.push(await roundTrip(url));
  return { type: "probe", ...probeFromRtts(rtts) };
}
