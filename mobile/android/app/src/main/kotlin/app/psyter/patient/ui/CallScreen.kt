package app.psyter.patient.ui

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.outlined.VolumeUp
import androidx.compose.material.icons.outlined.CallEnd
import androidx.compose.material.icons.outlined.Cameraswitch
import androidx.compose.material.icons.outlined.Hearing
import androidx.compose.material.icons.outlined.Mic
import androidx.compose.material.icons.outlined.MicOff
import androidx.compose.material.icons.outlined.Videocam
import androidx.compose.material.icons.outlined.VideocamOff
import androidx.compose.material3.Button
import androidx.compose.material3.ElevatedCard
import androidx.compose.material3.FilledIconButton
import androidx.compose.material3.FilledTonalIconButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButtonDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.platform.LocalView
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.psyter.core.CallState
import app.psyter.core.Device
import app.psyter.ffi.PlatformException
import app.psyter.kit.PsyterKit
import app.psyter.kit.ui.CallViewModel
import app.psyter.patient.R
import app.psyter.patient.platform.AgoraMediaEngine
import app.psyter.patient.platform.RoutingMediaEngine
import kotlinx.coroutines.flow.MutableStateFlow

/**
 * The consultation: the provider's video full screen, this device's camera in the top-end corner,
 * banners while reconnecting or audio-only, and the controls. Leaving (or the back button) ends
 * the call; the screen then shows why it ended. The call is also left when this screen is gone.
 */
@Composable
fun CallScreen(kit: PsyterKit, appointmentId: String, engine: RoutingMediaEngine, onClose: () -> Unit) {
    val holder = kitModel(kit) { k, scope -> CallViewModel(k, scope) }
    val model = holder.model
    val state by model.state.collectAsStateWithLifecycle()
    LaunchedEffect(holder) { holder.once { it.join(appointmentId, engine) } }
    var frontCamera by rememberSaveable { mutableStateOf(true) }
    var speaker by rememberSaveable { mutableStateOf(true) }
    val agora = engine.agora
    val remoteFlow = remember(agora) { agora?.remoteJoined ?: MutableStateFlow(false) }
    val remoteJoined by remoteFlow.collectAsStateWithLifecycle()
    val callState = state.view?.state
    val over = state.record != null || callState == CallState.ENDED || callState == CallState.FAILED ||
        (state.view == null && state.error != null)
    val screen = LocalView.current
    DisposableEffect(screen) {
        screen.keepScreenOn = true
        onDispose { screen.keepScreenOn = false }
    }
    BackHandler { if (over) onClose() else model.leave() }

    Box(Modifier.fillMaxSize().background(Color.Black)) {
        val audioOnly = state.view?.audioOnly == true
        if (agora != null && remoteJoined && !audioOnly) {
            VideoSurface(agora, local = false, stringResource(R.string.call_remote_video), Modifier.fillMaxSize())
        } else if (!over) {
            Text(
                stringResource(if (callState == CallState.CONNECTED) R.string.call_waiting else Labels.callState(callState ?: CallState.JOINING)),
                color = Color.White,
                style = MaterialTheme.typography.titleMedium,
                modifier = Modifier.align(Alignment.Center).padding(24.dp),
            )
        }
        if (agora != null && !state.videoMuted && !audioOnly && !over) {
            VideoSurface(
                agora,
                local = true,
                stringResource(R.string.call_local_video),
                Modifier.align(Alignment.TopEnd).safeDrawingPadding().padding(16.dp).width(112.dp).aspectRatio(3f / 4f)
                    .clip(RoundedCornerShape(12.dp)),
            )
        }
        Column(Modifier.align(Alignment.TopCenter).safeDrawingPadding().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            if (callState == CallState.RECONNECTING) Banner(stringResource(R.string.call_state_reconnecting))
            if (audioOnly && !over) Banner(stringResource(R.string.call_audio_only))
        }
        if (over) {
            Ended(state.view?.state, state.view?.reason, state.error?.text(), onClose, Modifier.align(Alignment.Center))
        } else {
            Controls(
                audioMuted = state.audioMuted,
                videoMuted = state.videoMuted,
                speaker = speaker,
                onAudio = model::toggleAudio,
                onVideo = model::toggleVideo,
                onSwitchCamera = {
                    if (trySwitch(engine, Device.CAMERA, if (frontCamera) "back" else "front")) frontCamera = !frontCamera
                },
                onSpeaker = { if (trySwitch(engine, Device.SPEAKER, if (speaker) "earpiece" else "speaker")) speaker = !speaker },
                onLeave = model::leave,
                modifier = Modifier.align(Alignment.BottomCenter).safeDrawingPadding().padding(24.dp),
            )
        }
    }
}

/** Switches a device on the engine in use (the core only forwards this); false when the engine refused. */
private fun trySwitch(engine: RoutingMediaEngine, device: Device, id: String): Boolean = try {
    engine.switchDevice(device, id)
    true
} catch (e: PlatformException) {
    false
}

/** A video surface from the Agora engine, attached while it is on screen. */
@Composable
private fun VideoSurface(agora: AgoraMediaEngine, local: Boolean, description: String, modifier: Modifier) {
    AndroidView(
        factory = { context ->
            agora.createSurface(context, overlay = local).also { if (local) agora.attachLocalVideo(it) else agora.attachRemoteVideo(it) }
        },
        onRelease = { agora.detachVideo(it) },
        modifier = modifier.semantics { contentDescription = description },
    )
}

/** A short notice over the video, announced by screen readers. */
@Composable
private fun Banner(text: String) {
    Surface(
        color = MaterialTheme.colorScheme.inverseSurface,
        contentColor = MaterialTheme.colorScheme.inverseOnSurface,
        shape = MaterialTheme.shapes.medium,
        modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite },
    ) { Text(text, Modifier.padding(horizontal = 16.dp, vertical = 10.dp), style = MaterialTheme.typography.bodyMedium) }
}

/** The call controls: microphone, camera, switch camera, speaker, leave (each 56dp, labelled). */
@Composable
private fun Controls(
    audioMuted: Boolean,
    videoMuted: Boolean,
    speaker: Boolean,
    onAudio: () -> Unit,
    onVideo: () -> Unit,
    onSwitchCamera: () -> Unit,
    onSpeaker: () -> Unit,
    onLeave: () -> Unit,
    modifier: Modifier = Modifier,
) {
    Row(modifier, horizontalArrangement = Arrangement.spacedBy(12.dp), verticalAlignment = Alignment.CenterVertically) {
        Control(
            if (audioMuted) Icons.Outlined.MicOff else Icons.Outlined.Mic,
            stringResource(if (audioMuted) R.string.call_unmute else R.string.call_mute),
            onAudio,
        )
        Control(
            if (videoMuted) Icons.Outlined.VideocamOff else Icons.Outlined.Videocam,
            stringResource(if (videoMuted) R.string.call_camera_on else R.string.call_camera_off),
            onVideo,
        )
        Control(Icons.Outlined.Cameraswitch, stringResource(R.string.call_switch_camera), onSwitchCamera)
        Control(
            if (speaker) Icons.AutoMirrored.Outlined.VolumeUp else Icons.Outlined.Hearing,
            stringResource(if (speaker) R.string.call_earpiece else R.string.call_speaker),
            onSpeaker,
        )
        FilledIconButton(
            onClick = onLeave,
            colors = IconButtonDefaults.filledIconButtonColors(containerColor = MaterialTheme.colorScheme.error),
            modifier = Modifier.size(64.dp),
        ) { Icon(Icons.Outlined.CallEnd, contentDescription = stringResource(R.string.call_leave)) }
    }
}

/** One round control. */
@Composable
private fun Control(icon: ImageVector, label: String, onClick: () -> Unit) {
    FilledTonalIconButton(onClick = onClick, modifier = Modifier.size(56.dp)) { Icon(icon, contentDescription = label) }
}

/** Why the call is over, and a way out. */
@Composable
private fun Ended(state: CallState?, reason: String?, error: String?, onClose: () -> Unit, modifier: Modifier) {
    ElevatedCard(modifier.padding(24.dp)) {
        Column(Modifier.padding(24.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            Text(
                stringResource(Labels.callState(state ?: CallState.FAILED)),
                style = MaterialTheme.typography.titleLarge,
            )
            val why = reason?.let { stringResource(Labels.callReason(it)) } ?: error
            if (why != null) Text(why, style = MaterialTheme.typography.bodyMedium)
            Button(onClick = onClose, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
                Text(stringResource(R.string.action_close))
            }
        }
    }
}
