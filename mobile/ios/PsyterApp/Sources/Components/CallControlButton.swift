import SwiftUI

/// A round call control (56 pt, above the 44 pt minimum) with a spoken label and on/off state.
struct CallControlButton: View {
    let systemImage: String
    let label: LocalizedStringKey
    var isOn = false
    var isDestructive = false
    let action: @MainActor () -> Void

    var body: some View {
        Button {
            action()
        } label: {
            Image(systemName: systemImage)
                .font(.title2)
                .frame(width: 56, height: 56)
                .foregroundStyle(isOn ? Color.black : Color.white)
                .background(background, in: Circle())
        }
        .buttonStyle(.plain)
        .accessibilityLabel(Text(label))
        .accessibilityAddTraits(isOn ? .isSelected : [])
    }

    private var background: Color {
        if isDestructive { return .red }
        return isOn ? .white : Color.white.opacity(0.22)
    }
}
