# صفحة المكالمة المستقلة (ui/call.html)، بالعربية: أزرار التحكم والتسميات والتنبيهات في نافذة المكالمة المرئية.

call-page-title = استشارة Psyter المرئية
call-remote-label = فيديو الطرف الآخر
call-local-label = الكاميرا الخاصة بك
call-controls-label = أزرار التحكم في المكالمة
call-waiting = في انتظار انضمام الطرف الآخر…
call-remote-left = غادر الطرف الآخر المكالمة.
call-mic-mute = كتم الميكروفون
call-mic-unmute = إلغاء كتم الميكروفون
call-camera-off = إيقاف الكاميرا
call-camera-on = تشغيل الكاميرا
call-end = إنهاء المكالمة
call-sound-on = تشغيل الصوت
call-ended-close = يمكنك إغلاق هذه النافذة الآن.
call-bad-link = رابط المكالمة هذا غير صالح. افتح المكالمة مرة أخرى من تطبيق Psyter.
call-shell-gone = توقف تطبيق Psyter عن الاستجابة، لذا أُنهيت المكالمة.
call-camera-unavailable = الكاميرا غير متاحة. ستستمر المكالمة بالصوت فقط.
call-no-webrtc = لا يدعم هذا المتصفح المكالمات المرئية. يُرجى استخدام إصدار حديث من Chrome أو Edge أو Firefox أو Safari.
