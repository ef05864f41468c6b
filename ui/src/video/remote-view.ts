// The remote participant's video element for the sandbox engine: shows the current remote tracks,
// plays muted when autoplay with sound is refused (and tells the page, which offers "turn on sound"),
// and routes audio to the chosen speaker.
import type { EngineEvent } from "../ipc/contract";
import { errorName, mediaErrorEvent } from "./media";

/** The remote video element and what it shows. */
export class RemoteView {
  private el: HTMLVideoElement | null = null;
  private current: MediaStreamTrack[] = [];

  /** The remote tracks shown now. */
  get tracks(): MediaStreamTrack[] {
    return this.current;
  }

  /** Shows the remote participant in `element` from now on. */
  attach(element: HTMLVideoElement): void {
    this.el = element;
    element.autoplay = true;
    element.playsInline = true;
    this.render();
  }

  /** Shows these tracks (none: a blank element). */
  show(tracks: MediaStreamTrack[]): void {
    this.current = tracks;
    this.render();
  }

  /** Plays the remote audio on a speaker; a device event on failure. */
  async setSpeaker(deviceId: string): Promise<EngineEvent | null> {
    const el = this.el as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    try {
      await el?.setSinkId?.(deviceId);
      return null;
    } catch (e) {
      return mediaErrorEvent(errorName(e), "speaker");
    }
  }

  private render(): void {
    const el = this.el;
    if (!el) return;
    if (this.current.length === 0) {
      el.srcObject = null;
      return;
    }
    el.srcObject = new MediaStream(this.current);
    el.play().catch(() => {
      // Autoplay with sound refused: play muted (video shows) and let the page offer "turn on sound".
      el.muted = true;
      el.play().catch(() => undefined);
      el.dispatchEvent(new Event("psyter-autoplay-blocked"));
    });
  }
}
