// One RTCPeerConnection to the other participant, negotiated with the "perfect negotiation" pattern
// (the lower uid is impolite; either side may renegotiate, e.g. for audio-only or an ICE restart) and
// trickle ICE. Each connection has a random `session` id sent with every frame, so a side that rebuilt
// its connection is recognised (the owner then rebuilds too rather than mixing two DTLS sessions).
import type { ClientFrame } from "./signalling";

/** The media path as the engine sees it. */
export type LinkState = "pending" | "up" | "down" | "closed";

/** What the link tells its owner. */
export interface PeerHandlers {
  /** Sends a signalling frame; false when the socket is down (the frame is lost). */
  send(frame: ClientFrame): boolean;
  /** The media path changed. */
  state(state: LinkState): void;
  /** The remote tracks changed (for the remote video element). */
  tracks(tracks: MediaStreamTrack[]): void;
  /** Whether the remote side sends audio and video. */
  published(audio: boolean, video: boolean): void;
}

/** What we send: the current tracks and whether video is wanted at all. */
export interface LocalMedia {
  audio: MediaStreamTrack | null;
  /** Null when there is no camera. */
  video: MediaStreamTrack | null;
  /** Audio-only: video is neither sent nor received. */
  audioOnly: boolean;
}

function randomSession(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A peer connection with perfect negotiation; `initiate` adds our transceivers (and so offers) at once. */
export class PeerLink {
  /** This connection's id, sent with every frame. */
  readonly session = randomSession();
  /** The remote connection's id once known. */
  remoteSession: string | null = null;
  /** The RTCPeerConnection itself (for getStats). */
  readonly pc: RTCPeerConnection;
  /** When the media path last went down (ms), or null while it is not down. */
  downSince: number | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private answerPending = false;
  private offeredAt: number | null = null;
  private offerSeq = 0;
  private pending: RTCIceCandidateInit[] = [];
  private state: LinkState = "pending";
  private publishedKey = "false/false";
  private tracksKey = "";

  constructor(
    private readonly polite: boolean,
    private media: LocalMedia,
    initiate: boolean,
    private readonly on: PeerHandlers,
  ) {
    this.pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" });
    const pc = this.pc;
    pc.onnegotiationneeded = () => void this.offer();
    pc.onicecandidate = (e) =>
      void this.on.send({ type: "candidate", candidate: e.candidate ? e.candidate.toJSON() : null, session: this.session });
    pc.oniceconnectionstatechange = () => this.refresh();
    pc.onconnectionstatechange = () => this.refresh();
    pc.onsignalingstatechange = () => this.reportPublished();
    pc.ontrack = (e) => {
      const track = e.track;
      track.onmute = track.onunmute = track.onended = () => this.reportPublished();
      this.reportPublished();
    };
    if (initiate) this.applyMedia(true);
  }

  /** Whether media flows. */
  get connected(): boolean {
    return this.state === "up";
  }

  /** Changes what we send (mute, device switch, audio-only); renegotiates when directions change. */
  setMedia(media: LocalMedia): void {
    this.media = media;
    this.applyMedia(false);
  }

  /** Applies a remote offer or answer (`seq`: the offer's number, or the one an answer answers);
   *  false when it cannot be applied (the owner rebuilds). */
  async receiveDescription(type: "offer" | "answer", sdp: string, session: string, seq: number | null): Promise<boolean> {
    const pc = this.pc;
    if (type === "answer" && seq !== null && seq !== this.offerSeq) return true; // answers an offer taken back
    const readyForOffer = !this.makingOffer && (pc.signalingState === "stable" || this.answerPending);
    const collision = type === "offer" && !readyForOffer;
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return true;
    if (type === "answer" && pc.signalingState !== "have-local-offer") return true; // a stale answer
    try {
      this.answerPending = type === "answer";
      await pc.setRemoteDescription({ type, sdp });
      this.answerPending = false;
      this.remoteSession = session;
      this.offeredAt = null;
      if (type === "offer") {
        this.applyMedia(true);
        await pc.setLocalDescription();
        const d = pc.localDescription;
        if (d?.type === "answer") this.on.send({ type: "answer", sdp: d.sdp, session: this.session, ack: seq ?? 0 });
      }
      for (const c of this.pending.splice(0)) await this.addCandidate(c);
      this.reportPublished();
      return true;
    } catch {
      this.answerPending = false;
      return false;
    }
  }

  /** Adds a remote ICE candidate of `session` (buffered until its description is applied). */
  async receiveCandidate(candidate: RTCIceCandidateInit | null, session: string): Promise<void> {
    if (this.remoteSession === null || !this.pc.remoteDescription) {
      if (candidate && this.pending.length < 200) this.pending.push(candidate);
      return;
    }
    if (session !== this.remoteSession || !candidate) return;
    await this.addCandidate(candidate);
  }

  /** Restarts ICE (new candidates and credentials, over the same DTLS session). */
  restartIce(): void {
    if (this.pc.signalingState !== "closed") this.pc.restartIce();
  }

  /** Takes back an offer nobody answered for `afterMs` (lost while the socket was down), so the next
   *  renegotiation can start. */
  async unstick(now: number, afterMs: number): Promise<void> {
    if (this.pc.signalingState === "have-local-offer" && this.offeredAt !== null && now - this.offeredAt > afterMs) {
      this.offeredAt = null;
      try {
        await this.pc.setLocalDescription({ type: "rollback" });
      } catch {
        // Already moved on.
      }
    }
  }

  /** Closes the connection; no more callbacks. */
  close(): void {
    const pc = this.pc;
    pc.onnegotiationneeded = pc.onicecandidate = pc.ontrack = null;
    pc.oniceconnectionstatechange = pc.onconnectionstatechange = pc.onsignalingstatechange = null;
    pc.close();
    this.state = "closed";
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      const d = this.pc.localDescription;
      if (d?.type !== "offer") return;
      this.offeredAt = Date.now();
      this.on.send({ type: "offer", sdp: d.sdp, session: this.session, seq: ++this.offerSeq });
    } catch {
      // The next negotiationneeded (or the engine's watchdog) tries again.
    } finally {
      this.makingOffer = false;
    }
  }

  private async addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate);
    } catch {
      // A candidate of an older ICE generation, or of an ignored offer: harmless.
    }
  }

  /** Sets each kind's transceiver to our tracks and direction; `create` adds missing transceivers. */
  private applyMedia(create: boolean): void {
    const pc = this.pc;
    if (pc.signalingState === "closed") return;
    for (const kind of ["audio", "video"] as const) {
      const track = kind === "audio" ? this.media.audio : this.media.video;
      const direction: RTCRtpTransceiverDirection = kind === "video" && this.media.audioOnly ? "inactive" : "sendrecv";
      let t = pc.getTransceivers().find((x) => x.receiver.track.kind === kind && x.currentDirection !== "stopped");
      if (!t) {
        if (!create) continue;
        t = pc.addTransceiver(kind, { direction });
      }
      if (t.direction !== direction) t.direction = direction;
      const send = direction === "inactive" ? null : track;
      if (t.sender.track !== send) void t.sender.replaceTrack(send).catch(() => undefined);
    }
  }

  private remoteTracks(): MediaStreamTrack[] {
    return this.pc
      .getTransceivers()
      .filter((t) => t.currentDirection === "sendrecv" || t.currentDirection === "recvonly")
      .map((t) => t.receiver.track);
  }

  private reportPublished(): void {
    const live = (kind: string) =>
      this.pc
        .getTransceivers()
        .some(
          (t) =>
            t.receiver.track.kind === kind &&
            (t.currentDirection === "sendrecv" || t.currentDirection === "recvonly") &&
            !t.receiver.track.muted,
        );
    const audio = live("audio");
    const video = live("video");
    const key = `${audio}/${video}`;
    if (key !== this.publishedKey) {
      this.publishedKey = key;
      this.on.published(audio, video);
    }
    const tracks = this.remoteTracks();
    const ids = tracks.map((t) => t.id).join(",");
    if (ids !== this.tracksKey) {
      this.tracksKey = ids;
      this.on.tracks(tracks);
    }
  }

  private refresh(): void {
    const ice = this.pc.iceConnectionState;
    const conn = this.pc.connectionState;
    let next: LinkState;
    if (conn === "closed") next = "closed";
    else if (conn === "connected" && (ice === "connected" || ice === "completed")) next = "up";
    else if (ice === "disconnected" || ice === "failed" || conn === "disconnected" || conn === "failed") next = "down";
    else next = this.state === "down" ? "down" : "pending";
    if (next === this.state) return;
    this.state = next;
    this.downSince = next === "down" ? Date.now() : null;
    this.on.state(next);
  }
}
