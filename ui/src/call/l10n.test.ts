import { FluentResource } from "@fluent/bundle";
import { describe, expect, it } from "vitest";
import { dirOf, pickLang, SOURCES, Strings } from "./l10n";
import { reasonId, statusId } from "./view";
import html from "../../call.html?raw";

const ids = (source: string) => [...source.matchAll(/^([a-z][a-z0-9-]*) =/gm)].map((m) => m[1]).sort();

describe("call page strings", () => {
  it("has the same message ids in English and Arabic", () => {
    expect(ids(SOURCES.ar.call)).toEqual(ids(SOURCES["en-US"].call));
    expect(ids(SOURCES["en-US"].call).length).toBeGreaterThan(10);
  });

  it("parses without junk", () => {
    for (const lang of ["en-US", "ar"] as const) {
      const resource = new FluentResource(SOURCES[lang].call);
      expect(resource.body.length).toBe(ids(SOURCES[lang].call).length);
    }
  });

  it("covers every id the page and its markup use, in both languages", () => {
    const used = [...html.matchAll(/data-l10n-(?:id|aria)="([^"]+)"/g)].map((m) => m[1] ?? "");
    const states = (["idle", "connecting", "connected", "reconnecting", "disconnected", "failed"] as const).map(statusId);
    const reasons = (
      ["left", "token_invalid", "token_expired", "banned", "same_uid_elsewhere", "config", "join_failed", "network"] as const
    ).map((r) => reasonId(r) ?? "");
    for (const lang of ["en-US", "ar"] as const) {
      const s = new Strings(lang);
      for (const id of [...used, ...states, ...reasons, "call-mic-mute", "call-mic-unmute", "call-camera-on"]) {
        expect(s.has(id), `${lang}: ${id}`).toBe(true);
      }
    }
    expect(new Strings("ar").t("call-end")).toBe("إنهاء المكالمة");
  });

  it("picks the language and direction from the lang parameter", () => {
    expect(pickLang("ar")).toBe("ar");
    expect(pickLang("ar-SA")).toBe("ar");
    expect(pickLang("arx")).toBe("en-US");
    expect(pickLang(null)).toBe("en-US");
    expect(dirOf("ar")).toBe("rtl");
  });
});
