# The standalone call page (ui/call.html), en-US: controls, labels and notices of the video call window.

call-page-title = Psyter video consultation
call-remote-label = The other participant's video
call-local-label = Your camera
call-controls-label = Call controls
call-waiting = Waiting for the other participant to join…
call-remote-left = The other participant left the call.
call-mic-mute = Mute microphone
call-mic-unmute = Unmute microphone
call-camera-off = Turn camera off
call-camera-on = Turn camera on
call-end = End call
call-sound-on = Turn on sound
call-ended-close = You can close this window now.
call-bad-link = This call link is not valid. Open the call again from the Psyter app.
call-shell-gone = The Psyter app stopped responding, so the call was ended.
call-camera-unavailable = Your camera is not available. The call continues with audio only.
call-no-webrtc = This browser cannot make video calls. Please use a current version of Chrome, Edge, Firefox or Safari.
