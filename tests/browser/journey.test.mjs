// Taking Stegvis into use (issue #12), in the browser, from an empty data folder and with the
// pages only: `stegvis serve` prints the setup link → the setup page makes the organisation
// and its administrator → the administrator invites a project manager and a coach → the
// project manager creates the seed project *En väg in* with its facts, target group and the
// goal "at least 75 % offered a work trial, work training or work practice" → the coach
// enrols a participant (one outside the target group is refused with the reason) and creates
// the participant's account → the participant activates it and adds a step to their plan →
// the coach offers a work trial → the project manager sees the goal's progress move.
// axe runs on every page visited; pages are visited in Swedish and again in English.
//
// Run from the repository root:  node --test tests/browser/
// Harness (server, browser, helpers, environment): harness.mjs. Failure artifacts go to
// tests/browser/test-results/journey/.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  ERROR_SUMMARY_HEADING,
  UUID_PATH,
  assertPath,
  axe,
  axeVerdict,
  clickAndWait,
  errorSummary,
  h1Text,
  htmlLang,
  norm,
  page,
  pathname,
  serverOutput,
  state,
  step,
  today,
  useServerAndBrowser,
  visible,
} from './harness.mjs';

useServerAndBrowser('journey', ({ listen, dataDir }) => ['serve', '--listen', listen, '--data-dir', dataDir]);

const PASSWORD = 'tre gröna tåg i regnet';
const ADMIN = { name: 'Åsa Admin', email: 'asa.admin@hassleholm.example' };
const PM = { name: 'Margaretha Håkansson', email: 'margaretha.pl@hassleholm.example' };
const COACH = { name: 'Karim Coach', email: 'karim.coach@hassleholm.example' };
const PARTICIPANT = { first: 'Lina', last: 'Resenär', identity: '811218-9876', email: 'lina@example.se' };
const OUTSIDER = { first: 'Utan', last: 'Bistånd', identity: '790305-1238' };
const GOAL = 'Minst 75 % erbjuds arbetsprövning, arbetsträning eller praktik';

/** The seed project's facts, as the funder's project bank shows them. */
const EN_VAG_IN = {
  number: '2019/00383',
  name: 'En väg in',
  region: 'Sydsverige',
  programme_area: '2',
  specific_objective: '2.1',
  intervention_type: '102',
  union_cofinancing_rate_pct: '50',
  period_start: '2020-04-01',
  period_end: '2022-03-31',
  total_budget: '9 249 253',
  esf_support: '4 341 993',
  planned_participants: '100',
  contact_name: 'Margaretha Håkansson',
  contact_email: 'margaretha.hakansson@hassleholm.se',
  postcode: '28180',
  municipalities: 'Hässleholm',
  summary:
    'Projektaktiviteterna är skapade för 100 deltagare som uppbär ekonomiskt bistånd och som också kommer att djupkartläggas.',
};

/** Switches the language on the current page (a GET page: it is loaded again). */
async function language(code) {
  await page.goto(`/lang/${code}?next=${encodeURIComponent(pathname())}`);
  assert.match(await htmlLang(), new RegExp(`^${code}\\b`, 'i'), `<html lang> after switching to ${code}`);
}

/** axe on the current GET page in Swedish, then in English, then back to Swedish. */
async function axeBoth(t, label) {
  await axe(t, label);
  await language('en');
  await axe(t, `${label} (English)`);
  await language('sv');
}

async function logIn(who) {
  await page.goto('/login');
  await page.getByLabel('E-post').fill(who.email);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), `button "Logga in" (${who.name})`);
  assert.notEqual(pathname(), '/login', `${who.email} logs in`);
}

async function logOut(what) {
  await clickAndWait(page.getByRole('button', { name: 'Logga ut', exact: true }), `button "Logga ut" (${what})`);
}

/** Sets a password on a one-time link's page; the holder is then logged in. */
async function setPassword(t, link, label) {
  await page.goto(link);
  await visible(page.locator('#account-holder'), 'whose account the link is for');
  await axe(t, label);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#password_again').fill(PASSWORD);
  await clickAndWait(page.getByRole('button', { name: 'Spara lösenordet och logga in', exact: true }), 'button "Spara lösenordet och logga in"');
}

/** The goal's row in the project page's goal table: cells Kvinnor, Män, Icke-binära, Totalt, Krävs, Status, … */
async function goalRow() {
  const table = page.getByRole('table', { name: 'Mål, uppnått per kön', exact: true });
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: GOAL, exact: true }) });
  await visible(row, `the goal "${GOAL}" in the table "Mål, uppnått per kön"`);
  const cells = (await row.getByRole('cell').allTextContents()).map(norm);
  return { total: Number(cells[3]), status: cells[5], text: cells.join(' | ') };
}

/** The setup form: the organisation, its administrator, and the password twice. */
async function fillSetup(passwordAgain) {
  await page.locator('#organisation_name').fill('Arbetsmarknadsavdelningen Hässleholm');
  await page.locator('#kind').selectOption('municipality_unit');
  await page.locator('#municipality_code').fill('1293');
  await page.locator('#name').fill(ADMIN.name);
  await page.locator('#email').fill(ADMIN.email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#password_again').fill(passwordAgain);
}

async function openProject() {
  await page.goto('/projects');
  await clickAndWait(page.getByRole('link', { name: EN_VAG_IN.name, exact: true }), `link "${EN_VAG_IN.name}"`);
}

// ---------------------------------------------------------------------------------------
// The journey
// ---------------------------------------------------------------------------------------

step('an empty Stegvis prints a setup link; its page explains a mistake in English and Swedish', async (t) => {
  let match = null;
  for (let i = 0; i < 100 && !match; i++) {
    match = serverOutput().match(/\/setup\/[A-Z0-9]+/);
    if (!match) await sleep(100);
  }
  assert.ok(match, `the server printed no setup link:\n${serverOutput()}`);
  state.setupPath = match[0];

  const login = await page.goto('/login');
  assert.equal(login.status(), 200, 'the login page answers');

  await page.goto(state.setupPath);
  await language('en');
  await axe(t, 'setup (English)');
  await fillSetup('ett annat lösenord här');
  await clickAndWait(page.getByRole('button', { name: 'Create the organisation', exact: true }), 'button "Create the organisation"');
  await visible(page.locator('#password_again-error'), 'the error at the repeated password');
  await visible(page.getByRole('alert'), 'an error summary (English)');
  assert.equal(await page.locator('#organisation_name').inputValue(), 'Arbetsmarknadsavdelningen Hässleholm', 'what was typed is kept');
  await axe(t, 'setup with a mistake (English)');
  await language('sv');
  assertPath(state.setupPath, 'the setup link still works after a mistake');
  await axe(t, 'setup');
});

step('the setup page makes the organisation and its administrator, once', async (t) => {
  await fillSetup(PASSWORD);
  await clickAndWait(page.getByRole('button', { name: 'Skapa organisationen', exact: true }), 'button "Skapa organisationen"');
  assertPath('/admin/users', 'the new administrator lands in the administration');
  await visible(page.getByText(ADMIN.email).first(), 'the administrator among the users');
  await axeBoth(t, 'administration: users');

  const again = await page.goto(state.setupPath);
  assert.equal(again.status(), 404, 'a used setup link is refused');
  assert.equal(await h1Text(), 'Länken fungerar inte', '<h1> of a used link');
  await axe(t, 'used setup link');
  await page.goto('/admin/users');
});

step('the administrator invites a project manager and a coach; a duplicate e-mail is refused', async (t) => {
  const invite = async (who, role, button) => {
    await page.locator('#email').fill(who.email);
    await page.locator('#name').fill(who.name);
    await page.locator('#role').selectOption(role);
    await clickAndWait(page.getByRole('button', { name: button, exact: true }), `button "${button}"`);
    const link = await visible(page.locator('#link-url'), 'the one-time link to hand over');
    await visible(page.locator('#link-code'), 'the code to hand over');
    return new URL(await link.getAttribute('href'), page.url()).pathname;
  };
  state.pmLink = await invite(PM, 'project_manager', 'Bjud in');
  await axe(t, 'invitation link');

  // The coach is invited in English: the link page in English too.
  await page.goto('/admin/users');
  await language('en');
  state.coachLink = await invite(COACH, 'coach', 'Invite');
  await axe(t, 'invitation link (English)');
  await language('sv');

  await page.goto('/admin/users');
  await page.locator('#email').fill(COACH.email);
  await page.locator('#name').fill('Karim igen');
  await page.locator('#role').selectOption('coach');
  await clickAndWait(page.getByRole('button', { name: 'Bjud in', exact: true }), 'button "Bjud in" (duplicate)');
  await visible(page.locator('#email-error'), 'the error at the e-mail');
  await visible(errorSummary(), `an error summary ("${ERROR_SUMMARY_HEADING}")`);
  await axe(t, 'invitation with a duplicate e-mail');
  await logOut('administrator');
});

step('the project manager sets a password and creates En väg in; mistakes are named at their fields', async (t) => {
  await setPassword(t, state.pmLink, 'set password (project manager)');
  await page.goto('/projects');
  await axe(t, 'projects (empty)');
  await clickAndWait(page.getByRole('link', { name: 'Skapa ett projekt', exact: true }), 'link "Skapa ett projekt"');
  await axeBoth(t, 'new project');

  for (const [field, value] of Object.entries(EN_VAG_IN)) await page.locator(`#${field}`).fill(value);
  await page.locator('#phase-2').check(); // implementation
  await page.locator('#target_group-min_age').fill('18');
  await page.locator('#target_group-max_age').fill('64');
  await page.locator('#target_group-social_assistance-2').check(); // must apply
  // A number in the wrong form and an end before the start.
  await page.locator('#number').fill('19/383');
  await page.locator('#period_end').fill('2019-03-31');
  await clickAndWait(page.getByRole('button', { name: 'Skapa projektet', exact: true }), 'button "Skapa projektet" (mistakes)');
  await visible(errorSummary(), `an error summary ("${ERROR_SUMMARY_HEADING}")`);
  await visible(page.locator('#number-error'), 'the error at the project number');
  await visible(page.locator('#period_end-error'), 'the error at the end date');
  assert.equal(await page.locator('#name').inputValue(), EN_VAG_IN.name, 'what was typed is kept');
  await axe(t, 'new project with mistakes');

  await page.locator('#number').fill(EN_VAG_IN.number);
  await page.locator('#period_end').fill(EN_VAG_IN.period_end);
  await clickAndWait(page.getByRole('button', { name: 'Skapa projektet', exact: true }), 'button "Skapa projektet"');
  assertPath(/^\/projects\/[0-9a-f-]{36}$/, 'the new project page');
  state.projectPath = pathname();
  assert.equal(await h1Text(), EN_VAG_IN.name, '<h1> of the project page');
  const text = norm(await page.locator('main').textContent());
  for (const fact of [EN_VAG_IN.number, '4 341 993', 'Sydsverige', 'Hässleholm']) {
    assert.ok(text.includes(fact), `the project page shows ${fact}`);
  }
  await axeBoth(t, 'project page (new)');
});

step('the project manager previews and saves the goal; 0 % is refused', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Hantera målen', exact: true }), 'link "Hantera målen"');
  await axe(t, 'goals');
  await clickAndWait(page.getByRole('link', { name: 'Lägg till ett mål', exact: true }), 'link "Lägg till ett mål"');
  await axeBoth(t, 'new goal');
  await page.locator('#name').fill(GOAL);
  for (const id of ['#who_kinds-1', '#who_kinds-2', '#who_kinds-3']) await page.locator(id).check();
  await page.locator('#definition-percent').fill('0');
  await clickAndWait(page.locator('button[value=save]'), 'button "Spara målet" (0 %)');
  await visible(page.locator('#definition-percent-error'), 'the error at the target');
  await axe(t, 'new goal with a mistake');

  await page.locator('#definition-percent').fill('75');
  await clickAndWait(page.locator('button[value=preview]'), 'button "Förhandsgranska"');
  await visible(page.locator('#preview'), "the preview of today's value");
  await axe(t, 'new goal with preview');
  await clickAndWait(page.locator('button[value=save]'), 'button "Spara målet"');
  assertPath(state.projectPath, 'back on the project page');
  const row = await goalRow();
  assert.equal(row.total, 0, `nobody offered yet: ${row.text}`);
  await axe(t, 'project page with the goal');
  await logOut('project manager');
});

step('the coach enrols a participant; one outside the target group is refused with the reason', async (t) => {
  await setPassword(t, state.coachLink, 'set password (coach)');
  assertPath('/caseload', 'a coach starts at the caseload');
  await axe(t, 'caseload (empty)');
  await page.goto('/participants/new');
  await axeBoth(t, 'new participant');

  const fill = async (who, socialAssistance) => {
    await page.getByLabel('Personnummer eller samordningsnummer').fill(who.identity);
    await page.getByLabel('Förnamn').fill(who.first);
    await page.getByLabel('Efternamn').fill(who.last);
    await page.getByRole('group', { name: 'Kön' }).getByRole('radio', { name: 'Kvinna', exact: true }).check();
    await page.getByRole('combobox', { name: 'Projekt' }).selectOption({ label: EN_VAG_IN.name });
    await page.getByLabel('Inskrivningsdatum').fill(today());
    await page.locator(`input[name="baseline.social_assistance"][value="${socialAssistance}"]`).check();
  };
  await fill(OUTSIDER, 'no');
  await clickAndWait(page.getByRole('button', { name: 'Skriv in', exact: true }), 'button "Skriv in" (outside the target group)');
  const reason = await visible(page.locator('#baseline-social_assistance-error'), 'the reason at the social assistance question');
  assert.match(norm(await reason.textContent()), /ekonomiskt bistånd/, 'the reason names the rule');
  await visible(errorSummary(), `an error summary ("${ERROR_SUMMARY_HEADING}")`);
  await axe(t, 'new participant refused (outside the target group)');

  await page.goto('/participants/new');
  await fill(PARTICIPANT, 'yes');
  await clickAndWait(page.getByRole('button', { name: 'Skriv in', exact: true }), 'button "Skriv in"');
  assertPath(UUID_PATH, 'the participant page');
  state.participantPath = pathname();
  await axe(t, 'participant page');

  await openProject();
  state.before = await goalRow();
  assert.equal(state.before.total, 0, `enrolled, not offered yet: ${state.before.text}`);
  assert.equal(state.before.status, 'Inte än', `the goal is not met yet: ${state.before.text}`);
});

step("the coach creates the participant's account: a printable code and link", async (t) => {
  await page.goto(state.participantPath);
  await page.getByLabel('Deltagarens e-postadress').fill(PARTICIPANT.email);
  await clickAndWait(page.getByRole('button', { name: 'Skapa konto', exact: true }), 'button "Skapa konto"');
  await visible(page.locator('#activation-code'), 'the activation code');
  await visible(page.locator('#activation-link'), 'the activation link');
  await axe(t, 'activation code to hand over');

  // A new code, in English: the printable page in English; the first code stops working.
  await page.goto(state.participantPath);
  await language('en');
  await axe(t, 'participant page with an account (English)');
  await page.getByLabel("The participant's e-mail address").fill(PARTICIPANT.email);
  await clickAndWait(page.getByRole('button', { name: 'New activation code', exact: true }), 'button "New activation code"');
  const link = await visible(page.locator('#activation-link'), 'the new activation link');
  state.activationLink = new URL(await link.getAttribute('href'), page.url()).pathname;
  await axe(t, 'activation code to hand over (English)');
  await language('sv');
  await logOut('coach');
});

step('the participant activates the account and adds a step to their plan', async (t) => {
  await setPassword(t, state.activationLink, 'activation (participant)');
  // Participants have their own pages, made for a phone (issue 15).
  assertPath('/me', 'the participant lands on their own pages');
  await axeBoth(t, 'own pages (participant)');
  await clickAndWait(page.getByRole('link', { name: 'Min plan', exact: true }), 'link "Min plan"');
  await clickAndWait(page.getByRole('link', { name: 'Lägg till ett steg', exact: true }), 'link "Lägg till ett steg"');
  await axe(t, 'own plan step form');
  await page.getByLabel('Mål', { exact: true }).fill('Jobba i ett kök');
  await page.getByLabel('Steg', { exact: true }).fill('Prova på en restaurang');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till steget', exact: true }), 'button "Lägg till steget"');
  assertPath('/me/plan', 'back on their plan');
  await visible(page.getByRole('heading', { name: 'Prova på en restaurang', exact: true }), 'their step in the plan');
  await axe(t, 'own plan with a step');
  await logOut('participant');
});

step('the coach offers a work trial', async (t) => {
  await logIn(COACH);
  await page.goto('/employers');
  await page.getByRole('group', { name: 'Typ' }).getByRole('radio', { name: 'Arbetsgivare', exact: true }).check();
  await page.getByLabel('Arbetsgivarens namn').fill('Restaurang Lyktan AB');
  await page.getByLabel('Arbetsplats', { exact: true }).fill('Köket');
  await clickAndWait(page.getByRole('button', { name: 'Registrera arbetsgivaren', exact: true }), 'button "Registrera arbetsgivaren"');
  await page.getByLabel('Typ av plats').selectOption({ label: 'Arbetsprövning' });
  await page.getByLabel('Benämning').fill('Köksbiträde');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till platsen', exact: true }), 'button "Lägg till platsen"');
  await axe(t, 'employer page');

  await page.goto(state.participantPath);
  await clickAndWait(page.getByRole('link', { name: 'Erbjud en plats', exact: true }), 'link "Erbjud en plats"');
  const select = page.getByLabel('Plats', { exact: true });
  const value = await select.evaluate((s) => Array.from(s.options).find((o) => o.textContent.includes('Köksbiträde'))?.value);
  assert.ok(value, 'the opening among the places');
  await select.selectOption(value);
  await axe(t, 'offer form');
  await clickAndWait(page.getByRole('button', { name: 'Erbjud platsen', exact: true }), 'button "Erbjud platsen"');
  await visible(page.getByText('Erbjuden', { exact: true }).first(), 'the placement, offered');
  await axe(t, 'placement page (offered)');
  await logOut('coach');
});

step("the project manager sees the goal's progress move", async (t) => {
  await logIn(PM);
  await openProject();
  const after = await goalRow();
  assert.equal(after.total, state.before.total + 1, `one more offered: ${state.before.text} → ${after.text}`);
  assert.equal(after.status, 'Uppnått', `one of one offered meets 75 %: ${after.text}`);
  await axeBoth(t, 'project page with the goal met');
  await logOut('project manager');
});

axeVerdict();
