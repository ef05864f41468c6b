package app.psyter.patient.platform

import android.content.Context
import android.os.Handler
import android.os.Looper
import android.view.SurfaceView
import android.view.View
import app.psyter.core.Device
import app.psyter.core.DeviceStatus
import app.psyter.core.EngineEvent
import app.psyter.core.JoinParams
import app.psyter.ffi.EngineListener
import app.psyter.ffi.MediaEngine
import app.psyter.ffi.PlatformException
import io.agora.rtc2.ChannelMediaOptions
import io.agora.rtc2.Constants
import io.agora.rtc2.IRtcEngineEventHandler
import io.agora.rtc2.RtcEngine
import io.agora.rtc2.RtcEngineConfig
import io.agora.rtc2.internal.LastmileProbeConfig
import io.agora.rtc2.video.VideoCanvas
import java.lang.ref.WeakReference
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * The Agora RTC SDK (4.x, `io.agora.rtc2`) as the core's media engine: it joins, renews, mutes,
 * switches and probes as the core asks, and reports the SDK's callbacks as engine events mapped the
 * way the core maps Agora's numbers ([AgoraMapping]). The call screen shows video in surfaces from
 * [createSurface], attached with [attachLocalVideo] and [attachRemoteVideo].
 */
class AgoraMediaEngine(context: Context, private val defaultAppId: String?) : MediaEngine {
    private val appContext = context.applicationContext
    private val main = Handler(Looper.getMainLooper())
    private val lock = Any()
    private var rtc: RtcEngine? = null
    private var rtcAppId: String? = null
    private var listener: EngineListener? = null
    private val remoteMedia = HashMap<Int, RemoteMedia>()
    private var remoteUid: Int? = null
    private var videoMuted = false
    private var audioOnly = false
    private var frontCamera = true
    private var lastProbeQuality = 0
    private var localView = WeakReference<View>(null)
    private var remoteView = WeakReference<View>(null)
    private val remotePresent = MutableStateFlow(false)

    /** Whether the other participant is in the channel (the call screen shows their video or "waiting"). */
    val remoteJoined: StateFlow<Boolean> = remotePresent.asStateFlow()

    /** Whether an App ID is configured, so the engine can probe before any call's credentials arrive. */
    val canProbe: Boolean get() = !defaultAppId.isNullOrBlank()

    /** What the other participant sends. */
    private data class RemoteMedia(val audio: Boolean = false, val video: Boolean = false)

    /** Where events go from now on. */
    override fun setListener(listener: EngineListener) {
        synchronized(lock) { this.listener = listener }
    }

    /** Joins as a broadcaster, with the camera unless it is off or the call is audio-only. */
    @Throws(PlatformException::class)
    override fun join(params: JoinParams) {
        val engine = engine(params.appId)
        engine.stopLastmileProbeTest()
        val (videoOff, onlyAudio) = synchronized(lock) { (videoMuted || audioOnly) to audioOnly }
        val options = ChannelMediaOptions().apply {
            channelProfile = Constants.CHANNEL_PROFILE_COMMUNICATION
            clientRoleType = Constants.CLIENT_ROLE_BROADCASTER
            publishMicrophoneTrack = true
            publishCameraTrack = !videoOff
            autoSubscribeAudio = true
            autoSubscribeVideo = !onlyAudio
        }
        engine.enableLocalVideo(!videoOff)
        applyLocalCanvas(engine)
        ensureOk(engine.joinChannel(params.token, params.channel, params.uid.toInt(), options), "joinChannel")
    }

    /** Leaves the channel (idempotent). */
    @Throws(PlatformException::class)
    override fun leave() {
        val engine = synchronized(lock) { rtc } ?: return
        engine.stopPreview()
        ensureOk(engine.leaveChannel(), "leaveChannel")
        synchronized(lock) {
            remoteMedia.clear()
            remoteUid = null
        }
        remotePresent.value = false
    }

    /** Hands the SDK a fresh token. */
    @Throws(PlatformException::class)
    override fun renewToken(token: String) = ensureOk(running().renewToken(token), "renewToken")

    /** Mutes or unmutes the microphone. */
    @Throws(PlatformException::class)
    override fun setAudioMuted(muted: Boolean) = ensureOk(running().muteLocalAudioStream(muted), "muteLocalAudioStream")

    /** Stops or restarts the camera (capture too, so the camera light goes off). */
    @Throws(PlatformException::class)
    override fun setVideoMuted(muted: Boolean) {
        val onlyAudio = synchronized(lock) {
            videoMuted = muted
            audioOnly
        }
        applyVideo(videoOff = muted || onlyAudio, remoteOff = onlyAudio)
    }

    /** The audio-only fallback: no camera sent (enableLocalVideo(false)), no remote video received. */
    @Throws(PlatformException::class)
    override fun setAudioOnly(audioOnly: Boolean) {
        val muted = synchronized(lock) {
            this.audioOnly = audioOnly
            videoMuted
        }
        applyVideo(videoOff = audioOnly || muted, remoteOff = audioOnly)
    }

    /** Camera `front`/`back` (switchCamera), speaker `speaker`/`earpiece` (setEnableSpeakerphone); microphones are the system's. */
    @Throws(PlatformException::class)
    override fun switchDevice(device: Device, deviceId: String) {
        val engine = running()
        when (device) {
            Device.CAMERA -> {
                val wantFront = deviceId != "back"
                if (wantFront != synchronized(lock) { frontCamera }) {
                    ensureOk(engine.switchCamera(), "switchCamera")
                    synchronized(lock) { frontCamera = wantFront }
                }
            }
            Device.SPEAKER -> ensureOk(engine.setEnableSpeakerphone(deviceId != "earpiece"), "setEnableSpeakerphone")
            Device.MICROPHONE -> throw PlatformException.Unavailable("Android routes the microphone itself")
        }
    }

    /** Starts Agora's last-mile probe; `onLastmileQuality` answers in about 2 s (the core waits 5 s). */
    @Throws(PlatformException::class)
    override fun startProbe() {
        val config = LastmileProbeConfig().apply {
            probeUplink = true
            probeDownlink = true
            expectedUplinkBitrate = 1_000_000
            expectedDownlinkBitrate = 1_000_000
        }
        ensureOk(engine(null).startLastmileProbeTest(config), "startLastmileProbeTest")
    }

    /** The microphone and camera: present (PackageManager features) and allowed (runtime permissions). */
    @Throws(PlatformException::class)
    override fun devices(): DeviceStatus = MediaDevices.status(appContext)

    /** A surface for video; [overlay] puts it above another surface (the local preview over the remote video). */
    fun createSurface(context: Context, overlay: Boolean): SurfaceView =
        SurfaceView(context).apply { if (overlay) setZOrderMediaOverlay(true) }

    /** Shows this device's camera in [view] (null detaches it). */
    fun attachLocalVideo(view: View?) {
        val engine = synchronized(lock) {
            localView = WeakReference(view)
            rtc
        }
        engine?.let(::applyLocalCanvas)
    }

    /** Shows the other participant's video in [view] (null detaches it). */
    fun attachRemoteVideo(view: View?) {
        val (engine, uid) = synchronized(lock) {
            remoteView = WeakReference(view)
            rtc to remoteUid
        }
        if (engine != null && uid != null) engine.setupRemoteVideo(VideoCanvas(view, VideoCanvas.RENDER_MODE_HIDDEN, uid))
    }

    /** Detaches [view] if it is still the local or the remote one (a surface being released). */
    fun detachVideo(view: View) {
        val (local, remote) = synchronized(lock) { (localView.get() === view) to (remoteView.get() === view) }
        if (local) attachLocalVideo(null)
        if (remote) attachRemoteVideo(null)
    }

    /** Releases the SDK (after the app's last call). */
    fun destroy() {
        val had = synchronized(lock) {
            val had = rtc != null
            rtc = null
            rtcAppId = null
            had
        }
        if (had) RtcEngine.destroy()
    }

    private val handler = object : IRtcEngineEventHandler() {
        override fun onConnectionStateChanged(state: Int, reason: Int) = emit(AgoraMapping.connection(state, reason))

        override fun onNetworkQuality(uid: Int, txQuality: Int, rxQuality: Int) {
            if (uid == 0) emit(AgoraMapping.quality(txQuality, rxQuality)) // 0 is this device
        }

        override fun onLastmileQuality(quality: Int) {
            synchronized(lock) { lastProbeQuality = quality }
            emit(AgoraMapping.probe(quality))
        }

        override fun onLastmileProbeResult(result: IRtcEngineEventHandler.LastmileProbeResult) {
            // The detailed result (about 30 s in) adds the round-trip time; the probe is done.
            synchronized(lock) { rtc }?.stopLastmileProbeTest()
            emit(AgoraMapping.probe(synchronized(lock) { lastProbeQuality }, result.rtt))
        }

        override fun onTokenPrivilegeWillExpire(token: String?) = emit(EngineEvent.TokenWillExpire)

        override fun onRequestToken() = emit(EngineEvent.TokenExpired)

        override fun onUserJoined(uid: Int, elapsed: Int) {
            synchronized(lock) { remoteUid = uid }
            main.post {
                // Read the view on the main thread, where the call screen attaches it: no stale view wins.
                val (engine, view) = synchronized(lock) { rtc to remoteView.get() }
                engine?.setupRemoteVideo(VideoCanvas(view, VideoCanvas.RENDER_MODE_HIDDEN, uid))
            }
            remotePresent.value = true
            emit(EngineEvent.RemoteJoined(uid.toUInt()))
        }

        override fun onUserOffline(uid: Int, reason: Int) {
            val none = synchronized(lock) {
                remoteMedia.remove(uid)
                if (remoteUid == uid) remoteUid = null
                remoteUid == null
            }
            if (none) remotePresent.value = false
            main.post { synchronized(lock) { rtc }?.setupRemoteVideo(VideoCanvas(null, VideoCanvas.RENDER_MODE_HIDDEN, uid)) }
            emit(EngineEvent.RemoteLeft(uid.toUInt()))
        }

        override fun onRemoteVideoStateChanged(uid: Int, state: Int, reason: Int, elapsed: Int) {
            AgoraMapping.remotePublishing(state)?.let { sending -> updateRemote(uid) { it.copy(video = sending) } }
        }

        override fun onRemoteAudioStateChanged(uid: Int, state: Int, reason: Int, elapsed: Int) {
            AgoraMapping.remotePublishing(state)?.let { sending -> updateRemote(uid) { it.copy(audio = sending) } }
        }

        override fun onLocalAudioStateChanged(state: Int, error: Int) {
            AgoraMapping.localAudio(error)?.let(::emit)
        }

        override fun onLocalVideoStateChanged(source: Constants.VideoSourceType?, state: Int, error: Int) {
            AgoraMapping.localVideo(error)?.let(::emit)
        }
    }

    private fun emit(event: EngineEvent) {
        synchronized(lock) { listener }?.onEvent(event)
    }

    /** The engine for [appId] (null: the configured one), created or recreated as needed. */
    private fun engine(appId: String?): RtcEngine {
        val wanted = (appId ?: defaultAppId)?.takeIf { it.isNotBlank() && it != RoutingMediaEngine.SANDBOX_APP_ID }
            ?: throw PlatformException.Unavailable("no Agora App ID configured")
        val stale = synchronized(lock) {
            rtc?.let { if (rtcAppId == wanted) return it }
            rtc != null
        }
        if (stale) destroy()
        val config = RtcEngineConfig().apply {
            mContext = appContext
            mAppId = wanted
            mChannelProfile = Constants.CHANNEL_PROFILE_COMMUNICATION
            mEventHandler = handler
        }
        val created = try {
            RtcEngine.create(config)
        } catch (e: Exception) {
            throw PlatformException.Failed("Agora engine could not start: ${e.javaClass.simpleName}")
        }
        created.enableAudio()
        created.enableVideo()
        created.setDefaultAudioRoutetoSpeakerphone(true)
        synchronized(lock) {
            rtc = created
            rtcAppId = wanted
        }
        return created
    }

    /** The engine of the current call, or unavailable before any join or probe. */
    private fun running(): RtcEngine =
        synchronized(lock) { rtc } ?: throw PlatformException.Unavailable("the Agora engine has not started")

    private fun applyVideo(videoOff: Boolean, remoteOff: Boolean) {
        val engine = synchronized(lock) { rtc } ?: return
        ensureOk(engine.enableLocalVideo(!videoOff), "enableLocalVideo")
        ensureOk(engine.muteLocalVideoStream(videoOff), "muteLocalVideoStream")
        ensureOk(engine.muteAllRemoteVideoStreams(remoteOff), "muteAllRemoteVideoStreams")
    }

    private fun applyLocalCanvas(engine: RtcEngine) {
        val view = synchronized(lock) { localView.get() }
        engine.setupLocalVideo(VideoCanvas(view, VideoCanvas.RENDER_MODE_HIDDEN, 0))
        if (view != null) engine.startPreview()
    }

    private fun updateRemote(uid: Int, change: (RemoteMedia) -> RemoteMedia) {
        val changed = synchronized(lock) {
            val before = remoteMedia[uid] ?: RemoteMedia()
            val after = change(before)
            remoteMedia[uid] = after
            after.takeIf { it != before }
        }
        changed?.let { emit(EngineEvent.RemotePublished(uid.toUInt(), it.audio, it.video)) }
    }

    /** Agora returns 0 or a negative error code; only the code (no data) goes to the core. */
    private fun ensureOk(code: Int, call: String) {
        if (code < 0) throw PlatformException.Failed("Agora $call returned $code")
    }
}
