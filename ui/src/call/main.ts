// The standalone call page (call.html): plain DOM, English or Arabic (`?lang=ar`), in one of two modes
// read from the fragment: `#bridge=<ws url>` (steered by the desktop shell over its loopback socket) or
// `#direct=<base64url JSON {engine, server_url, params}>` (joins by itself; tests and QA). Exposes
// `window.__psyterCall` for tests: the connection state, every engine event, and video statistics.
import "./call.css";
import type { EngineCommand, EngineConnection, EngineEvent } from "../ipc/contract";
import { connectSocketBridge, type SocketBridge } from "../video/bridge";
import { hasWebRTC, type VideoStats, type WebMediaEngine } from "../video/engine";
import { EngineHost, realEngines } from "../video/host";
import { parseFragment } from "./fragment";
import { dirOf, pickLang, Strings } from "./l10n";
import { elements, labelButtons, localise, noticeFor, showNotice, statusId } from "./view";

/** The test hook on `window`. */
export interface CallProbe {
  /** "idle", then the engine's connection state ("connecting", "connected", "reconnecting", ...). */
  state(): string;
  /** Every event the engine reported, in order. */
  events(): EngineEvent[];
  /** Receiving statistics. */
  stats(): Promise<VideoStats>;
  /** Direct mode only (the page is its own core there): carries out an engine command, for QA. */
  command?(command: EngineCommand): Promise<void>;
}

declare global {
  interface Window {
    __psyterCall?: CallProbe;
  }
}

const MAX_EVENTS = 2000;

function start(): void {
  const lang = pickLang(new URLSearchParams(location.search).get("lang"));
  const s = new Strings(lang);
  localise(document, s, dirOf(lang));
  const els = elements();
  let state: EngineConnection | "idle" = "idle";
  let audioMuted = false;
  let videoMuted = false;
  let remotePresent = false;
  const log: EngineEvent[] = [];

  const render = () => {
    els.status.textContent = s.t(statusId(state));
    els.waiting.hidden = remotePresent || state !== "connected";
    labelButtons(els, s, audioMuted, videoMuted);
    const over = state === "disconnected" || state === "failed";
    els.mic.disabled = els.camera.disabled = els.end.disabled = over;
  };
  render();

  const mode = parseFragment(location.hash);
  if (!hasWebRTC()) {
    showNotice(els, s, "call-no-webrtc");
    return;
  }
  if (mode.mode === "invalid") {
    showNotice(els, s, "call-bad-link");
    els.mic.disabled = els.camera.disabled = els.end.disabled = true;
    return;
  }

  let engine: WebMediaEngine;
  let bridge: SocketBridge | null = null;
  if (mode.mode === "bridge") {
    bridge = connectSocketBridge(mode.url, {
      onGone: () => showNotice(els, s, "call-shell-gone"),
      onCommand: (c) => {
        if (c.op === "set_audio_muted") audioMuted = c.muted;
        if (c.op === "set_video_muted") videoMuted = c.muted;
        if (c.op === "set_audio_only") showNotice(els, s, c.audio_only ? "call-audio-only" : null);
        render();
      },
    });
    engine = bridge.engine;
  } else {
    engine = new EngineHost(mode.join.server_url, realEngines, mode.join.engine);
  }

  engine.onEvent((event) => {
    if (log.push(event) > MAX_EVENTS) log.shift();
    if (event.type === "connection") state = event.state;
    // Without a core to rejoin, a failed direct call is over: release the camera and microphone.
    if (!bridge && event.type === "connection" && event.state === "failed") void engine.handle({ op: "leave" });
    if (event.type === "remote_joined") remotePresent = true;
    if (event.type === "remote_left") remotePresent = false;
    if (event.type === "connection" && event.state === "connected") showNotice(els, s, null);
    const notice = noticeFor(event);
    if (notice) showNotice(els, s, notice);
    render();
  });
  engine.attachRemote(els.remote);
  void engine.attachLocal(els.local);

  // The user's buttons: in bridge mode the core decides (and then commands the engine); in direct mode
  // the page is its own core.
  const act = (request: { op: "leave" } | { op: "set_audio_muted" | "set_video_muted"; muted: boolean }) => {
    if (bridge) bridge.request(request);
    else void engine.handle(request);
  };
  els.mic.addEventListener("click", () => {
    audioMuted = !audioMuted;
    act({ op: "set_audio_muted", muted: audioMuted });
    render();
  });
  els.camera.addEventListener("click", () => {
    videoMuted = !videoMuted;
    act({ op: "set_video_muted", muted: videoMuted });
    render();
  });
  els.end.addEventListener("click", () => {
    act({ op: "leave" });
    // A shell that does not answer must not keep the camera on.
    if (bridge) setTimeout(() => state !== "disconnected" && void engine.handle({ op: "leave" }), 5000);
  });
  els.remote.addEventListener("psyter-autoplay-blocked", () => (els.sound.hidden = false));
  els.sound.addEventListener("click", () => {
    els.remote.muted = false;
    void els.remote.play().catch(() => undefined);
    els.sound.hidden = true;
  });
  window.addEventListener("pagehide", () => void (bridge ? bridge.stop() : engine.dispose()));

  window.__psyterCall = {
    state: () => state,
    events: () => [...log],
    stats: () => engine.stats(),
    ...(bridge ? {} : { command: (c: EngineCommand) => engine.handle(c) }),
  };
  if (mode.mode === "direct") void engine.handle(mode.join);
}

start();
