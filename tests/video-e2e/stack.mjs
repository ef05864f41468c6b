// The test's backend: the real psyter-server on a temp database, a tiny static server for the built call
// page, and the API calls that make an appointment starting within minutes and fetch both video tokens.
// Nothing here prints a token.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

/** Starts `psyter-server --db <tmp> --listen <host>:0 --seed demo`; resolves with its base URL. */
export function startServer(bin, dbPath, host, logPath) {
  const child = spawn(bin, ["--db", dbPath, "--listen", `${host}:0`, "--seed", "demo"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "warn" },
  });
  const log = createWriteStream(logPath);
  child.stderr.pipe(log);
  return new Promise((resolvePromise, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("psyter-server did not report its address in 15 s")), 15_000);
    child.on("error", (e) => reject(e));
    child.on("exit", (code) => reject(new Error(`psyter-server exited early (${code}); see ${logPath}`)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      log.write(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1] });
      }
    });
  });
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
};

/** Serves `root` read-only on `host`:0; resolves with `{ server, url }`. */
export function serveStatic(root, host) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(base, path === "/" ? "call.html" : path));
    let ok = false;
    try {
      ok = (file === base || file.startsWith(base + sep)) && statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (req.method !== "GET" || !ok) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolvePromise({ server, url: `http://${host}:${server.address().port}` }));
  });
}

async function api(base, method, path, { token, body, headers = {} } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) {
    // Problem documents name the error, never the credentials.
    throw new Error(`${method} ${path.replace(/[0-9a-f-]{36}/g, ":id")} -> ${res.status} ${text.slice(0, 300)}`);
  }
  return text ? JSON.parse(text) : null;
}

const ALL_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/**
 * Registers a provider bookable every 5 minutes with no minimum notice (as cli/tests/video.rs does) and a
 * patient, books the provider's next slot (so it starts inside the 10-minute join window) and fetches
 * both participants' video credentials.
 */
export async function bookCallNow(base) {
  const tag = randomUUID().slice(0, 8);
  const password = "correct horse battery";
  const provider = await api(base, "POST", "/v1/auth/register", {
    body: { email: `e2e-dr-${tag}@test.psyter.app`, password, display_name: "Dr. Vida Call", role: "provider", time_zone: "UTC" },
  });
  await api(base, "PUT", "/v1/me/availability", {
    token: provider.access_token,
    body: {
      time_zone: "UTC",
      weekly: ALL_DAYS.map((day) => ({ day, start: "00:00", end: "00:00" })),
      overrides: [],
      buffer_before_minutes: 0,
      buffer_after_minutes: 0,
      minimum_notice_minutes: 0,
      booking_window_days: 2,
      slot_interval_minutes: 5,
      session_minutes: 30,
      daily_limit: null,
    },
  });
  const patient = await api(base, "POST", "/v1/auth/register", {
    body: { email: `e2e-pt-${tag}@test.psyter.app`, password, display_name: "Pat Ient", role: "patient", time_zone: "UTC" },
  });
  const slots = await api(base, "GET", `/v1/providers/${provider.user.id}/slots`);
  const slot = slots.slots[0];
  if (!slot) throw new Error("the provider has no free slot");
  const startsIn = (Date.parse(slot.start) - Date.now()) / 60_000;
  if (startsIn > 10) throw new Error(`the next slot starts in ${startsIn.toFixed(1)} min, outside the join window`);
  const appt = await api(base, "POST", "/v1/appointments", {
    token: patient.access_token,
    headers: { "idempotency-key": randomUUID() },
    body: { provider_id: provider.user.id, start: slot.start, reason: "video e2e" },
  });
  const path = `/v1/appointments/${appt.id}/video-token`;
  const patientCreds = await api(base, "POST", path, { token: patient.access_token });
  const providerCreds = await api(base, "POST", path, { token: provider.access_token });
  return { appointmentStart: slot.start, patient: patientCreds, provider: providerCreds };
}

/** The call page's `#direct=` fragment for a participant's credentials. */
export function directFragment(creds, serverUrl) {
  const join = {
    engine: creds.engine,
    server_url: serverUrl,
    params: { app_id: creds.app_id, channel: creds.channel, token: creds.token, uid: creds.uid },
  };
  return `#direct=${Buffer.from(JSON.stringify(join)).toString("base64url")}`;
}
