// The desktop window's first screen until the React app lands (issue 6): what the shell reports about
// the server, the session and the sync status, through the real commands and events.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AppInfo, IpcError, SessionPhase, SyncStatus } from "./ipc/contract";

/** Renders one labelled line. */
function line(label: string, value: string): HTMLElement {
  const p = document.createElement("p");
  const b = document.createElement("strong");
  b.textContent = `${label}: `;
  p.append(b, value);
  return p;
}

/** Shows the shell's status; failures show their stable error code. */
async function show(root: HTMLElement): Promise<void> {
  const h1 = document.createElement("h1");
  h1.textContent = "Psyter";
  root.replaceChildren(h1);
  try {
    const info = await invoke<AppInfo>("app_info");
    const phase = await invoke<SessionPhase>("session_phase");
    const status = await invoke<SyncStatus>("sync_status");
    root.append(line("Server", info.server_url), line("Session", phase), line("Sync", status.activity.type));
  } catch (e) {
    root.append(line("Error", (e as IpcError).code ?? "unknown"));
  }
}

const root = document.getElementById("root");
if (root) {
  void show(root);
  void listen("core://sync-status", () => void show(root));
}
