package app.psyter.patient

import app.psyter.core.ConnectionReason as Why
import app.psyter.core.Device
import app.psyter.core.EngineConnection as S
import app.psyter.core.EngineEvent
import app.psyter.core.ProbeResult
import app.psyter.patient.platform.AgoraMapping
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test

/** The same cases as core/src/video/agora.rs's tests, so the shell maps Agora's numbers as the core does. */
class AgoraMappingTest {
    private fun conn(state: Int, reason: Int) = AgoraMapping.connection(state, reason).let { it.state to it.reason }

    /** Agora states 1–5 and reasons 0–22 as agora.rs maps them. */
    @Test
    fun nativeStatesAndReasons() {
        assertEquals(S.CONNECTED to Why.NORMAL, conn(3, 1))
        assertEquals(S.RECONNECTING to Why.NETWORK, conn(4, 2))
        assertEquals(S.FAILED to Why.JOIN_FAILED, conn(5, 4))
        assertEquals(S.DISCONNECTED to Why.LEFT, conn(1, 5))
        assertEquals(S.FAILED to Why.BANNED, conn(5, 3))
        assertEquals(S.FAILED to Why.SAME_UID_ELSEWHERE, conn(5, 19))
        assertEquals(S.RECONNECTING to Why.TOKEN_EXPIRED, conn(4, 9))
        assertEquals(S.FAILED to Why.TOKEN_INVALID, conn(5, 8))
        assertEquals(S.RECONNECTING to Why.NETWORK, conn(99, -1))
    }

    /** Qualities outside 0–6 (unsupported, detecting) count as unknown. */
    @Test
    fun qualityIsClampedToTheScale() {
        assertEquals(EngineEvent.Quality(1u, 6u), AgoraMapping.quality(1, 6))
        assertEquals(EngineEvent.Quality(0u, 0u), AgoraMapping.quality(-3, 9))
        assertEquals(EngineEvent.Quality(0u, 0u), AgoraMapping.quality(7, 8)) // unsupported, detecting
    }

    /** The last-mile quality stands for both directions. */
    @Test
    fun probeUsesOneQualityForBothDirections() {
        assertEquals(EngineEvent.Probe(ProbeResult(2u, 2u, 0u)), AgoraMapping.probe(2))
        assertEquals(EngineEvent.Probe(ProbeResult(0u, 0u, 35u)), AgoraMapping.probe(8, 35))
    }

    /** Local audio/video errors become permission or device events; background capture is none. */
    @Test
    fun localDeviceErrors() {
        assertEquals(EngineEvent.PermissionDenied(Device.MICROPHONE), AgoraMapping.localAudio(2))
        assertEquals(EngineEvent.DeviceError(Device.MICROPHONE), AgoraMapping.localAudio(3))
        assertNull(AgoraMapping.localAudio(0))
        assertEquals(EngineEvent.PermissionDenied(Device.CAMERA), AgoraMapping.localVideo(2))
        assertEquals(EngineEvent.DeviceError(Device.CAMERA), AgoraMapping.localVideo(8))
        assertNull(AgoraMapping.localVideo(6)) // capturing in the background is not a failure
    }
}
