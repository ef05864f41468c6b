# رسائل الاستشارة المرئية في Psyter، بالعربية: حالات المكالمة، وأسباب انتهائها، والفحص قبل المكالمة.

## حالات المكالمة

call-state-idle = لم تبدأ بعد
call-state-checking = جارٍ فحص جهازك…
call-state-ready = جاهز للانضمام
call-state-joining = جارٍ الانضمام…
call-state-connected = متصل
call-state-reconnecting = جارٍ إعادة الاتصال…
call-state-ended = انتهت المكالمة
call-state-failed = انقطعت المكالمة
call-audio-only = أُوقف الفيديو مؤقتًا للحفاظ على وضوح الصوت بسبب ضعف الاتصال.

## أسباب انتهاء المكالمة أو توقفها

call-reason-call-left = لقد غادرت المكالمة.
call-reason-call-window-closed = انتهى وقت الموعد.
call-reason-outside-join-window = يمكنك الانضمام قبل بدء الموعد بعشر دقائق وحتى نهايته.
call-reason-call-permission-denied = يحتاج Psyter إلى الوصول إلى الميكروفون. اسمح بذلك من إعدادات جهازك ثم انضم مرة أخرى.
call-reason-call-banned = تمت إزالتك من هذه المكالمة.
call-reason-call-joined-elsewhere = انضممت إلى هذه المكالمة من جهاز آخر.
call-reason-call-gave-up = تعذّرت استعادة الاتصال. تحقّق من الشبكة ثم انضم مرة أخرى.
call-reason-call-token-refused = تعذّر تفويض المكالمة. يُرجى الانضمام مرة أخرى.
call-reason-call-engine-config = خدمة الفيديو غير مُعدّة بشكل صحيح. يُرجى التواصل مع الدعم.

## الفحص قبل المكالمة

precall-microphone-pass = الميكروفون جاهز.
precall-microphone-fail = لا يوجد ميكروفون متاح أو أن الوصول إليه محظور. وصّل ميكروفونًا أو اسمح بالوصول من الإعدادات.
precall-camera-pass = الكاميرا جاهزة.
precall-camera-warn = لا توجد كاميرا متاحة أو أن الوصول إليها محظور. لا يزال بإمكانك الانضمام بالصوت فقط.
precall-network-pass = يبدو اتصالك جيدًا.
precall-network-warn = اتصالك ضعيف. قد يتوقف الفيديو مؤقتًا؛ اقترب من شبكة Wi-Fi إن أمكن.
precall-network-fail = اتصالك أضعف من أن يكفي لمكالمة. جرّب شبكة أخرى.
precall-network-unknown = تعذّر قياس اتصالك. لا يزال بإمكانك محاولة الانضمام.
