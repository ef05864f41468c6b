// Network quality on Agora's scale (0 unknown, 1 excellent, 2 good, 3 poor, 4 bad, 5 very bad, 6 down),
// scored from WebRTC statistics: round-trip time and packet loss, with a frame-rate penalty for video
// that stutters. Pure: snapshots in, scores out.

/** The figures quality is judged on. */
export interface LinkSample {
  /** Round-trip time, milliseconds (null: unknown). */
  rttMs: number | null;
  /** Packets lost in the interval, percent (null: unknown). */
  lossPct: number | null;
  /** Received video frames per second (null: no video expected). */
  fps?: number | null;
}

/** Scores one direction of the link: 0 when nothing is known, else 1 (excellent) to 5 (very bad). */
export function scoreLink(s: LinkSample): number {
  if (s.rttMs === null && s.lossPct === null) return 0;
  const rtt = s.rttMs ?? 0;
  const loss = s.lossPct ?? 0;
  const steps: [number, number][] = [
    [1, 100],
    [3, 200],
    [6, 400],
    [12, 800],
  ];
  let score = 5;
  for (let i = 0; i < steps.length; i++) {
    const [maxLoss, maxRtt] = steps[i] as [number, number];
    if (loss < maxLoss && rtt < maxRtt) {
      score = i + 1;
      break;
    }
  }
  if (s.fps !== undefined && s.fps !== null) {
    if (s.fps < 5) score = Math.max(score, 4);
    else if (s.fps < 12) score = Math.max(score, 3);
  }
  return score;
}

/** Cumulative counters read from one getStats() report. */
export interface StatsSnapshot {
  /** When it was taken (ms). */
  at: number;
  /** Packets received over every inbound RTP stream. */
  inPackets: number;
  /** Packets lost over every inbound RTP stream. */
  inLost: number;
  /** Video frames decoded from the remote side. */
  framesDecoded: number;
  /** The remote side's view of our outbound loss (0-1), when reported. */
  remoteFractionLost: number | null;
  /** Round-trip time of the selected candidate pair, milliseconds. */
  rttMs: number | null;
}

type Stat = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Reads the counters quality needs out of a stats report's values (RTCStatsReport.values()). */
export function snapshotOf(stats: Iterable<Stat>, at: number): StatsSnapshot {
  const snap: StatsSnapshot = { at, inPackets: 0, inLost: 0, framesDecoded: 0, remoteFractionLost: null, rttMs: null };
  const lost: number[] = [];
  let pairRtt: number | null = null;
  let remoteRtt: number | null = null;
  for (const s of stats) {
    switch (s.type) {
      case "inbound-rtp":
        snap.inPackets += num(s.packetsReceived) ?? 0;
        snap.inLost += Math.max(0, num(s.packetsLost) ?? 0);
        if (s.kind === "video") snap.framesDecoded += num(s.framesDecoded) ?? 0;
        break;
      case "remote-inbound-rtp": {
        const f = num(s.fractionLost);
        if (f !== null) lost.push(f);
        remoteRtt = num(s.roundTripTime) ?? remoteRtt;
        break;
      }
      case "candidate-pair":
        if ((s.nominated === true || s.selected === true) && s.state === "succeeded") {
          pairRtt = num(s.currentRoundTripTime) ?? pairRtt;
        }
        break;
    }
  }
  snap.remoteFractionLost = lost.length ? Math.max(...lost) : null;
  const rtt = pairRtt ?? remoteRtt;
  snap.rttMs = rtt === null ? null : Math.round(rtt * 1000);
  return snap;
}

/** Uplink and downlink quality between two snapshots; `down` (no media path) scores 6 both ways. */
export function qualityBetween(
  prev: StatsSnapshot | null,
  cur: StatsSnapshot,
  opts: { down: boolean; expectVideo: boolean },
): { uplink: number; downlink: number } {
  if (opts.down) return { uplink: 6, downlink: 6 };
  if (!prev) return { uplink: 0, downlink: 0 };
  const received = cur.inPackets - prev.inPackets;
  const lostNow = Math.max(0, cur.inLost - prev.inLost);
  const secs = Math.max(0.001, (cur.at - prev.at) / 1000);
  if (received <= 0 && lostNow === 0) return { uplink: scoreUplink(cur), downlink: 6 };
  const lossPct = (100 * lostNow) / Math.max(1, received + lostNow);
  const fps = opts.expectVideo ? (cur.framesDecoded - prev.framesDecoded) / secs : null;
  return { uplink: scoreUplink(cur), downlink: scoreLink({ rttMs: cur.rttMs, lossPct, fps }) };
}

function scoreUplink(cur: StatsSnapshot): number {
  const lossPct = cur.remoteFractionLost === null ? null : cur.remoteFractionLost * 100;
  return scoreLink({ rttMs: cur.rttMs, lossPct });
}

/** A probe's result from a few round trips (null = no answer): the median RTT, loss from the misses. */
export function probeFromRtts(rtts: (number | null)[]): { uplink: number; downlink: number; rtt_ms: number } {
  const ok = rtts.filter((r): r is number => r !== null).sort((a, b) => a - b);
  if (rtts.length === 0) return { uplink: 0, downlink: 0, rtt_ms: 0 };
  if (ok.length === 0) return { uplink: 6, downlink: 6, rtt_ms: 0 };
  const median = ok[Math.floor(ok.length / 2)] as number;
  const lossPct = (100 * (rtts.length - ok.length)) / rtts.length;
  const q = scoreLink({ rttMs: median, lossPct });
  return { uplink: q, downlink: q, rtt_ms: Math.round(median) };
}
