# Bogga ka-qaybgalaha (/me) iyo bayaanka helitaanka. Af fudud, jumlado gaaban.

## Every page
skip-to-content = U gudub nuxurka
log-out = Ka bax
footer-logged = Wax kasta oo qof ka akhriyo ama ka beddelo xogtaada waxaa lagu kaydiyaa diiwaan.
accessibility-link = Helitaanka
back-to-start = Ku noqo bilowga
back-to-plan = Ku noqo qorshahayga
back-to-consents = Ku noqo oggolaanshahayga
to-start = Bogga hore
error-summary = Wax baa u baahan in la saxo

## Errors
error-csrf = Ma aanan heli karin foomka. Dib u noqo, bogga dib u soo geli, oo isku day mar kale.
error-not-found-title = Lama helin
error-not-found = Boggu ma jiro, ama looma oggola inaad aragto.
error-forbidden-title = Looma oggola inaad tan samayso
error-forbidden = Xaq uma lihid inaad isticmaasho boggan.
error-staff-on-portal-title = Boggan waxaa loogu talagalay ka-qaybgalayaasha
error-staff-on-portal = Bogagga ku hoos jira «Bogaggayga» waxaa loogu talagalay ka-qaybgalayaasha. Shaqaaluhu waxay leeyihiin bogag u gaar ah oo Stegvis ku jira.
error-invalid-title = Wax baa u baahan in la saxo
error-invalid = Sax waxa la calaamadeeyay. Waxba lama kaydin.
error-conflict-title = Qof kale ayaa isla waqtigaas beddelay
error-conflict = Qof kale ayaa hadda beddelay tan. Akhri nuqulka cusub oo isku day mar kale. Waxba lama kaydin.
error-too-many-title = Isku day aad u badan
error-too-many = Sug shan iyo toban daqiiqo. Kadibna isku day mar kale.
error-busy-title = Dad badan ayaa hadda isticmaalaya Stegvis
error-busy = Waxba lama kaydin. Isku day mar kale wax yar kadib.
error-internal-title = Wax baa khaldamay
error-internal = Khaladku dhinacayaga ayuu ka jiraa. Waxba lama kaydin. Isku day mar kale goor dambe.
error-not-own-step = Waxaad «dhammaaday» ku calaamadayn kartaa oo keliya tallaabooyinkaaga. La hadal tababarahaaga tallaabooyinka kale.
error-field = Goobtan waxay u baahan tahay in la saxo.
error-field-goal = Qor hadaf. Ugu badnaan 500 xaraf.
error-field-step = Qor tallaabo. Ugu badnaan 500 xaraf.
error-field-due-on = Taariikhda u qor sidan: 2026-12-15.
error-field-participant-words = Qoraalku aad buu u dheer yahay. Ugu badnaan 4,000 xaraf.
error-field-conflict = Qof kale ayaa hadda beddelay tallaabada. Kani waa nuqulka cusub. Qoraalkaaga mar kale qor.
error-field-recipient-org-id = Dooro cidda arki karta xogtaada.
error-field-kinds = Dooro ugu yaraan hal nooc oo xog ah.
error-field-purpose = Qor sababta. Ugu badnaan 500 xaraf.
error-field-valid-to = Taariikhda u qor sidan: 2026-12-15. Ma noqon karto maanta ka hor.
error-field-valid-from = Taariikhda u qor sidan: 2026-12-15.

## Start
home-title = Bogaggayga
home-greeting = Soo dhawoow { $name }!
home-next-steps = Tallaabooyinkayga xiga
home-no-steps = Hadda ma lihid tallaabooyin aad qabato.
home-next-activities = Hawlahayga xiga
home-no-activities = Toddobaadkan ma lihid hawlo kale.
home-tasks = Maxaad rabtaa inaad samayso?
task-plan = Qorshahayga
task-activities = Hawlahayga iyo saacadahayga
task-placements = Meelaha tababarka iyo shaqada
task-consents = Oggolaanshahayga
task-access-log = Yaa arkay xogtayda?
task-reminders = Xasuusin

## Plan
plan-title = Qorshahayga
plan-intro = Kuwani waa tallaabooyinka hadafkaaga. Waxaad ku dari kartaa tallaabooyin adiga kuu gaar ah. Waxaad ku qori kartaa erayadaada.
plan-add = Ku dar tallaabo
plan-empty = Weli qorshahaaga tallaabo kuma jirto.
plan-goal = Hadaf
plan-due = Dhammee ka hor
plan-status = Xaalad
plan-who = Tallaabada yaa leh
plan-who-you = Adiga
plan-who-staff = Shaqaalaha
plan-words = Erayadaada
plan-mark-done = Waa dhammaaday!
plan-write-words = Ku qor erayadayda
status-planned = La qorsheeyay
status-in-progress = Socda
status-done = Dhammaaday
status-dropped = La joojiyay
step-new-title = Ku dar tallaabo
step-new-intro = Qor waxaad rabto inaad samayso. Qor hadafka ay tallaabadu kaa caawinayso.
step-new-submit = Ku dar tallaabada
words-title = Ku qor erayadaada
words-submit = Kaydi
field-goal = Hadaf
field-goal-hint = Maxaad rabtaa inaad gaarto? Tusaale ahaan shaqo dukaan ah.
field-step = Tallaabo
field-step-hint = Maxaad samayn doontaa? Tusaale ahaan booqo laba dukaan.
field-due-on = Dhammee ka hor (haddii aad rabto)
field-due-on-hint = Tusaale ahaan 2026-12-15.
field-participant-words = Erayadaada (haddii aad rabto)
field-participant-words-hint = Sidee wax u socdaan? Maxaad u baahan tahay?

## Activities
activities-title = Hawlahayga
activities-hours = Saacadahayga
activities-this-week = Toddobaadkan
activities-this-month = Bishan
activities-week = Toddobaadkan
activities-none = Toddobaadkan jadwalka hawl kuuguma jirto.
activity-place = Goobta
hours = { $count ->
    [one] { $hours } saac
   *[other] { $hours } saacadood
}
activity-guidance = Hanuunin
activity-health-and-leisure = Caafimaad iyo madadaalo
activity-supported-education = Waxbarasho taageero leh
activity-studies = Waxbarasho
activity-sfi = SFI, af Iswiidhish ee soo-galootiga
activity-motivation = Dhiirrigelin
activity-group-session = Kulan koox
activity-work-oriented = Hawl u socota shaqo
weekday-1 = Isniin
weekday-2 = Talaado
weekday-3 = Arbaco
weekday-4 = Khamiis
weekday-5 = Jimco
weekday-6 = Sabti
weekday-7 = Axad

## Placements
placements-title = Meelaha tababarka iyo shaqada
placements-none = Weli halkan kuma lihid meel tababar ama shaqo.
placement-state = Xaalad
placement-offered = La soo bandhigay
placement-period = Muddo
placement-hours = Saacadaha toddobaadkii
placement-work-practice = Tababar shaqo
placement-work-training = Tababar shaqo-barasho
placement-work-trial = Tijaabo shaqo
placement-subsidised-employment = Shaqo kaalmo lacageed leh
placement-adapted-employment = Shaqo la habeeyay
placement-regular-employment = Shaqo
placement-supported-employment = Shaqo taageero leh (IPS)
placement-status-offered = Waxaa lagu siiyay dalab
placement-status-accepted = Haa ayaad tiri
placement-status-declined = Maya ayaad tiri
placement-status-started = Wuu bilaabmay
placement-status-ended = Wuu dhammaaday

## Consents
consents-title = Oggolaanshahayga
consents-intro = Oggolaanshuhu wuxuu la macno yahay inaad tiraahdo haa. Waxaad haa u tiraahdaa in hay'ad ama urur kale arko xog kugu saabsan. Waxaad dib u qaadan kartaa haa-daada goor kasta oo aad rabto.
consents-give = Bixi oggolaansho cusub
consents-none = Ma lihid oggolaansho.
consent-state = Xaalad
consent-kinds = Xogta la wadaago
consent-purpose = Sababta
consent-period = Wuu shaqeynayaa
consent-from = laga bilaabo { $date }
consent-revoke = Dib u qaado
consent-revoked = Dib loo qaaday
consent-live = Hadda wuu shaqeynayaa
consent-not-live = Hadda ma shaqeynayo
consent-new-title = Bixi oggolaansho
consent-new-intro = Dooro cidda arki karta xogtaada. Dooro xogta. Qor sababta.
consent-new-submit = Bixi oggolaanshaha
field-recipient-org-id = Yaa arki kara xogta?
field-kinds = Xogtee?
field-purpose = Maxay tahay sababtu?
field-purpose-hint = Tusaale ahaan: si aan wada qorsheyno tababar shaqo.
field-valid-to = Wuu shaqeynayaa ilaa (haddii aad rabto)
field-valid-to-hint = Tusaale ahaan 2027-06-30. Haddii aad banaan ka tagto, wuu shaqeynayaa ilaa aad dib u qaadato.
record-participant = Magaca iyo xogta shakhsiga
record-enrolment = Diiwaangelinta iyo taariikhda
record-assessment = Qiimeyn
record-attendance = Imaatinka
record-follow-up = Dabagal
record-plan = Qorshe
record-placement = Tababar iyo shaqo
record-consent = Oggolaansho
record-referral = Gudbin
record-conference = Kulan hay'ado badan
record-audit-trail = Diiwaanka cidda aragtay xogtaada

## Access log
log-title = Yaa arkay xogtayda
log-intro = Halkan waxaad ku aragtaa cidda akhriday ama beddeshay xogtaada. Waxaad sidoo kale aragtaa goorta iyo sababta. Kan ugu dambeeyay ayaa ugu horreeya.
log-none = Weli qofna ma akhrin xogtaada.
log-list = Dhacdooyin
log-when = Goorma
log-what = Maxay
log-why = Sababta
log-result = Natiijada
log-denied = Waa la joojiyay. Qofku ma arki karin.
log-pages = Dhacdooyin kale
log-newer = Kuwa cusub
log-older = Kuwa hore
log-page = Bogga { $page } ee { $pages }
action-read = Akhriyay
action-write = Beddelay
action-search = Raadiyay
who-you = Adiga qudhaada
who-system = Nidaamka
who-other-participant = Ka-qaybgale kale
who-unknown = Lama yaqaan
ground-own-organisation = Shaqaalaha haya kiiskaaga
ground-own-record = Adiga qudhaada
ground-consent-search = Raadin dadka bixiyay oggolaansho
ground-consent = Oggolaanshahaaga
ground-supervisor = Kormeeraha meesha aad tababarka ku jirto
ground-system = Nidaamka
ground-own-account = Adiga qudhaada, akoonkaaga
ground-not-saved = Isbeddel aan la kaydin
ground-denied = Looma oggolaan inuu arko
ground-other = Sabab kale

## Accessibility statement
a11y-title = Helitaanka Stegvis
a11y-intro = Ururka ku taageeraya wuxuu isticmaalaa Stegvis. Waxaan rabnaa in qof kastaa isticmaali karo Stegvis. Halkan waxaan kuugu sheegaynaa inta uu Stegvis la heli karo. Waxaan raacnaa sharciga Iswiidhan ee helitaanka adeegyada dadweynaha ee dhijitaalka ah (DOS-lagen, 2018:1937).
a11y-status-heading = Intee buu adeeggu la heli karaa?
a11y-status = Stegvis qayb ahaan wuxuu buuxiyaa shuruudaha sharciga. Shuruuduhu waa WCAG 2.1 heerka AA. Waxaa jira cilado yar. Hoos ayay ku qoran yihiin.
a11y-gaps-heading = Ciladaha aan ognahay
a11y-gap-staff-tables = Bogagga shaqaaluhu waxay leeyihiin jadwallo ballaaran. Way adag tahay in shaashad yar lagu akhriyo. Bogagga ka-qaybgalayaashu waxay ku shaqeeyaan taleefanka.
a11y-gap-staff-languages = Bogagga shaqaaluhu waxay ku qoran yihiin oo keliya af Iswiidhish iyo Ingiriisi.
a11y-gap-pdf = Warbixinnada PDF-ka ah waxaa laga yaabaa inaysan si buuxda la heli karin.
a11y-gap-translations = Qoraallada Carabiga iyo Soomaaliga weli ma hubin dad afkooda hooyo yahay.
a11y-report-heading = Noo sheeg haddii wax aysan shaqeynin
a11y-report = Ma u baahan tahay wax aadan akhrin karin ama isticmaali karin? Ma heshay cillad? Noo sheeg. Markaas waan hagaajin karnaa.
a11y-contact-email = U dir iimayl:
a11y-contact-default = La hadal tababarahaaga ama qofka ku taageera. Way gudbin doonaan waxaad sheegto.
a11y-supervision-heading = Kormeer
a11y-supervision = Hay'adda Maamulka Dhijitaalka (DIGG) ayaa hubisa in sharciga la raaco. Ma ku qanacsanayn sida aan u maareyno waxaad noo sheegto? Markaas waxaad la xiriiri kartaa DIGG. Waxaad cilladaha ku soo sheegi kartaa bogga DIGG, www.digg.se.
a11y-digg-link = U sheeg DIGG cillad helitaan
a11y-method-heading = Sida aan u tijaabinay
a11y-method = Annaga ayaa tijaabinay Stegvis. Barnaamij (axe) ayaa tijaabiya bog kasta oo ka-qaybgalayaasha ah. Wuxuu ku tijaabiyaa af Iswiidhish, Ingiriisi, Carabi iyo Soomaali. Wuxuu ku tijaabiyaa shaashad la ballac ah taleefan. Tan waxay dhacdaa mar kasta oo Stegvis isbeddelo. Sidoo kale gacanta ayaan ku eegnay bogagga.
a11y-date = Qoraalkan waxaan qornay 6 Diseembar 2026.

# Xusuusin (/me/reminders)
reminders-title = Xusuusin
reminders-intro = Waxaan ku xusuusin karnaa maalin ka hor ballantaada. Xusuusintu waxay sheegaysaa oo keliya maalinta iyo saacadda. Ma sheegayso waxa ballantu ku saabsan tahay.
reminders-on = Waxaad helaysaa xusuusin. Waxay u socotaa:
reminders-off = Hadda ma helaysid xusuusin.
reminders-agree = Haa, waxaan rabaa xusuusin
reminders-save = Kaydi
reminders-stop = Jooji xusuusinta
field-email = Iimayl
field-email-hint = Tusaale ahaan name@example.se. Waxaad qori kartaa iimayl, lambar mobayl ama labadaba.
field-phone = Lambarka mobaylka ee SMS-ka
field-phone-hint = Tusaale ahaan 070-123 45 67.
field-reminder-language = Luqadda xusuusinta
error-field-email = Qor iimayl sida name@example.se. Ama qor lambar mobayl.
error-field-phone = Qor lambar mobayl oo Iswidhish ah, tusaale ahaan 070-123 45 67.
error-field-language = Dooro luqad.
error-field-reminders-conflict = Qof ayaa hadda beddelay xusuusintaada. Eeg bogga oo mar kale kaydi.
