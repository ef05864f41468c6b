import { describe, expect, it } from "vitest";
import { fromBase64Url, parseFragment, toBase64Url } from "./fragment";

const direct = {
  engine: "sandbox",
  server_url: "http://127.0.0.1:8080",
  params: { app_id: "sandbox", channel: "psyter-ab", token: "t.o.k", uid: 42 },
};

describe("parseFragment", () => {
  it("reads a direct join", () => {
    const mode = parseFragment(`#direct=${toBase64Url(JSON.stringify(direct))}`);
    expect(mode).toEqual({ mode: "direct", join: { op: "join", ...direct } });
  });

  it("reads a loopback bridge and refuses any other host", () => {
    expect(parseFragment("#bridge=ws%3A%2F%2F127.0.0.1%3A4555%2Fengine%3Fk%3Dx")).toEqual({
      mode: "bridge",
      url: "ws://127.0.0.1:4555/engine?k=x",
    });
    expect(parseFragment("#bridge=ws://localhost:1/x").mode).toBe("bridge");
    expect(parseFragment("#bridge=ws://evil.example:1/x").mode).toBe("invalid");
    expect(parseFragment("#bridge=http://127.0.0.1:1/x").mode).toBe("invalid");
  });

  it("refuses anything malformed", () => {
    for (const hash of [
      "",
      "#",
      "#direct",
      "#direct=!!!",
      `#direct=${toBase64Url("[1]")}`,
      `#direct=${toBase64Url(JSON.stringify({ ...direct, engine: "zoom" }))}`,
      `#direct=${toBase64Url(JSON.stringify({ ...direct, server_url: "javascript:alert(1)" }))}`,
      "#other=1",
    ]) {
      expect(parseFragment(hash)).toEqual({ mode: "invalid" });
    }
  });

  it("round-trips UTF-8 through base64url", () => {
    const text = '{"name":"د. سارة"}';
    expect(fromBase64Url(toBase64Url(text))).toBe(text);
    expect(toBase64Url("??>")).not.toMatch(/[+/=]/);
  });
});
