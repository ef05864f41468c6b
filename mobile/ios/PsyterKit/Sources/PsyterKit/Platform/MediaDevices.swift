#if canImport(AVFoundation)
import AVFoundation
import Foundation
import PsyterFFI

/// The microphone and camera as the pre-call check sees them, and the permission prompts.
public enum MediaDevices {
    /// Which devices are present and allowed right now (an undecided permission is not allowed:
    /// call `requestAccess()` before the check).
    public static func status() -> DeviceStatus {
        DeviceStatus(
            microphone: AVCaptureDevice.default(for: .audio) != nil,
            microphoneAllowed: AVCaptureDevice.authorizationStatus(for: .audio) == .authorized,
            camera: AVCaptureDevice.default(for: .video) != nil,
            cameraAllowed: AVCaptureDevice.authorizationStatus(for: .video) == .authorized
        )
    }

    /// Shows the system's microphone and camera prompts the first time (later calls do nothing).
    public static func requestAccess() async {
        for media in [AVMediaType.audio, .video] where AVCaptureDevice.authorizationStatus(for: media) == .notDetermined {
            _ = await AVCaptureDevice.requestAccess(for: media)
        }
    }
}
#endif
