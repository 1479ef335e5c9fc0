# The participant's portal (/me) and the accessibility statement. Plain English.

## Every page
skip-to-content = Skip to content
log-out = Log out
footer-logged = Everything anyone reads or changes about you is kept in a log.
accessibility-link = Accessibility
back-to-start = Back to start
back-to-plan = Back to my plan
back-to-consents = Back to my consents
to-start = To the start page
error-summary = Something needs correcting

## Errors
error-csrf = We could not accept the form. Go back, reload the page and try again.
error-not-found-title = Not found
error-not-found = The page does not exist, or you may not see it.
error-forbidden-title = You may not do this
error-forbidden = You do not have the right to use this page.
error-staff-on-portal-title = This page is for participants
error-staff-on-portal = The pages under My pages are for participants. Staff have their own pages in Stegvis.
error-invalid-title = Something needs correcting
error-invalid = Correct what is marked. Nothing was saved.
error-conflict-title = Someone else changed it at the same time
error-conflict = Someone else changed this just now. Read the new version and try again. Nothing was saved.
error-too-many-title = Too many attempts
error-too-many = Wait fifteen minutes. Then try again.
error-busy-title = Many people are using Stegvis right now
error-busy = Nothing was saved. Try again in a moment.
error-internal-title = Something went wrong
error-internal = The error is on our side. Nothing was saved. Try again later.
error-not-own-step = You can only mark your own steps as done. Talk to your coach about the other steps.
error-field = This field needs correcting.
error-field-goal = Write a goal. At most 500 characters.
error-field-step = Write a step. At most 500 characters.
error-field-due-on = Write the date like this: 2026-12-15.
error-field-participant-words = The text is too long. At most 4,000 characters.
error-field-conflict = Someone else changed the step just now. Here is the new version. Write your text again.
error-field-recipient-org-id = Choose who may see your information.
error-field-kinds = Choose at least one kind of information.
error-field-purpose = Write why. At most 500 characters.
error-field-valid-to = Write the date like this: 2026-12-15. It cannot be before today.
error-field-valid-from = Write the date like this: 2026-12-15.

## Start
home-title = My pages
home-greeting = Hello { $name }!
home-next-steps = My next steps
home-no-steps = You have no steps to do right now.
home-next-activities = My next activities
home-no-activities = You have no more activities this week.
home-tasks = What do you want to do?
task-plan = My plan
task-activities = My activities and hours
task-placements = My placements and jobs
task-consents = My consents
task-access-log = Who has seen my information?
task-reminders = Reminders

## Plan
plan-title = My plan
plan-intro = Here are the steps towards your goal. You can add your own steps. You can write in your own words.
plan-add = Add a step
plan-empty = There are no steps in your plan yet.
plan-goal = Goal
plan-due = Done by
plan-status = Status
plan-who = Whose step
plan-who-you = Yours
plan-who-staff = Staff's
plan-words = Your own words
plan-mark-done = Done!
plan-write-words = Write in my own words
status-planned = Planned
status-in-progress = In progress
status-done = Done
status-dropped = Dropped
step-new-title = Add a step
step-new-intro = Write what you want to do. Write which goal the step helps you towards.
step-new-submit = Add the step
words-title = Write in your own words
words-submit = Save
field-goal = Goal
field-goal-hint = What do you want to reach? For example a job in a shop.
field-step = Step
field-step-hint = What will you do? For example visit two shops.
field-due-on = Done by (if you want)
field-due-on-hint = For example 2026-12-15.
field-participant-words = In your own words (if you want)
field-participant-words-hint = How is it going? What do you need?

## Activities
activities-title = My activities
activities-hours = My hours
activities-this-week = This week
activities-this-month = This month
activities-week = This week
activities-none = You have no scheduled activities this week.
activity-place = Place
hours = { $count ->
    [one] { $hours } hour
   *[other] { $hours } hours
}
activity-guidance = Guidance
activity-health-and-leisure = Health and leisure
activity-supported-education = Studies with support
activity-studies = Studies
activity-sfi = SFI, Swedish for immigrants
activity-motivation = Motivation
activity-group-session = Group meeting
activity-work-oriented = Activity towards work
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday

## Placements
placements-title = My placements and jobs
placements-none = You have no placements or jobs here yet.
placement-state = Status
placement-offered = Offered
placement-period = Period
placement-hours = Hours a week
placement-work-practice = Work practice
placement-work-training = Work training
placement-work-trial = Work trial
placement-subsidised-employment = Job with a wage subsidy
placement-adapted-employment = Adapted job
placement-regular-employment = Job
placement-supported-employment = Job with support (IPS)
placement-status-offered = You have an offer
placement-status-accepted = You said yes
placement-status-declined = You said no
placement-status-started = Has started
placement-status-ended = Has ended

## Consents
consents-title = My consents
consents-intro = A consent means that you say yes. You say yes to another agency or organisation seeing some information about you. You can take back your yes whenever you want.
consents-give = Give a new consent
consents-none = You have no consents.
consent-state = Status
consent-kinds = Information shared
consent-purpose = Why
consent-period = Valid
consent-from = from { $date }
consent-revoke = Revoke
consent-revoked = Revoked
consent-live = Valid now
consent-not-live = Not valid now
consent-new-title = Give a consent
consent-new-intro = Choose who may see your information. Choose which information. Write why.
consent-new-submit = Give the consent
field-recipient-org-id = Who may see the information?
field-kinds = Which information?
field-purpose = Why?
field-purpose-hint = For example: so that we can plan work training together.
field-valid-to = Valid until (if you want)
field-valid-to-hint = For example 2027-06-30. Empty means until you take it back.
record-participant = Name and personal details
record-enrolment = Enrolment and background
record-assessment = Assessment
record-attendance = Attendance
record-follow-up = Follow-up
record-plan = Plan
record-placement = Placements and jobs
record-consent = Consent
record-referral = Referral
record-conference = Meeting with several agencies
record-audit-trail = Log of who has seen your information

## Access log
log-title = Who has seen my information
log-intro = Here you see who has read or changed your information. You also see when and why. The newest is first.
log-none = Nobody has read your information yet.
log-list = Events
log-when = When
log-what = What
log-why = Why
log-result = Result
log-denied = Stopped. The person could not see it.
log-pages = More events
log-newer = Newer
log-older = Older
log-page = Page { $page } of { $pages }
action-read = Read
action-write = Changed
action-search = Searched
who-you = You yourself
who-system = The system
who-other-participant = Another participant
who-unknown = Unknown
ground-own-organisation = Staff who handle your case
ground-own-record = You yourself
ground-consent-search = A search among those who gave consent
ground-consent = Your consent
ground-supervisor = Supervisor at your placement
ground-system = The system
ground-own-account = You yourself, on your account
ground-not-saved = A change that was not saved
ground-denied = Was not allowed to see
ground-other = Other reason

## Accessibility statement
a11y-title = Accessibility of Stegvis
a11y-intro = The organisation that supports you uses Stegvis. We want everyone to be able to use Stegvis. Here we tell you how accessible Stegvis is. We follow the Swedish law on accessibility of digital public services (DOS-lagen, 2018:1937).
a11y-status-heading = How accessible is the service?
a11y-status = Stegvis partly meets the requirements of the law. The requirements are WCAG 2.1 level AA. There are some shortcomings. They are listed below.
a11y-gaps-heading = Shortcomings we know of
a11y-gap-staff-tables = The staff pages have wide tables. They are hard to read on a small screen. The participants' pages work on a phone.
a11y-gap-staff-languages = The staff pages are only in Swedish and English.
a11y-gap-pdf = Reports as PDF may not be fully accessible.
a11y-gap-translations = The Arabic and Somali texts have not yet been reviewed by native speakers.
a11y-report-heading = Tell us if something does not work
a11y-report = Do you need something you cannot read or use? Have you found a shortcoming? Tell us. Then we can fix it.
a11y-contact-email = Send an e-mail to:
a11y-contact-default = Talk to your coach or to whoever supports you. They pass on what you tell them.
a11y-supervision-heading = Supervision
a11y-supervision = The Agency for Digital Government (DIGG) checks that the law is followed. Are you not happy with how we handle what you tell us? Then you can contact DIGG. You can report shortcomings on DIGG's website, www.digg.se.
a11y-digg-link = Report a lack of accessibility to DIGG
a11y-method-heading = How we tested
a11y-method = We have tested Stegvis ourselves. A program (axe) tests every page for participants. It tests in Swedish, English, Arabic and Somali. It tests with a screen as wide as a phone. This happens every time Stegvis changes. We have also gone through the pages by hand.
a11y-date = We wrote this text on 6 December 2026.

# Reminders (/me/reminders)
reminders-title = Reminders
reminders-intro = We can remind you the day before you have an appointment. The reminder only says the day and the time. It does not say what the appointment is about.
reminders-on = You get reminders. They go to:
reminders-off = You do not get reminders now.
reminders-agree = Yes, I want reminders
reminders-save = Save
reminders-stop = Stop sending reminders
field-email = E-mail
field-email-hint = For example name@example.se. You can write an e-mail address, a mobile number or both.
field-phone = Mobile number for text messages
field-phone-hint = For example 070-123 45 67.
field-reminder-language = Language of the reminders
error-field-email = Write an e-mail address like name@example.se. Or write a mobile number.
error-field-phone = Write a Swedish mobile number, for example 070-123 45 67.
error-field-language = Choose a language.
error-field-reminders-conflict = Someone changed your reminders just now. Look at the page and save again.
