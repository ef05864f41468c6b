// A network namespace with a veth pair, so one browser can lose its network for real: the host end
// (with the server and the static page on it) stays up, the namespace end is taken down and up again.
import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function ip(...args) {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Whether network namespaces can be made here (root, iproute2, a kernel that allows it). */
export function netnsAvailable() {
  const probe = `psyter-probe-${process.pid}`;
  try {
    ip("netns", "add", probe);
    ip("netns", "del", probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates namespace `psyter-e2e-<pid>` joined to the host by a veth pair on a /30 of 10.213.0.0/16.
 * Returns the addresses, a wrapper that runs Chromium inside it, `down()` / `up()` for the namespace end
 * of the link, and `remove()` (idempotent; deleting the namespace deletes the pair).
 */
export function createNetns(tmpDir, chromiumPath) {
  const id = process.pid % 10000;
  const name = `psyter-e2e-${process.pid}`;
  const hostIf = `pe2h${id}`;
  const nsIf = `pe2n${id}`;
  const block = (process.pid % 16000) * 4;
  const subnet = `10.213.${Math.floor(block / 256)}`;
  const last = block % 256;
  const hostAddr = `${subnet}.${last + 1}`;
  const nsAddr = `${subnet}.${last + 2}`;
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    for (const args of [["netns", "del", name], ["link", "del", hostIf]]) {
      try {
        ip(...args);
      } catch {
        // Already gone.
      }
    }
  };
  try {
    ip("netns", "add", name);
    ip("link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
    ip("link", "set", nsIf, "netns", name);
    ip("addr", "add", `${hostAddr}/30`, "dev", hostIf);
    ip("link", "set", hostIf, "up");
    ip("netns", "exec", name, "ip", "addr", "add", `${nsAddr}/30`, "dev", nsIf);
    ip("netns", "exec", name, "ip", "link", "set", nsIf, "up");
    ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
  } catch (e) {
    remove();
    throw e;
  }
  const wrapper = join(tmpDir, "chromium-in-netns.sh");
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${name} ${chromiumPath} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return {
    name,
    hostAddr,
    nsAddr,
    chromium: wrapper,
    /** Takes the namespace end of the link down: every packet to and from the namespace is lost. */
    down: () => ip("netns", "exec", name, "ip", "link", "set", nsIf, "down"),
    /** Brings it back. */
    up: () => ip("netns", "exec", name, "ip", "link", "set", nsIf, "up"),
    remove,
  };
}
