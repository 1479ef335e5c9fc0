# بوابة المشارك (/me) وبيان إمكانية الوصول. لغة بسيطة وجمل قصيرة.

## Every page
skip-to-content = انتقل إلى المحتوى
log-out = تسجيل الخروج
footer-logged = كل ما يقرأه أو يغيّره أي شخص عنك يُحفظ في سجل.
accessibility-link = إمكانية الوصول
back-to-start = العودة إلى البداية
back-to-plan = العودة إلى خطتي
back-to-consents = العودة إلى موافقاتي
to-start = إلى الصفحة الأولى
error-summary = هناك شيء يحتاج إلى تصحيح

## Errors
error-csrf = لم نتمكن من استلام النموذج. ارجع، وأعد تحميل الصفحة، وحاول مرة أخرى.
error-not-found-title = غير موجود
error-not-found = الصفحة غير موجودة، أو لا يحق لك رؤيتها.
error-forbidden-title = لا يحق لك فعل هذا
error-forbidden = ليس لديك الحق في استخدام هذه الصفحة.
error-staff-on-portal-title = هذه الصفحة للمشاركين
error-staff-on-portal = الصفحات تحت «صفحاتي» للمشاركين. للموظفين صفحاتهم الخاصة في Stegvis.
error-invalid-title = هناك شيء يحتاج إلى تصحيح
error-invalid = صحّح ما هو مُعلَّم. لم يُحفظ شيء.
error-conflict-title = شخص آخر غيّر في الوقت نفسه
error-conflict = شخص آخر غيّر هذا الآن. اقرأ النسخة الجديدة وحاول مرة أخرى. لم يُحفظ شيء.
error-too-many-title = محاولات كثيرة جدًا
error-too-many = انتظر ربع ساعة. ثم حاول مرة أخرى.
error-busy-title = كثير من الناس يستخدمون Stegvis الآن
error-busy = لم يُحفظ شيء. حاول مرة أخرى بعد قليل.
error-internal-title = حدث خطأ
error-internal = الخطأ من جهتنا. لم يُحفظ شيء. حاول مرة أخرى لاحقًا.
error-not-own-step = يمكنك أن تضع علامة «تم» على خطواتك أنت فقط. تحدّث مع مدربك عن الخطوات الأخرى.
error-field = هذا الحقل يحتاج إلى تصحيح.
error-field-goal = اكتب هدفًا. 500 حرف على الأكثر.
error-field-step = اكتب خطوة. 500 حرف على الأكثر.
error-field-due-on = اكتب التاريخ هكذا: 2026-12-15.
error-field-participant-words = النص طويل جدًا. 4000 حرف على الأكثر.
error-field-conflict = شخص آخر غيّر الخطوة الآن. هذه هي النسخة الجديدة. اكتب نصك مرة أخرى.
error-field-recipient-org-id = اختر من يمكنه رؤية معلوماتك.
error-field-kinds = اختر نوعًا واحدًا من المعلومات على الأقل.
error-field-purpose = اكتب السبب. 500 حرف على الأكثر.
error-field-valid-to = اكتب التاريخ هكذا: 2026-12-15. لا يمكن أن يكون قبل اليوم.
error-field-valid-from = اكتب التاريخ هكذا: 2026-12-15.

## Start
home-title = صفحاتي
home-greeting = مرحبًا { $name }!
home-next-steps = خطواتي التالية
home-no-steps = ليس لديك خطوات لتقوم بها الآن.
home-next-activities = أنشطتي التالية
home-no-activities = ليس لديك أنشطة أخرى هذا الأسبوع.
home-tasks = ماذا تريد أن تفعل؟
task-plan = خطتي
task-activities = أنشطتي وساعاتي
task-placements = أماكن التدريب والعمل
task-consents = موافقاتي
task-access-log = من رأى معلوماتي؟
task-reminders = التذكيرات

## Plan
plan-title = خطتي
plan-intro = هذه هي الخطوات نحو هدفك. يمكنك إضافة خطوات خاصة بك. يمكنك الكتابة بكلماتك.
plan-add = أضف خطوة
plan-empty = لا توجد خطوات في خطتك بعد.
plan-goal = الهدف
plan-due = يتم قبل
plan-status = الحالة
plan-who = صاحب الخطوة
plan-who-you = أنت
plan-who-staff = الموظفون
plan-words = كلماتك
plan-mark-done = تم!
plan-write-words = اكتب بكلماتي
status-planned = مخطط لها
status-in-progress = جارية
status-done = تمت
status-dropped = أُلغيت
step-new-title = أضف خطوة
step-new-intro = اكتب ما تريد أن تفعله. اكتب الهدف الذي تساعدك الخطوة على الوصول إليه.
step-new-submit = أضف الخطوة
words-title = اكتب بكلماتك
words-submit = احفظ
field-goal = الهدف
field-goal-hint = ماذا تريد أن تحقق؟ مثلًا عمل في متجر.
field-step = الخطوة
field-step-hint = ماذا ستفعل؟ مثلًا زيارة متجرين.
field-due-on = يتم قبل (إذا أردت)
field-due-on-hint = مثلًا 2026-12-15.
field-participant-words = بكلماتك (إذا أردت)
field-participant-words-hint = كيف تسير الأمور؟ ماذا تحتاج؟

## Activities
activities-title = أنشطتي
activities-hours = ساعاتي
activities-this-week = هذا الأسبوع
activities-this-month = هذا الشهر
activities-week = هذا الأسبوع
activities-none = ليس لديك أنشطة في الجدول هذا الأسبوع.
activity-place = المكان
hours = { $count ->
    [one] ساعة واحدة
   *[other] { $hours } ساعة
}
activity-guidance = إرشاد
activity-health-and-leisure = الصحة ووقت الفراغ
activity-supported-education = دراسة مع دعم
activity-studies = دراسة
activity-sfi = SFI، اللغة السويدية للمهاجرين
activity-motivation = تحفيز
activity-group-session = لقاء جماعي
activity-work-oriented = نشاط نحو العمل
weekday-1 = الاثنين
weekday-2 = الثلاثاء
weekday-3 = الأربعاء
weekday-4 = الخميس
weekday-5 = الجمعة
weekday-6 = السبت
weekday-7 = الأحد

## Placements
placements-title = أماكن التدريب والعمل
placements-none = ليس لديك مكان تدريب أو عمل هنا بعد.
placement-state = الحالة
placement-offered = عُرض في
placement-period = المدة
placement-hours = ساعات في الأسبوع
placement-work-practice = تدريب عملي
placement-work-training = تدريب على العمل
placement-work-trial = تجربة عمل
placement-subsidised-employment = عمل بدعم مالي
placement-adapted-employment = عمل مُكيَّف
placement-regular-employment = عمل
placement-supported-employment = عمل مع دعم (IPS)
placement-status-offered = لديك عرض
placement-status-accepted = قلت نعم
placement-status-declined = قلت لا
placement-status-started = بدأ
placement-status-ended = انتهى

## Consents
consents-title = موافقاتي
consents-intro = الموافقة تعني أنك تقول نعم. تقول نعم لأن ترى جهة أو منظمة أخرى بعض المعلومات عنك. يمكنك سحب موافقتك متى شئت.
consents-give = أعطِ موافقة جديدة
consents-none = ليس لديك موافقات.
consent-state = الحالة
consent-kinds = المعلومات المشتركة
consent-purpose = السبب
consent-period = سارية
consent-from = من { $date }
consent-revoke = اسحب الموافقة
consent-revoked = مسحوبة
consent-live = سارية الآن
consent-not-live = غير سارية الآن
consent-new-title = أعطِ موافقة
consent-new-intro = اختر من يمكنه رؤية معلوماتك. اختر أي معلومات. اكتب السبب.
consent-new-submit = أعطِ الموافقة
field-recipient-org-id = من يمكنه رؤية المعلومات؟
field-kinds = أي معلومات؟
field-purpose = لماذا؟
field-purpose-hint = مثلًا: حتى نخطط معًا للتدريب على العمل.
field-valid-to = سارية حتى (إذا أردت)
field-valid-to-hint = مثلًا 2027-06-30. إذا تركته فارغًا فهي سارية حتى تسحبها.
record-participant = الاسم والمعلومات الشخصية
record-enrolment = التسجيل والخلفية
record-assessment = تقييم
record-attendance = الحضور
record-follow-up = متابعة
record-plan = الخطة
record-placement = التدريب والعمل
record-consent = الموافقة
record-referral = إحالة
record-conference = اجتماع مع عدة جهات
record-audit-trail = سجل من رأى معلوماتك

## Access log
log-title = من رأى معلوماتي
log-intro = هنا ترى من قرأ معلوماتك أو غيّرها. وترى أيضًا متى ولماذا. الأحدث أولًا.
log-none = لم يقرأ أحد معلوماتك بعد.
log-list = الأحداث
log-when = متى
log-what = ماذا
log-why = لماذا
log-result = النتيجة
log-denied = تم المنع. لم يستطع الشخص الرؤية.
log-pages = أحداث أخرى
log-newer = الأحدث
log-older = الأقدم
log-page = الصفحة { $page } من { $pages }
action-read = قرأ
action-write = غيّر
action-search = بحث
who-you = أنت نفسك
who-system = النظام
who-other-participant = مشارك آخر
who-unknown = غير معروف
ground-own-organisation = موظفون يتولّون ملفك
ground-own-record = أنت نفسك
ground-consent-search = بحث بين من أعطوا موافقتهم
ground-consent = موافقتك
ground-supervisor = المشرف في مكان تدريبك
ground-system = النظام
ground-own-account = أنت نفسك، في حسابك
ground-not-saved = تغيير لم يُحفظ
ground-denied = لم يُسمح له بالرؤية
ground-other = سبب آخر

## Accessibility statement
a11y-title = إمكانية الوصول في Stegvis
a11y-intro = المنظمة التي تدعمك تستخدم Stegvis. نريد أن يتمكن الجميع من استخدام Stegvis. هنا نخبرك إلى أي مدى يمكن الوصول إلى Stegvis. نحن نتبع القانون السويدي لإمكانية الوصول إلى الخدمات العامة الرقمية (DOS-lagen، 2018:1937).
a11y-status-heading = إلى أي مدى يمكن الوصول إلى الخدمة؟
a11y-status = يفي Stegvis جزئيًا بمتطلبات القانون. المتطلبات هي WCAG 2.1 المستوى AA. هناك بعض النواقص. هي مذكورة أدناه.
a11y-gaps-heading = نواقص نعرفها
a11y-gap-staff-tables = صفحات الموظفين فيها جداول عريضة. من الصعب قراءتها على شاشة صغيرة. صفحات المشاركين تعمل على الهاتف.
a11y-gap-staff-languages = صفحات الموظفين باللغتين السويدية والإنجليزية فقط.
a11y-gap-pdf = التقارير بصيغة PDF قد لا تكون متاحة بالكامل.
a11y-gap-translations = النصوص العربية والصومالية لم يراجعها بعد متحدثون أصليون.
a11y-report-heading = أخبرنا إذا لم يعمل شيء
a11y-report = هل تحتاج إلى شيء لا تستطيع قراءته أو استخدامه؟ هل وجدت نقصًا؟ أخبرنا. عندها يمكننا إصلاحه.
a11y-contact-email = أرسل بريدًا إلكترونيًا إلى:
a11y-contact-default = تحدّث مع مدربك أو مع من يدعمك. سينقلون ما تقوله.
a11y-supervision-heading = الرقابة
a11y-supervision = هيئة الإدارة الرقمية (DIGG) تراقب تطبيق القانون. هل أنت غير راضٍ عن طريقة تعاملنا مع ما تقوله؟ عندها يمكنك التواصل مع DIGG. يمكنك الإبلاغ عن النواقص على موقع DIGG، www.digg.se.
a11y-digg-link = أبلغ DIGG عن نقص في إمكانية الوصول
a11y-method-heading = كيف اختبرنا
a11y-method = اختبرنا Stegvis بأنفسنا. برنامج (axe) يختبر كل صفحة للمشاركين. يختبر بالسويدية والإنجليزية والعربية والصومالية. يختبر بشاشة بعرض الهاتف. يحدث هذا في كل مرة يتغير فيها Stegvis. وراجعنا الصفحات يدويًا أيضًا.
a11y-date = كتبنا هذا النص في 6 ديسمبر 2026.

# التذكيرات (/me/reminders)
reminders-title = التذكيرات
reminders-intro = يمكننا أن نذكّرك قبل موعدك بيوم. التذكير يذكر اليوم والساعة فقط. لا يذكر موضوع الموعد.
reminders-on = أنت تحصل على تذكيرات. تُرسل إلى:
reminders-off = أنت لا تحصل على تذكيرات الآن.
reminders-agree = نعم، أريد أن أحصل على تذكيرات
reminders-save = حفظ
reminders-stop = أوقف إرسال التذكيرات
field-email = البريد الإلكتروني
field-email-hint = مثلاً name@example.se. يمكنك كتابة بريد إلكتروني أو رقم جوال أو كليهما.
field-phone = رقم الجوال للرسائل القصيرة
field-phone-hint = مثلاً 070-123 45 67.
field-reminder-language = لغة التذكيرات
error-field-email = اكتب بريداً إلكترونياً مثل name@example.se. أو اكتب رقم جوال.
error-field-phone = اكتب رقم جوال سويدياً، مثلاً 070-123 45 67.
error-field-language = اختر لغة.
error-field-reminders-conflict = غيّر شخص ما تذكيراتك الآن. انظر إلى الصفحة واحفظ مرة أخرى.
