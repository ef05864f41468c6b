#if canImport(UIKit)
import UIKit

/// An engine that shows video in UIKit views, so the call screen can render without importing the
/// media SDK: it hands over a view for this device's camera and one for the other participant.
public protocol VideoRendering: AnyObject {
    /// Shows this device's camera in `view` (nil detaches it).
    @MainActor func attachLocalVideo(_ view: UIView?)
    /// Shows the other participant's video in `view` (nil detaches it).
    @MainActor func attachRemoteVideo(_ view: UIView?)
}

extension RoutingMediaEngine: VideoRendering {
    /// Forwards to the Agora engine when it renders video (the sandbox engine has none).
    @MainActor
    public func attachLocalVideo(_ view: UIView?) {
        (agora as? any VideoRendering)?.attachLocalVideo(view)
    }

    /// Forwards to the Agora engine when it renders video.
    @MainActor
    public func attachRemoteVideo(_ view: UIView?) {
        (agora as? any VideoRendering)?.attachRemoteVideo(view)
    }
}
#endif
