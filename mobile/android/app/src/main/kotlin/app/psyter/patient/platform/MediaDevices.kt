package app.psyter.patient.platform

import android.Manifest
import android.content.Context
import android.content.pm.PackageManager
import androidx.core.content.ContextCompat
import app.psyter.core.DeviceStatus

/** The microphone and camera as the pre-call check sees them: present (PackageManager) and allowed (permissions). */
object MediaDevices {
    /** The runtime permissions a call needs; ask for them before the pre-call check. */
    val permissions = arrayOf(Manifest.permission.RECORD_AUDIO, Manifest.permission.CAMERA)

    /** Which devices are present and allowed right now. */
    fun status(context: Context): DeviceStatus {
        val features = context.packageManager
        return DeviceStatus(
            microphone = features.hasSystemFeature(PackageManager.FEATURE_MICROPHONE),
            microphoneAllowed = granted(context, Manifest.permission.RECORD_AUDIO),
            camera = features.hasSystemFeature(PackageManager.FEATURE_CAMERA_ANY),
            cameraAllowed = granted(context, Manifest.permission.CAMERA),
        )
    }

    private fun granted(context: Context, permission: String) =
        ContextCompat.checkSelfPermission(context, permission) == PackageManager.PERMISSION_GRANTED
}
