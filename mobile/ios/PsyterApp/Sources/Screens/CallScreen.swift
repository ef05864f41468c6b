import PsyterKit
import SwiftUI

/// The consultation: the other participant full screen, this device's camera in a corner, banners
/// for reconnecting and audio-only, and the controls. Leaving (or closing the screen) ends the call.
struct CallScreen: View {
    let kit: PsyterKit
    let appointment: AppointmentView
    @Environment(AppModel.self) private var app
    @Environment(\.dismiss) private var dismiss
    @Environment(\.locale) private var locale
    @State private var model: CallModel

    /// The call of `appointment`.
    init(kit: PsyterKit, appointment: AppointmentView) {
        self.kit = kit
        self.appointment = appointment
        _model = State(initialValue: CallModel(kit: kit))
    }

    var body: some View {
        ZStack {
            Color.black.ignoresSafeArea()
            VideoSurface(engine: app.engine, role: .remote)
                .ignoresSafeArea()
                .accessibilityLabel(Text("call-remote-video"))
            if showsPlaceholder {
                placeholder
            }
            VStack(spacing: 12) {
                banners
                HStack {
                    Spacer()
                    if !model.state.videoMuted && model.state.view?.audioOnly != true {
                        VideoSurface(engine: app.engine, role: .local)
                            .frame(width: 112, height: 160)
                            .clipShape(RoundedRectangle(cornerRadius: 12))
                            .accessibilityLabel(Text("call-local-video"))
                    }
                }
                .padding(.horizontal)
                Spacer()
                if model.state.isOver {
                    endedPanel
                } else {
                    controls
                }
            }
            .padding(.vertical)
        }
        .foregroundStyle(.white)
        .task {
            app.callActive = true
            await model.join(appointmentId: appointment.id, engine: app.engine)
            app.callActive = false
        }
        .onDisappear { model.leave() }
    }

    private var showsPlaceholder: Bool {
        model.state.view?.audioOnly == true || model.state.view?.state != .connected
    }

    private var placeholder: some View {
        VStack(spacing: 12) {
            Image(systemName: "person.crop.circle.fill")
                .font(.system(size: 72))
                .accessibilityHidden(true)
            Text(appointment.appointment.providerName)
                .font(.title3.bold())
            if let view = model.state.view, !model.state.isOver {
                Text(LocalizedStringKey(Formatting.callStateKey(view.state)))
                    .foregroundStyle(.white.opacity(0.8))
            }
        }
        .accessibilityElement(children: .combine)
    }

    @ViewBuilder
    private var banners: some View {
        if model.state.isReconnecting {
            CallBanner(key: "call-state-reconnecting", systemImage: "wifi.exclamationmark")
        }
        if model.state.view?.audioOnly == true {
            CallBanner(key: "call-audio-only", systemImage: "video.slash.fill")
        }
        if let error = model.state.error, !model.state.isOver {
            ErrorBanner(error: error)
                .padding(.horizontal)
        }
    }

    private var controls: some View {
        HStack(spacing: 16) {
            CallControlButton(
                systemImage: model.state.audioMuted ? "mic.slash.fill" : "mic.fill",
                label: model.state.audioMuted ? "call-unmute" : "call-mute",
                isOn: model.state.audioMuted,
                action: model.toggleAudio
            )
            CallControlButton(
                systemImage: model.state.videoMuted ? "video.slash.fill" : "video.fill",
                label: model.state.videoMuted ? "call-camera-on" : "call-camera-off",
                isOn: model.state.videoMuted,
                action: model.toggleVideo
            )
            CallControlButton(systemImage: "arrow.triangle.2.circlepath.camera", label: "call-switch-camera", action: model.switchCamera)
            CallControlButton(
                systemImage: model.state.speakerOn ? "speaker.wave.2.fill" : "speaker.fill",
                label: model.state.speakerOn ? "call-speaker-off" : "call-speaker-on",
                isOn: !model.state.speakerOn,
                action: model.toggleSpeaker
            )
            CallControlButton(systemImage: "phone.down.fill", label: "call-leave", isDestructive: true, action: model.leave)
        }
        .padding(.bottom)
    }

    private var endedPanel: some View {
        VStack(spacing: 16) {
            if let view = model.state.view {
                Text(LocalizedStringKey(Formatting.callStateKey(view.state)))
                    .font(.title2.bold())
                if let reason = view.reason {
                    Text(ErrorText.callReason(reason, locale: locale))
                        .multilineTextAlignment(.center)
                }
            } else if let error = model.state.error {
                ErrorBanner(error: error)
            }
            Button {
                dismiss()
            } label: {
                Text("common-close")
                    .frame(maxWidth: .infinity, minHeight: 44)
            }
            .buttonStyle(.borderedProminent)
        }
        .padding()
        .background(.black.opacity(0.6), in: RoundedRectangle(cornerRadius: 16))
        .padding()
    }
}

/// A banner over the video: reconnecting, or video paused for a weak connection.
private struct CallBanner: View {
    let key: String
    let systemImage: String

    var body: some View {
        Label(LocalizedStringKey(key), systemImage: systemImage)
            .font(.callout.weight(.semibold))
            .padding(.horizontal, 14)
            .padding(.vertical, 8)
            .background(.black.opacity(0.6), in: Capsule())
            .accessibilityAddTraits(.updatesFrequently)
    }
}
