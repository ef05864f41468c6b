// The call page's DOM: localising the static markup, and showing state, notices and button labels.
import type { ConnectionReason, EngineConnection, EngineEvent } from "../ipc/contract";
import type { Strings } from "./l10n";

/** The elements main.ts works with (all from call.html). */
export interface CallElements {
  status: HTMLElement;
  notice: HTMLElement;
  waiting: HTMLElement;
  remote: HTMLVideoElement;
  local: HTMLVideoElement;
  mic: HTMLButtonElement;
  camera: HTMLButtonElement;
  sound: HTMLButtonElement;
  end: HTMLButtonElement;
}

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`call.html lacks #${id}`);
  return el;
}

/** Finds the page's elements. */
export function elements(): CallElements {
  return {
    status: byId("status", HTMLElement),
    notice: byId("notice", HTMLElement),
    waiting: byId("waiting", HTMLElement),
    remote: byId("remote", HTMLVideoElement),
    local: byId("local", HTMLVideoElement),
    mic: byId("mic", HTMLButtonElement),
    camera: byId("camera", HTMLButtonElement),
    sound: byId("sound", HTMLButtonElement),
    end: byId("end", HTMLButtonElement),
  };
}

/** Fills `data-l10n-id` texts and `data-l10n-aria` labels, and sets the page's language and direction. */
export function localise(root: Document, s: Strings, dir: "ltr" | "rtl"): void {
  root.documentElement.lang = s.lang;
  root.documentElement.dir = dir;
  for (const el of root.querySelectorAll<HTMLElement>("[data-l10n-id]")) el.textContent = s.t(el.dataset.l10nId ?? "");
  for (const el of root.querySelectorAll<HTMLElement>("[data-l10n-aria]")) {
    el.setAttribute("aria-label", s.t(el.dataset.l10nAria ?? ""));
  }
}

/** The Fluent id of the status line for an engine connection state. */
export function statusId(state: EngineConnection | "idle"): string {
  switch (state) {
    case "idle":
      return "call-state-idle";
    case "connecting":
      return "call-state-joining";
    case "connected":
      return "call-state-connected";
    case "reconnecting":
      return "call-state-reconnecting";
    case "disconnected":
      return "call-state-ended";
    case "failed":
      return "call-state-failed";
  }
}

/** The Fluent id explaining why a call stopped (null when the state says enough). */
export function reasonId(reason: ConnectionReason): string | null {
  switch (reason) {
    case "left":
      return "call-ended-close";
    case "token_invalid":
    case "token_expired":
      return "call-reason-call-token-refused";
    case "banned":
      return "call-reason-call-banned";
    case "same_uid_elsewhere":
      return "call-reason-call-joined-elsewhere";
    case "config":
      return "call-reason-call-engine-config";
    case "join_failed":
      return "call-reason-outside-join-window";
    case "network":
    case "server":
      return "call-reason-call-gave-up";
    case "normal":
      return null;
  }
}

/** The notice an event calls for, if any. */
export function noticeFor(event: EngineEvent): string | null {
  switch (event.type) {
    case "permission_denied":
    case "device_error":
      if (event.device === "microphone") {
        return event.type === "permission_denied" ? "call-reason-call-permission-denied" : "precall-microphone-fail";
      }
      return event.device === "camera" ? "call-camera-unavailable" : null;
    case "connection":
      return event.state === "failed" || event.state === "disconnected" ? reasonId(event.reason) : null;
    case "remote_left":
      return "call-remote-left";
    default:
      return null;
  }
}

/** Shows (or hides, with null) the notice line. */
export function showNotice(els: CallElements, s: Strings, id: string | null): void {
  els.notice.hidden = id === null;
  els.notice.textContent = id === null ? "" : s.t(id);
}

/** Labels the toggle buttons for the current mute state. */
export function labelButtons(els: CallElements, s: Strings, audioMuted: boolean, videoMuted: boolean): void {
  els.mic.textContent = s.t(audioMuted ? "call-mic-unmute" : "call-mic-mute");
  els.mic.classList.toggle("off", audioMuted);
  els.camera.textContent = s.t(videoMuted ? "call-camera-on" : "call-camera-off");
  els.camera.classList.toggle("off", videoMuted);
}
