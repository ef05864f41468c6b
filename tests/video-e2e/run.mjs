// End-to-end video test: two Chromium pages (patient on the host, provider inside a network namespace)
// hold a sandbox-engine call through the real psyter-server; the provider's link is then taken down
// for real and brought back. Asserts media both ways, the reconnecting state, and the recovery.
// Usage: node tests/video-e2e/run.mjs   (as root; see README.md for the environment variables)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createNetns, netnsAvailable } from "./netns.mjs";
import { bookCallNow, directFragment, serveStatic, startServer } from "./stack.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const SERVER_BIN = process.env.PSYTER_SERVER_BIN ?? join(repo, "target/debug/psyter-server");
const CHROMIUM = process.env.PSYTER_CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = join(repo, "target/screenshots");
const WORK = join(repo, "target/video-e2e");
const DEADLINE_MS = 115_000;
/** How long the provider's link stays down (long enough for the socket to be recycled and ICE restarted). */
const DROP_MS = Number(process.env.PSYTER_E2E_DROP_MS ?? 12_000);

const started = Date.now();
const secs = (ms) => (ms / 1000).toFixed(1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const results = [];
const cleanups = [];

/** Hides credentials in anything printed (a failed navigation's message quotes the page URL). */
function redact(text) {
  return String(text)
    .replace(/#direct=[A-Za-z0-9_-]+/g, "#direct=<redacted>")
    .replace(/"token"\s*:\s*"[^"]*"/g, '"token":"<redacted>"');
}

function record(ok, line) {
  results.push(ok);
  console.log(redact(`${ok ? "PASS" : "FAIL"} ${line}`));
}

async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await Promise.race([fn(), sleep(5000)]);
    } catch {
      // Best effort: every step runs.
    }
  }
}

async function finish(code) {
  await cleanup();
  const passed = results.filter(Boolean).length;
  const failed = results.length - passed + (code !== 0 && results.every(Boolean) ? 1 : 0);
  console.log(`took ${secs(Date.now() - started)} s`);
  console.log(`video-e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : code);
}

/** The built call page: PSYTER_UI_DIST as given, else a fresh build of call.html only. */
function uiDist() {
  if (process.env.PSYTER_UI_DIST) {
    const dist = resolve(process.env.PSYTER_UI_DIST);
    if (!existsSync(join(dist, "call.html"))) throw new Error(`${dist}/call.html is missing`);
    return dist;
  }
  const vite = join(repo, "ui/node_modules/.bin/vite");
  if (!existsSync(vite)) throw new Error("ui/node_modules is missing: run `npm ci` in ui/ first");
  const out = join(WORK, "ui");
  execFileSync(vite, ["build", "--config", join(here, "vite.config.mjs")], {
    cwd: join(repo, "ui"),
    env: { ...process.env, PSYTER_E2E_UI_OUT: out },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return out;
}

/** Polls `check` (which returns a value or null) until it answers or `ms` pass. */
async function waitFor(what, ms, check) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => null);
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${secs(ms)} s waiting for ${what}`);
    await sleep(250);
  }
}

const probe = {
  state: (page) => page.evaluate(() => window.__psyterCall?.state() ?? "none"),
  frames: (page) => page.evaluate(async () => (await window.__psyterCall?.stats())?.framesDecoded ?? 0),
  states: (page) =>
    page.evaluate(() =>
      (window.__psyterCall?.events() ?? []).filter((e) => e.type === "connection").map((e) => `${e.state}/${e.reason}`),
    ),
};

/** Frames decoded now and `ms` later, on each page. */
async function growth(pages, ms) {
  const before = await Promise.all(pages.map(probe.frames));
  await sleep(ms);
  const after = await Promise.all(pages.map(probe.frames));
  return pages.map((_, i) => ({ before: before[i], after: after[i], grew: after[i] > before[i] && before[i] > 0 }));
}

async function shoot(page, who, phase) {
  await page.screenshot({ path: join(SHOTS, `video-${who}-${phase}.png`) });
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error("run as root: the test makes a network namespace");
  if (!existsSync(SERVER_BIN)) throw new Error(`no server binary at ${SERVER_BIN} (build psyter-server or set PSYTER_SERVER_BIN)`);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  if (!netnsAvailable()) throw new Error("network namespaces are not available here (needs root and iproute2)");
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(WORK, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), "psyter-video-e2e-"));
  cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));

  const dist = uiDist();
  const net = createNetns(tmp, CHROMIUM);
  cleanups.push(async () => net.remove());
  const server = await startServer(SERVER_BIN, join(tmp, "server.db"), net.hostAddr, join(WORK, "server.log"));
  cleanups.push(async () => {
    server.child.kill("SIGTERM");
    await Promise.race([new Promise((r) => server.child.once("exit", r)), sleep(3000)]);
    server.child.kill("SIGKILL");
  });
  const web = await serveStatic(dist, net.hostAddr);
  cleanups.push(() => new Promise((r) => web.server.close(() => r())));
  console.log(`video-e2e: server ${server.url}, page ${web.url}, provider in netns ${net.name} (${net.nsAddr})`);

  const call = await bookCallNow(server.url);
  const args = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    `--unsafely-treat-insecure-origin-as-secure=${web.url}`,
  ];
  const launch = async (executablePath) => {
    const browser = await chromium.launch({ executablePath, args, headless: true, timeout: 30_000 });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    page.on("pageerror", (e) => console.log(redact(`page error: ${String(e.message).slice(0, 200)}`)));
    return page;
  };
  const [patient, provider] = await Promise.all([launch(CHROMIUM), launch(net.chromium)]);
  const pages = [patient, provider];
  await Promise.all([
    patient.goto(`${web.url}/call.html${directFragment(call.patient, server.url)}`),
    provider.goto(`${web.url}/call.html?lang=ar${directFragment(call.provider, server.url)}`),
  ]);

  // 1. Both connected, remote video decoded on both sides and still coming.
  try {
    await waitFor("both pages connected with remote frames", 30_000, async () => {
      const states = await Promise.all(pages.map(probe.state));
      const frames = await Promise.all(pages.map(probe.frames));
      return states.every((s) => s === "connected") && frames.every((f) => f > 0);
    });
    const g = await growth(pages, 1500);
    await Promise.all([shoot(patient, "patient", "connected"), shoot(provider, "provider", "connected")]);
    record(
      g.every((x) => x.grew),
      `media flows both ways: patient decoded ${g[0].after} frames (+${g[0].after - g[0].before} in 1.5 s), provider ${g[1].after} (+${g[1].after - g[1].before})`,
    );
  } catch (e) {
    record(false, `media flows both ways: ${e.message} (states ${await Promise.all(pages.map(probe.state))})`);
    return;
  }

  // 2. The provider's network goes down for real: both pages must say "reconnecting".
  const dropAt = Date.now();
  net.down();
  try {
    const [tProvider, tPatient] = await Promise.all(
      [provider, patient].map((page) =>
          waitFor("reconnecting", 25_000, async () => ((await probe.state(page)) === "reconnecting" ? Date.now() - dropAt : null)),
        ),
    );
    const during = await growth([patient], 1500);
    await Promise.all([shoot(patient, "patient", "reconnecting"), shoot(provider, "provider", "reconnecting")]);
    record(
      true,
      `link down: provider reconnecting after ${secs(tProvider)} s, patient after ${secs(tPatient)} s; patient frames +${during[0].after - during[0].before} while down`,
    );
  } catch (e) {
    record(false, `link down: ${e.message} (states ${await Promise.all(pages.map(probe.state))})`);
  }
  const heldFor = Date.now() - dropAt;
  if (heldFor < DROP_MS) await sleep(DROP_MS - heldFor);
  const upAt = Date.now();
  net.up();

  // 3. Recovery: both connected again and frames growing again.
  try {
    await waitFor("both pages connected again", 40_000, async () =>
      (await Promise.all(pages.map(probe.state))).every((s) => s === "connected"),
    );
    const tBack = Date.now() - upAt;
    const g = await waitFor("frames growing again", 15_000, async () => {
      const s = await growth(pages, 1000);
      return s.every((x) => x.grew) ? s : null;
    });
    await Promise.all([shoot(patient, "patient", "recovered"), shoot(provider, "provider", "recovered")]);
    record(
      true,
      `recovered: both connected ${secs(tBack)} s after the link came back (down ${secs(upAt - dropAt)} s); frames +${g[0].after - g[0].before} patient, +${g[1].after - g[1].before} provider`,
    );
  } catch (e) {
    record(false, `recovered: ${e.message} (states ${await Promise.all(pages.map(probe.state))})`);
  }
  // 4. Audio-only (the core's fallback on a poor network): video stops both ways, the call stays up,
  //    and comes back when it is switched off again (a renegotiation started by the patient's side).
  try {
    const audioOnly = (on) => patient.evaluate((v) => window.__psyterCall.command({ op: "set_audio_only", audio_only: v }), on);
    await audioOnly(true);
    await sleep(2000); // the renegotiation settles, frames in flight drain
    const still = await growth(pages, 2000);
    const states = await Promise.all(pages.map(probe.state));
    await audioOnly(false);
    const back = await waitFor("video back after audio-only", 15_000, async () => {
      const s = await growth(pages, 1000);
      return s.every((x) => x.grew) ? s : null;
    });
    const ok = still.every((x) => x.after === x.before) && states.every((st) => st === "connected");
    record(
      ok,
      `audio-only: video frames +${still[0].after - still[0].before}/+${still[1].after - still[1].before} while on (states ${states}), +${back[0].after - back[0].before}/+${back[1].after - back[1].before} after`,
    );
  } catch (e) {
    record(false, `audio-only: ${e.message}`);
  }
  console.log(`provider states: ${(await probe.states(provider)).join(" -> ")}`);
  console.log(`patient states: ${(await probe.states(patient)).join(" -> ")}`);
}

const deadline = setTimeout(() => {
  record(false, `the whole test took longer than ${secs(DEADLINE_MS)} s`);
  void finish(1);
}, DEADLINE_MS);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void finish(130));

main()
  .then(() => finish(0))
  .catch((e) => {
    record(false, `setup: ${e.message}`);
    return finish(1);
  })
  .finally(() => clearTimeout(deadline));
