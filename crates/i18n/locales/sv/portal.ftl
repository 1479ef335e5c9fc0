# The participant's portal (/me) and the accessibility statement. Lättläst: short sentences,
# common words, one idea per sentence.

## Every page
skip-to-content = Hoppa till innehållet
log-out = Logga ut
footer-logged = Allt som någon läser eller ändrar om dig sparas i en logg.
accessibility-link = Tillgänglighet
back-to-start = Tillbaka till start
back-to-plan = Tillbaka till min plan
back-to-consents = Tillbaka till mina samtycken
to-start = Till start
error-summary = Något behöver rättas

## Errors
error-csrf = Vi kunde inte ta emot formuläret. Gå tillbaka, ladda om sidan och försök igen.
error-not-found-title = Hittades inte
error-not-found = Sidan finns inte. Eller så får du inte se den.
error-forbidden-title = Du får inte göra det här
error-forbidden = Du har inte rätt att använda den här sidan.
error-staff-on-portal-title = Den här sidan är för deltagare
error-staff-on-portal = Sidorna under Mina sidor är för deltagare. Du som arbetar i Stegvis har egna sidor.
error-invalid-title = Något behöver rättas
error-invalid = Rätta det som är markerat. Inget har sparats.
error-conflict-title = Någon annan ändrade samtidigt
error-conflict = Någon annan har ändrat det här nyss. Läs det nya och försök igen. Inget har sparats.
error-too-many-title = För många försök
error-too-many = Vänta en kvart. Försök sedan igen.
error-busy-title = Många använder Stegvis just nu
error-busy = Inget har sparats. Försök igen om en liten stund.
error-internal-title = Något gick fel
error-internal = Felet är hos oss. Inget har sparats. Försök igen senare.
error-not-own-step = Du kan bara klarmarkera dina egna steg. Prata med din coach om de andra stegen.
error-field = Det här fältet behöver rättas.
error-field-goal = Skriv ett mål. Högst 500 tecken.
error-field-step = Skriv ett steg. Högst 500 tecken.
error-field-due-on = Skriv datumet så här: 2026-12-15.
error-field-participant-words = Texten är för lång. Högst 4 000 tecken.
error-field-conflict = Någon annan har ändrat steget nyss. Här är det nya. Skriv din text igen.
error-field-recipient-org-id = Välj vem som får se dina uppgifter.
error-field-kinds = Välj minst en sorts uppgifter.
error-field-purpose = Skriv varför. Högst 500 tecken.
error-field-valid-to = Skriv datumet så här: 2026-12-15. Det kan inte vara tidigare än i dag.
error-field-valid-from = Skriv datumet så här: 2026-12-15.

## Start
home-title = Mina sidor
home-greeting = Hej { $name }!
home-next-steps = Mina nästa steg
home-no-steps = Du har inga steg att göra just nu.
home-next-activities = Mina nästa aktiviteter
home-no-activities = Du har inga fler aktiviteter den här veckan.
home-tasks = Vad vill du göra?
task-plan = Min plan
task-activities = Mina aktiviteter och timmar
task-placements = Mina praktikplatser och jobb
task-consents = Mina samtycken
task-access-log = Vem har sett mina uppgifter?
task-reminders = Påminnelser

## Plan
plan-title = Min plan
plan-intro = Här är stegen mot ditt mål. Du kan lägga till egna steg. Du kan skriva med egna ord.
plan-add = Lägg till ett steg
plan-empty = Det finns inga steg i din plan än.
plan-goal = Mål
plan-due = Klart senast
plan-status = Läge
plan-who = Vem äger steget
plan-who-you = Du
plan-who-staff = Personalen
plan-words = Dina egna ord
plan-mark-done = Klart!
plan-write-words = Skriv med egna ord
status-planned = Planerat
status-in-progress = Pågår
status-done = Klart
status-dropped = Avbrutet
step-new-title = Lägg till ett steg
step-new-intro = Skriv vad du vill göra. Skriv vilket mål steget hjälper dig mot.
step-new-submit = Lägg till steget
words-title = Skriv med egna ord
words-submit = Spara
field-goal = Mål
field-goal-hint = Vad vill du nå? Till exempel ett jobb i en butik.
field-step = Steg
field-step-hint = Vad ska du göra? Till exempel besöka två butiker.
field-due-on = Klart senast (om du vill)
field-due-on-hint = Till exempel 2026-12-15.
field-participant-words = Med dina egna ord (om du vill)
field-participant-words-hint = Hur går det? Vad behöver du?

## Activities
activities-title = Mina aktiviteter
activities-hours = Mina timmar
activities-this-week = Den här veckan
activities-this-month = Den här månaden
activities-week = Den här veckan
activities-none = Du har inga aktiviteter i schemat den här veckan.
activity-place = Plats
hours = { $count ->
    [one] { $hours } timme
   *[other] { $hours } timmar
}
activity-guidance = Vägledning
activity-health-and-leisure = Hälsa och fritid
activity-supported-education = Studier med stöd
activity-studies = Studier
activity-sfi = SFI, svenska för invandrare
activity-motivation = Motivation
activity-group-session = Gruppträff
activity-work-oriented = Aktivitet mot arbete
weekday-1 = Måndag
weekday-2 = Tisdag
weekday-3 = Onsdag
weekday-4 = Torsdag
weekday-5 = Fredag
weekday-6 = Lördag
weekday-7 = Söndag

## Placements
placements-title = Mina praktikplatser och jobb
placements-none = Du har inga praktikplatser eller jobb här än.
placement-state = Läge
placement-offered = Erbjuden
placement-period = Tid
placement-hours = Timmar i veckan
placement-work-practice = Praktik
placement-work-training = Arbetsträning
placement-work-trial = Arbetsprövning
placement-subsidised-employment = Anställning med stöd
placement-adapted-employment = Anpassad anställning
placement-regular-employment = Anställning
placement-supported-employment = Jobb med stöd (IPS)
placement-status-offered = Du har fått ett erbjudande
placement-status-accepted = Du har tackat ja
placement-status-declined = Du har tackat nej
placement-status-started = Har börjat
placement-status-ended = Är slut

## Consents
consents-title = Mina samtycken
consents-intro = Ett samtycke betyder att du säger ja. Du säger ja till att en annan myndighet eller organisation får se vissa uppgifter om dig. Du kan ta tillbaka ditt ja när du vill.
consents-give = Ge ett nytt samtycke
consents-none = Du har inga samtycken.
consent-state = Läge
consent-kinds = Uppgifter som delas
consent-purpose = Varför
consent-period = Gäller
consent-from = från { $date }
consent-revoke = Återkalla
consent-revoked = Återkallat
consent-live = Gäller nu
consent-not-live = Gäller inte nu
consent-new-title = Ge ett samtycke
consent-new-intro = Välj vem som får se dina uppgifter. Välj vilka uppgifter. Skriv varför.
consent-new-submit = Ge samtycket
field-recipient-org-id = Vem får se uppgifterna?
field-kinds = Vilka uppgifter?
field-purpose = Varför?
field-purpose-hint = Till exempel: så att vi kan planera arbetsträning tillsammans.
field-valid-to = Gäller till och med (om du vill)
field-valid-to-hint = Till exempel 2027-06-30. Tomt betyder tills du tar tillbaka det.
record-participant = Namn och personuppgifter
record-enrolment = Inskrivning och bakgrund
record-assessment = Kartläggning
record-attendance = Närvaro
record-follow-up = Uppföljning
record-plan = Plan
record-placement = Praktik och jobb
record-consent = Samtycke
record-referral = Remiss
record-conference = Möte med flera myndigheter
record-audit-trail = Logg över vem som sett dina uppgifter

## Access log
log-title = Vem har sett mina uppgifter
log-intro = Här ser du vem som har läst eller ändrat dina uppgifter. Du ser också när och varför. Det senaste står först.
log-none = Ingen har läst dina uppgifter än.
log-list = Händelser
log-when = När
log-what = Vad
log-why = Varför
log-result = Resultat
log-denied = Stoppades. Personen fick inte se.
log-pages = Fler händelser
log-newer = Nyare
log-older = Äldre
log-page = Sida { $page } av { $pages }
action-read = Läste
action-write = Ändrade
action-search = Sökte
who-you = Du själv
who-system = Systemet
who-other-participant = En annan deltagare
who-unknown = Okänd
ground-own-organisation = Personal som har hand om ditt ärende
ground-own-record = Du själv
ground-consent-search = En sökning bland dem som gett samtycke
ground-consent = Ditt samtycke
ground-supervisor = Handledare på din praktikplats
ground-system = Systemet
ground-own-account = Du själv, på ditt konto
ground-not-saved = En ändring som inte sparades
ground-denied = Nekades: ingen rätt att se
ground-other = Annat skäl

## Accessibility statement (DOS-lagen 2018:1937, DIGG's model)
a11y-title = Tillgänglighet för Stegvis
a11y-intro = Organisationen som ger dig stöd använder Stegvis. Vi vill att alla ska kunna använda Stegvis. Här berättar vi hur tillgängligt Stegvis är. Vi följer lagen om tillgänglighet till digital offentlig service (DOS-lagen, 2018:1937).
a11y-status-heading = Hur tillgänglig är tjänsten?
a11y-status = Stegvis uppfyller delvis kraven i DOS-lagen. Kraven är WCAG 2.1 nivå AA. Det finns några brister. De står nedan.
a11y-gaps-heading = Brister vi känner till
a11y-gap-staff-tables = Personalens sidor har breda tabeller. De är svåra att läsa på en liten skärm. Deltagarnas sidor fungerar på en mobil.
a11y-gap-staff-languages = Personalens sidor finns bara på svenska och engelska.
a11y-gap-pdf = Rapporter som PDF är kanske inte helt tillgängliga.
a11y-gap-translations = Texterna på arabiska och somaliska är inte granskade av någon som har språket som modersmål än.
a11y-report-heading = Säg till om något inte fungerar
a11y-report = Behöver du något som du inte kan läsa eller använda? Har du hittat en brist? Säg till oss. Då kan vi rätta det.
a11y-contact-email = Skicka e-post till:
a11y-contact-default = Prata med din coach eller med den som ger dig stöd. De för vidare det du säger.
a11y-supervision-heading = Tillsyn
a11y-supervision = Myndigheten för digital förvaltning (DIGG) kontrollerar att lagen följs. Är du inte nöjd med hur vi tar hand om det du säger? Då kan du kontakta DIGG. Du kan anmäla brister på DIGG:s webbplats, www.digg.se.
a11y-digg-link = Anmäl bristande tillgänglighet till DIGG
a11y-method-heading = Hur vi har testat
a11y-method = Vi har testat Stegvis själva. Ett program (axe) testar varje sida för deltagare. Det testar på svenska, engelska, arabiska och somaliska. Det testar med en skärm lika bred som en mobil. Det händer varje gång Stegvis ändras. Vi har också gått igenom sidorna för hand.
a11y-date = Vi skrev den här texten den 6 december 2026.

# Påminnelser (/me/reminders)
reminders-title = Påminnelser
reminders-intro = Vi kan påminna dig dagen innan du har en tid. Påminnelsen säger bara dag och tid. Den säger inte vad tiden gäller.
reminders-on = Du får påminnelser. De går till:
reminders-off = Du får inga påminnelser nu.
reminders-agree = Ja, jag vill få påminnelser
reminders-save = Spara
reminders-stop = Sluta skicka påminnelser
field-email = E-post
field-email-hint = Till exempel namn@exempel.se. Du kan skriva e-post, mobilnummer eller båda.
field-phone = Mobilnummer för sms
field-phone-hint = Till exempel 070-123 45 67.
field-reminder-language = Språk i påminnelserna
error-field-email = Skriv en e-postadress som namn@exempel.se. Eller skriv ett mobilnummer.
error-field-phone = Skriv ett svenskt mobilnummer, till exempel 070-123 45 67.
error-field-language = Välj ett språk.
error-field-reminders-conflict = Någon har ändrat dina påminnelser nyss. Titta på sidan och spara igen.
