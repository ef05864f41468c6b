# رسائل المواعيد في Psyter بالعربية: الحالات، والقوائم، والحجز والإلغاء، والتذكيرات.
#
# $provider: اسم مقدّم الرعاية. $when: تاريخ و/أو وقت منسّق مسبقًا حسب اللغة.
# اختيار صيغة العدد بـ PLURAL($count) لا بـ $count (انظر app.ftl).

## حالة الموعد (مصطلحات FHIR R4)

status-proposed = مقترح
status-pending = بانتظار التأكيد
status-booked = محجوز
status-arrived = حاضر
status-fulfilled = مكتمل
status-cancelled = ملغى
status-noshow = لم يتم الحضور
status-entered-in-error = أُدخل عن طريق الخطأ
status-checked-in = تم تسجيل الحضور
status-waitlist = على قائمة الانتظار

## القوائم

upcoming-heading = المواعيد القادمة
history-heading = المواعيد السابقة
no-appointments = ليست لديك مواعيد بعد.
# $count: عدد المواعيد في القائمة.
appointments-count =
    { PLURAL($count) ->
        [zero] لا توجد مواعيد
        [one] موعد واحد
        [two] موعدان
        [few] { $count } مواعيد
        [many] { $count } موعدًا
       *[other] { $count } موعد
    }

## الحجز والإلغاء

booked-confirmation = تم حجز موعدك مع { $provider } في { $when }.
booking-queued-offline = أنت غير متصل. سيُرسَل طلب حجزك مع { $provider } في { $when } عند عودة الاتصال.
cancelled-confirmation = تم إلغاء موعدك.
cancel-queued-offline = أنت غير متصل. سيُرسَل طلب الإلغاء عند عودة الاتصال.

## التذكيرات

reminder-title = موعد جلستك يقترب
# $minutes: الدقائق المتبقية حتى بدء الجلسة. $when: وقت بدئها.
reminder-body =
    { PLURAL($minutes) ->
        [zero] تبدأ جلستك مع { $provider } الآن ({ $when }).
        [one] تبدأ جلستك مع { $provider } بعد دقيقة واحدة ({ $when }).
        [two] تبدأ جلستك مع { $provider } بعد دقيقتين ({ $when }).
        [few] تبدأ جلستك مع { $provider } بعد { $minutes } دقائق ({ $when }).
        [many] تبدأ جلستك مع { $provider } بعد { $minutes } دقيقة ({ $when }).
       *[other] تبدأ جلستك مع { $provider } بعد { $minutes } دقيقة ({ $when }).
    }
# $count: التذكيرات المجدولة على هذا الجهاز.
reminders-planned =
    { PLURAL($count) ->
        [zero] لا توجد تذكيرات مجدولة
        [one] تذكير واحد مجدول
        [two] تذكيران مجدولان
        [few] { $count } تذكيرات مجدولة
        [many] { $count } تذكيرًا مجدولًا
       *[other] { $count } تذكير مجدول
    }
