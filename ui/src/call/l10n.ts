// The call page's strings: Fluent bundles of video.ftl (call states, shared with the core) and call.ftl
// (this page's own), in English or Arabic, bundled at build time (no fetch at run time).
import { FluentBundle, FluentResource } from "@fluent/bundle";
import arCall from "../../../assets/locales/ar/call.ftl?raw";
import arVideo from "../../../assets/locales/ar/video.ftl?raw";
import enCall from "../../../assets/locales/en-US/call.ftl?raw";
import enVideo from "../../../assets/locales/en-US/video.ftl?raw";

/** A supported page language. */
export type Lang = "en-US" | "ar";

/** The Fluent sources of each language. */
export const SOURCES: Record<Lang, { video: string; call: string }> = {
  "en-US": { video: enVideo, call: enCall },
  ar: { video: arVideo, call: arCall },
};

/** The language asked for by a `lang` URL parameter ("ar", "ar-SA" -> Arabic; anything else English). */
export function pickLang(param: string | null): Lang {
  return param && /^ar(-|$)/i.test(param) ? "ar" : "en-US";
}

/** Text direction of a language. */
export function dirOf(lang: Lang): "rtl" | "ltr" {
  return lang === "ar" ? "rtl" : "ltr";
}

/** Formats messages of one language; a missing id shows the id itself (never throws). */
export class Strings {
  private readonly bundle: FluentBundle;

  /** Loads both files of `lang`. */
  constructor(readonly lang: Lang) {
    this.bundle = new FluentBundle(lang, { useIsolating: false });
    for (const source of Object.values(SOURCES[lang])) this.bundle.addResource(new FluentResource(source));
  }

  /** The message `id` as text. */
  t(id: string): string {
    const message = this.bundle.getMessage(id);
    if (!message?.value) return id;
    return this.bundle.formatPattern(message.value, {}, []);
  }

  /** Whether the message exists. */
  has(id: string): boolean {
    return this.bundle.hasMessage(id);
  }
}
