# Psyter video consultation messages, en-US: call states, why a call ended, the pre-call check.

## Call states

call-state-idle = Not started
call-state-checking = Checking your device…
call-state-ready = Ready to join
call-state-joining = Joining…
call-state-connected = Connected
call-state-reconnecting = Reconnecting…
call-state-ended = Call ended
call-state-failed = Call interrupted
call-audio-only = Video is paused to keep your audio clear on a weak connection.

## Why a call ended or stopped

call-reason-call-left = You left the call.
call-reason-call-window-closed = The appointment time is over.
call-reason-outside-join-window = You can join from 10 minutes before the start until the end of the appointment.
call-reason-call-permission-denied = Psyter needs access to your microphone. Allow it in your device settings and join again.
call-reason-call-banned = You were removed from this call.
call-reason-call-joined-elsewhere = You joined this call from another device.
call-reason-call-gave-up = The connection could not be restored. Check your network and join again.
call-reason-call-token-refused = The call could not be authorised. Please join again.
call-reason-call-engine-config = The video service is not set up correctly. Please contact support.

## Pre-call check

precall-microphone-pass = Microphone is ready.
precall-microphone-fail = No microphone is available, or access is blocked. Connect one or allow access in your settings.
precall-camera-pass = Camera is ready.
precall-camera-warn = No camera is available, or access is blocked. You can still join with audio only.
precall-network-pass = Your connection looks good.
precall-network-warn = Your connection is weak. Video may pause; move closer to your Wi-Fi if you can.
precall-network-fail = Your connection is too weak for a call. Try another network.
precall-network-unknown = Your connection could not be measured. You can still try to join.
