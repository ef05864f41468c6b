package app.psyter.patient.platform

import app.psyter.core.ConnectionReason
import app.psyter.core.Device
import app.psyter.core.EngineConnection
import app.psyter.core.EngineEvent
import app.psyter.core.ProbeResult

/**
 * Agora's Android numbers as the core's engine events, exactly as the core's `video/agora.rs` maps
 * them (`native_connection`, `quality`); that table is not exported through UniFFI, so the shell
 * repeats it (and its tests). Pure: no SDK types, so it is unit-tested on the JVM.
 */
object AgoraMapping {
    /** `onConnectionStateChanged(state, reason)`: `CONNECTION_STATE_*` 1–5 and `CONNECTION_CHANGED_*` 0–22. */
    fun connection(state: Int, reason: Int): EngineEvent.Connection {
        val connection = when (state) {
            1 -> EngineConnection.DISCONNECTED
            2 -> EngineConnection.CONNECTING
            3 -> EngineConnection.CONNECTED
            4 -> EngineConnection.RECONNECTING
            5 -> EngineConnection.FAILED
            else -> EngineConnection.RECONNECTING
        }
        val why = when (reason) {
            // connecting, join success, setting proxy, renew token, rejoin success, echo test
            0, 1, 11, 12, 15, 17 -> ConnectionReason.NORMAL
            // interrupted, IP changed, keep-alive timeout, lost, IP changed by user
            2, 13, 14, 16, 18 -> ConnectionReason.NETWORK
            3, 10 -> ConnectionReason.BANNED
            4 -> ConnectionReason.JOIN_FAILED
            5 -> ConnectionReason.LEFT
            6, 7, 20 -> ConnectionReason.CONFIG
            8 -> ConnectionReason.TOKEN_INVALID
            9 -> ConnectionReason.TOKEN_EXPIRED
            19 -> ConnectionReason.SAME_UID_ELSEWHERE
            else -> ConnectionReason.NETWORK
        }
        return EngineEvent.Connection(connection, why)
    }

    /** `onNetworkQuality` for this device: Agora's 0–6 scale; 7 (unsupported), 8 (detecting) and others count as unknown. */
    fun quality(uplink: Int, downlink: Int): EngineEvent.Quality = EngineEvent.Quality(clamp(uplink), clamp(downlink))

    /** `onLastmileQuality` (one quality for both directions, about 2 s after the probe starts) as the probe result. */
    fun probe(quality: Int, rttMs: Int = 0): EngineEvent.Probe {
        val q = clamp(quality)
        return EngineEvent.Probe(ProbeResult(uplink = q, downlink = q, rttMs = rttMs.coerceAtLeast(0).toUInt()))
    }

    /** `onLocalAudioStateChanged` error: 2 no permission; 1, 3, 4 failure, busy, capture failure; else nothing. */
    fun localAudio(error: Int): EngineEvent? = when (error) {
        2 -> EngineEvent.PermissionDenied(Device.MICROPHONE)
        1, 3, 4 -> EngineEvent.DeviceError(Device.MICROPHONE)
        else -> null
    }

    /** `onLocalVideoStateChanged` error: 2 no permission; 1, 3, 4, 8, 9 failure, busy, capture, not found, gone; else nothing. */
    fun localVideo(error: Int): EngineEvent? = when (error) {
        2 -> EngineEvent.PermissionDenied(Device.CAMERA)
        1, 3, 4, 8, 9 -> EngineEvent.DeviceError(Device.CAMERA)
        else -> null
    }

    /** Whether a remote audio/video state (0 stopped, 1 starting, 2 decoding, 3 frozen, 4 failed) means it is sent; null: no news. */
    fun remotePublishing(state: Int): Boolean? = when (state) {
        1, 2 -> true
        0, 4 -> false
        else -> null
    }

    private fun clamp(quality: Int): UByte = if (quality in 0..6) quality.toUByte() else 0u
}
