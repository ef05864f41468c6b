import { describe, expect, it } from "vitest";
import { probeFromRtts, qualityBetween, scoreLink, snapshotOf, type StatsSnapshot } from "./quality";

describe("scoreLink", () => {
  it("scores RTT and loss on Agora's scale", () => {
    expect(scoreLink({ rttMs: null, lossPct: null })).toBe(0);
    expect(scoreLink({ rttMs: 20, lossPct: 0 })).toBe(1);
    expect(scoreLink({ rttMs: 150, lossPct: 0 })).toBe(2);
    expect(scoreLink({ rttMs: 20, lossPct: 4 })).toBe(3);
    expect(scoreLink({ rttMs: 600, lossPct: 0 })).toBe(4);
    expect(scoreLink({ rttMs: 20, lossPct: 30 })).toBe(5);
    expect(scoreLink({ rttMs: 2000, lossPct: 0 })).toBe(5);
  });

  it("penalises stuttering video", () => {
    expect(scoreLink({ rttMs: 20, lossPct: 0, fps: 25 })).toBe(1);
    expect(scoreLink({ rttMs: 20, lossPct: 0, fps: 8 })).toBe(3);
    expect(scoreLink({ rttMs: 20, lossPct: 0, fps: 1 })).toBe(4);
  });
});

describe("snapshots and quality between them", () => {
  const report = [
    { type: "inbound-rtp", kind: "video", packetsReceived: 900, packetsLost: 10, framesDecoded: 240 },
    { type: "inbound-rtp", kind: "audio", packetsReceived: 500, packetsLost: 0 },
    { type: "remote-inbound-rtp", fractionLost: 0.01, roundTripTime: 0.05 },
    { type: "candidate-pair", nominated: true, state: "succeeded", currentRoundTripTime: 0.012 },
    { type: "candidate-pair", nominated: false, state: "failed", currentRoundTripTime: 9 },
  ];

  it("reads the counters", () => {
    expect(snapshotOf(report, 1000)).toEqual({
      at: 1000,
      inPackets: 1400,
      inLost: 10,
      framesDecoded: 240,
      remoteFractionLost: 0.01,
      rttMs: 12,
    });
  });

  it("scores the interval", () => {
    const a: StatsSnapshot = { at: 0, inPackets: 0, inLost: 0, framesDecoded: 0, remoteFractionLost: 0, rttMs: 10 };
    const good = { ...a, at: 2000, inPackets: 400, framesDecoded: 48 };
    expect(qualityBetween(a, good, { down: false, expectVideo: true })).toEqual({ uplink: 1, downlink: 1 });
    const lossy = { ...good, inLost: 20 }; // 20 of 420: 4.8%
    expect(qualityBetween(a, lossy, { down: false, expectVideo: true }).downlink).toBe(3);
    const silent = { ...a, at: 2000 };
    expect(qualityBetween(a, silent, { down: false, expectVideo: true }).downlink).toBe(6);
    expect(qualityBetween(a, good, { down: true, expectVideo: true })).toEqual({ uplink: 6, downlink: 6 });
    expect(qualityBetween(null, good, { down: false, expectVideo: true })).toEqual({ uplink: 0, downlink: 0 });
  });
});

describe("probeFromRtts", () => {
  it("uses the median and counts misses as loss", () => {
    expect(probeFromRtts([])).toEqual({ uplink: 0, downlink: 0, rtt_ms: 0 });
    expect(probeFromRtts([null, null])).toEqual({ uplink: 6, downlink: 6, rtt_ms: 0 });
    expect(probeFromRtts([10, 30, 12, 11])).toEqual({ uplink: 1, downlink: 1, rtt_ms: 12 });
    expect(probeFromRtts([10, null, 12, 11]).downlink).toBe(5);
  });
});
