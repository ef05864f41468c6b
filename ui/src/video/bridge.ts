// The engine bridges: how the core (in the desktop shell) drives the page's media engine.
//
// 1. Tauri webview (`startEngineBridge`): the shell emits the Tauri event `core://engine` carrying an
//    EngineCommand; the page answers with `invoke("engine_event", { event })` for every EngineEvent and
//    `invoke("engine_devices", { status })` once at start and whenever the devices change.
//
// 2. System browser (`connectSocketBridge`), for webviews without WebRTC: the shell serves a loopback
//    WebSocket and opens `call.html#bridge=<ws url>` (the URL carries the shell's per-call secret; the page
//    never logs it). Text frames, one JSON object each:
//      shell -> page   {"command": EngineCommand}
//      page  -> shell  {"event": EngineEvent}
//      page  -> shell  {"devices": DeviceStatus}    on connect, on devicechange, after the first connect
//      page  -> shell  {"user": {"op": "leave"} | {"op": "set_audio_muted" | "set_video_muted", "muted": bool}}
//                      what the user pressed on the page; the shell routes it through the core (video_leave,
//                      video_mute_audio, video_mute_video), which then sends the engine its command, so
//                      the core stays the owner of the call
//    Malformed or unknown frames are ignored. If the socket drops, the page reconnects with backoff for
//    up to 30 s (queuing at most 200 events, sent in order once back); after that it leaves the call and
//    releases the camera, since nobody is steering it any more.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AppInfo, DeviceStatus, EngineCommand, EngineEvent } from "../ipc/contract";
import { parseBridgeFrame, parseCommand } from "./commands";
import { EngineHost, realEngines, type EngineFactory } from "./host";
import { deviceStatus } from "./media";
import { backoffMs } from "./signalling";

/** A running bridge: the engine it drives, and how to stop it (leaves the call). */
export interface Bridge {
  /** The engine (attach the video elements to it). */
  engine: EngineHost;
  /** Stops listening, leaves and releases the devices. */
  stop: () => Promise<void>;
}

/** Reports devices now, on devicechange, and again after the first connection (permission granted). */
function watchDevices(host: EngineHost, report: (status: DeviceStatus) => void): () => void {
  const send = () => void deviceStatus(false).then(report, () => undefined);
  send();
  const md = typeof navigator !== "undefined" ? navigator.mediaDevices : undefined;
  md?.addEventListener?.("devicechange", send);
  let reported = false;
  const off = host.onEvent((e) => {
    if (!reported && e.type === "connection" && e.state === "connected") {
      reported = true;
      send();
    }
  });
  return () => {
    md?.removeEventListener?.("devicechange", send);
    off();
  };
}

/** The Tauri webview bridge: `core://engine` in, `engine_event` / `engine_devices` out. */
export async function startEngineBridge(create: EngineFactory = realEngines): Promise<Bridge> {
  const info = await invoke<AppInfo>("app_info").catch(() => null);
  const host = new EngineHost(info?.server_url ?? null, create);
  const offEvents = host.onEvent((event: EngineEvent) => void invoke("engine_event", { event }).catch(() => undefined));
  const offDevices = watchDevices(host, (status) => void invoke("engine_devices", { status }).catch(() => undefined));
  const unlisten = await listen<EngineCommand>("core://engine", (e) => {
    const command = parseCommand(e.payload);
    if (command) void host.handle(command);
  });
  return {
    engine: host,
    stop: async () => {
      unlisten();
      offDevices();
      await host.dispose();
      offEvents();
    },
  };
}

/** How long the socket bridge keeps trying to get its shell back. */
const SOCKET_GIVE_UP_MS = 30_000;
/** Most events kept while the socket is down. */
const MAX_QUEUED = 200;

/** What the user asked for on the page, for the core to carry out. */
export type UserRequest = { op: "leave" } | { op: "set_audio_muted" | "set_video_muted"; muted: boolean };

/** Options of the socket bridge. */
export interface SocketBridgeOptions {
  /** Runs when the shell could not be reached for 30 s (the call has been left by then). */
  onGone?: () => void;
  /** Sees every valid command before the engine carries it out (for the page's own display). */
  onCommand?: (command: EngineCommand) => void;
  /** Makes engines (tests pass fakes). */
  create?: EngineFactory;
}

/** A socket bridge: also carries the user's requests to the shell. */
export interface SocketBridge extends Bridge {
  /** Sends a user request to the shell (dropped while the socket is down). */
  request: (request: UserRequest) => void;
}

/** The system-browser bridge over the shell's loopback WebSocket (protocol above). */
export function connectSocketBridge(url: string, options: SocketBridgeOptions = {}): SocketBridge {
  const { onGone, onCommand, create = realEngines } = options;
  const host = new EngineHost(null, create);
  const queue: string[] = [];
  let ws: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let downSince: number | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const send = (frame: { event: EngineEvent } | { devices: DeviceStatus }) => {
    const text = JSON.stringify(frame);
    if (ws?.readyState === WebSocket.OPEN) ws.send(text);
    else if (queue.push(text) > MAX_QUEUED) queue.shift();
  };
  const offEvents = host.onEvent((event) => send({ event }));
  let offDevices: (() => void) | null = null;

  const open = () => {
    if (stopped) return;
    const socket = new WebSocket(url);
    ws = socket;
    socket.onopen = () => {
      attempt = 0;
      downSince = null;
      for (const text of queue.splice(0)) socket.send(text);
      offDevices?.();
      offDevices = watchDevices(host, (devices) => send({ devices }));
    };
    socket.onmessage = (msg: MessageEvent) => {
      const command = parseBridgeFrame(msg.data);
      if (!command) return;
      onCommand?.(command);
      void host.handle(command);
    };
    socket.onclose = () => {
      if (ws !== socket || stopped) return;
      ws = null;
      downSince ??= Date.now();
      if (Date.now() - downSince > SOCKET_GIVE_UP_MS) {
        void stop().then(() => onGone?.());
        return;
      }
      retry = setTimeout(open, backoffMs(attempt++));
    };
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (retry) clearTimeout(retry);
    offDevices?.();
    const socket = ws;
    ws = null;
    await host.dispose();
    offEvents();
    socket?.close(1000);
  };

  const request = (user: UserRequest) => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ user }));
  };

  open();
  return { engine: host, stop, request };
}
