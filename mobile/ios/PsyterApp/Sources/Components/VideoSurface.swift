import PsyterKit
import SwiftUI
import UIKit

/// A UIKit view the media engine renders a video stream into (Agora's canvas); with the sandbox
/// engine it stays a plain dark view.
struct VideoSurface: UIViewRepresentable {
    /// Whose video to show.
    enum Role {
        case local
        case remote
    }

    let engine: any VideoRendering
    let role: Role

    /// A dark view handed to the engine as the canvas.
    func makeUIView(context: Context) -> UIView {
        let view = UIView()
        view.backgroundColor = .black
        view.clipsToBounds = true
        attach(view)
        return view
    }

    /// Nothing to update: the engine draws into the view.
    func updateUIView(_ uiView: UIView, context: Context) {}

    /// Keeps what `dismantleUIView` needs.
    func makeCoordinator() -> Coordinator {
        Coordinator(engine: engine, role: role)
    }

    /// Detaches the view from the engine when SwiftUI removes it.
    static func dismantleUIView(_ uiView: UIView, coordinator: Coordinator) {
        switch coordinator.role {
        case .local: coordinator.engine.attachLocalVideo(nil)
        case .remote: coordinator.engine.attachRemoteVideo(nil)
        }
    }

    private func attach(_ view: UIView) {
        switch role {
        case .local: engine.attachLocalVideo(view)
        case .remote: engine.attachRemoteVideo(view)
        }
    }

    /// Remembers the engine and role for detaching when SwiftUI removes the view.
    final class Coordinator {
        let engine: any VideoRendering
        let role: Role

        /// Remembers `engine` and `role`.
        init(engine: any VideoRendering, role: Role) {
            self.engine = engine
            self.role = role
        }
    }
}
