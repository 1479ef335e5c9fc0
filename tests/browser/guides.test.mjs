// The user guides' screenshots (issue #17): one walk through Stegvis per role, as the guides in
// docs/src/guides/ describe it, on `stegvis demo`. Each step asserts what the page must show, so a
// changed page fails here before a guide goes stale, and saves its screenshots into
// docs/src/screenshots/<role>-<task>.png. That folder is emptied first and is ignored by git: every
// image in the book is one this run made. Staff at 1280×900, the participant on a phone (390×844).
// axe runs on every page photographed. Then: every image a guide names was made by this run, and
// scripts/book (mdbook plus its link and image check) builds the book.
//
// Run from the repository root:  node --test --test-concurrency=1 tests/browser/
// Harness (server, browser, helpers, environment): harness.mjs. Failure artifacts go to
// tests/browser/test-results/guides/.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import ExcelJS from 'exceljs';

import {
  REPO_ROOT,
  UUID_PATH,
  assertPath,
  axe,
  axeVerdict,
  clickAndWait,
  h1Text,
  norm,
  page,
  pathname,
  state,
  step,
  today,
  useServerAndBrowser,
  visible,
} from './harness.mjs';

const PASSWORD = 'stegvis-demo';
const USERS = {
  coach: 'coach@demo.stegvis.se',
  pm: 'projektledare@demo.stegvis.se',
  partner: 'af@demo.stegvis.se',
  supervisor: 'handledare@demo.stegvis.se',
  participant: 'deltagare@demo.stegvis.se',
  admin: 'admin@demo.stegvis.se',
  dpo: 'dataskydd@demo.stegvis.se',
};
const PROJECT = 'Nästa steg (demoprojekt)';
const PERSON = { first: 'Lina', last: 'Exempelsson', identity: '811218-9876', email: 'lina.exempelsson@example.se' };
const FULL_NAME = `${PERSON.first} ${PERSON.last}`;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const SHOTS_DIR = path.join(REPO_ROOT, 'docs', 'src', 'screenshots');
const GUIDES_DIR = path.join(REPO_ROOT, 'docs', 'src', 'guides');
const BOOK_SCRIPT = path.join(REPO_ROOT, 'scripts', 'book');
const taken = new Set();

useServerAndBrowser('guides', ({ listen, dataDir }) => ['demo', '--listen', listen, '--data-dir', dataDir, '--participants', '300']);

let tmp;
before(async () => {
  // Only this run's images: the folder starts empty.
  await rm(SHOTS_DIR, { recursive: true, force: true });
  await mkdir(SHOTS_DIR, { recursive: true });
});
after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/**
 * Saves docs/src/screenshots/<name>.png: the viewport; only `locator` when given; or the viewport
 * scrolled so that `{ scrollTo }` is at its top. axe checks the page.
 */
async function shot(t, name, locator) {
  assert.match(name, /^(coach|pm|partner|supervisor|participant|admin|dpo)-[a-z0-9-]+$/, `screenshot name ${name}`);
  assert.ok(!taken.has(name), `screenshot ${name} taken twice`);
  await page.waitForLoadState('load');
  // No blinking caret or focus ring in the book.
  await page.evaluate(() => document.activeElement?.blur?.());
  const file = path.join(SHOTS_DIR, `${name}.png`);
  if (locator?.scrollTo) {
    const target = await visible(locator.scrollTo, `the part of the page for ${name}`);
    await target.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: file });
  } else if (locator) {
    await (await visible(locator, `the part of the page for ${name}`)).screenshot({ path: file });
  } else {
    await page.screenshot({ path: file });
  }
  taken.add(name);
  await axe(t, name);
}

async function logIn(email, what) {
  await page.goto('/login');
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), `button "Logga in" (${what})`);
  assert.notEqual(pathname(), '/login', `${email} logs in`);
}

async function logOut(what) {
  await clickAndWait(page.getByRole('button', { name: 'Logga ut', exact: true }), `button "Logga ut" (${what})`);
}

const nav = (name) => page.getByRole('navigation').getByRole('link', { name, exact: true });

async function openProject(name = PROJECT) {
  await clickAndWait(nav('Projekt'), 'nav link "Projekt"');
  await clickAndWait(page.getByRole('table', { name: 'Projekt', exact: true }).getByRole('link', { name, exact: true }), `link "${name}"`);
  assert.equal(await h1Text(), name, '<h1> of the project page');
}

/** The rows of a table's body (header rows left out). */
function bodyRows(table) {
  return table.getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
}

// ---------------------------------------------------------------------------------------
// Coach (coach.md)
// ---------------------------------------------------------------------------------------

step('coach: logs in and lands on Mina deltagare', async (t) => {
  await page.setViewportSize(DESKTOP);
  await page.goto('/login');
  assert.equal(await h1Text(), 'Logga in');
  await page.getByLabel('E-post').fill(USERS.coach);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await shot(t, 'coach-logga-in');
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), 'button "Logga in"');
  assertPath('/caseload', 'a coach starts at the caseload');
  assert.equal(await h1Text(), 'Mina deltagare');
  const table = page.getByRole('table', { name: 'Mina deltagare', exact: true });
  assert.ok((await bodyRows(table).count()) > 0, 'the coach has participants');
  const summary = norm(await page.getByRole('list', { name: 'Att göra', exact: true }).textContent());
  for (const part of ['deltagare', 'med försenat steg i planen', 'saknar bakgrundsfrågor', 'med försenad uppföljning', 'utan närvaro på 30 dagar']) {
    assert.ok(summary.includes(part), `the summary "Att göra" names "${part}": ${summary}`);
  }
  for (const column of ['Deltagare', 'Nästa steg i planen', 'Bakgrundsfrågor', 'Uppföljning', 'Närvaro 30 dagar']) {
    await visible(table.getByRole('columnheader', { name: column, exact: true }), `the column "${column}"`);
  }
  await visible(page.getByRole('link', { name: 'Deltagare utan coach i din organisation', exact: true }), 'the unassigned list');
  await shot(t, 'coach-mina-deltagare');
});

step('coach: searches and enrols a new participant', async (t) => {
  await clickAndWait(nav('Deltagare'), 'nav link "Deltagare"');
  assert.equal(await h1Text(), 'Deltagare');
  await visible(page.getByLabel('Sök på namn eller personnummer'), 'the search field');
  await visible(page.getByRole('link', { name: 'Importera från Excel eller CSV', exact: true }), 'the import link');
  await shot(t, 'coach-sok-deltagare');

  await clickAndWait(page.getByRole('link', { name: 'Skriv in ny deltagare', exact: true }), 'link "Skriv in ny deltagare"');
  assert.equal(await h1Text(), 'Skriv in ny deltagare');
  await page.getByLabel('Personnummer eller samordningsnummer').fill(PERSON.identity);
  await page.getByLabel('Förnamn').fill(PERSON.first);
  await page.getByLabel('Efternamn').fill(PERSON.last);
  await page.getByRole('group', { name: 'Kön' }).getByRole('radio', { name: 'Kvinna', exact: true }).check();
  await page.getByRole('combobox', { name: 'Projekt' }).selectOption({ label: PROJECT });
  await page.getByLabel('Inskrivningsdatum').fill(today());
  await visible(page.getByRole('heading', { name: 'Bakgrundsfrågor för ESF-rapporteringen', exact: true }), 'the baseline questions');
  await shot(t, 'coach-ny-deltagare');
  await clickAndWait(page.getByRole('button', { name: 'Skriv in', exact: true }), 'button "Skriv in"');
  assertPath(UUID_PATH, 'the participant page');
  state.participantPath = pathname();
  assert.equal(await h1Text(), FULL_NAME);
  const enrolment = page.getByRole('region', { name: PROJECT, exact: true });
  await visible(enrolment.getByRole('heading', { name: 'Saknas för ESF-rapporteringen', exact: true }), 'what the funder still needs');
  assert.match(norm(await enrolment.textContent()), /Coach\s*Karin Lund/, 'the coach who enrolled is the coach');
  await shot(t, 'coach-deltagarsida');
});

step('coach: opens the baseline questions', async (t) => {
  await clickAndWait(page.getByRole('link', { name: `Ändra bakgrundsfrågor – ${PROJECT}`, exact: true }), 'link "Ändra bakgrundsfrågor"');
  assert.equal(await h1Text(), `Bakgrundsfrågor – ${PROJECT}`);
  await visible(page.getByLabel('Ansvarig coach'), 'the coach choice');
  await visible(page.getByRole('radio', { name: 'Inte besvarad än', exact: true }).first(), 'the choice "Inte besvarad än"');
  await shot(t, 'coach-bakgrundsfragor');
  await clickAndWait(page.getByRole('button', { name: 'Spara', exact: true }), 'button "Spara"');
  assertPath(state.participantPath, 'back on the participant page');
});

step('coach: two assessments show the distance travelled', async (t) => {
  const assess = async (value, photo) => {
    await clickAndWait(page.getByRole('link', { name: 'Gör en kartläggning', exact: true }), 'link "Gör en kartläggning"');
    assert.match(await h1Text(), /^Kartläggning/);
    await page.getByLabel('Datum för kartläggningen').fill(today());
    const groups = page.getByRole('group').filter({ has: page.getByRole('radio', { name: new RegExp(`^${value} `) }) });
    const n = Math.min(await groups.count(), 4);
    assert.ok(n > 0, 'scale questions on the form');
    for (let i = 0; i < n; i++) await groups.nth(i).getByRole('radio', { name: new RegExp(`^${value} `) }).check();
    if (photo) await shot(t, 'coach-kartlaggning');
    await clickAndWait(page.getByRole('button', { name: 'Spara kartläggningen', exact: true }), 'button "Spara kartläggningen"');
    assertPath(state.participantPath, 'back on the participant page');
  };
  await assess('2', true);
  await visible(page.getByText('Antal kartläggningar: 1.'), 'one assessment');
  await assess('4', false);
  const table = page.getByRole('table', { name: /^Stegförflyttning/ });
  await visible(table.getByRole('cell', { name: '+2,0', exact: true }).first(), 'a change of +2,0');
  await shot(t, 'coach-stegforflyttning', table);
});

step('coach: writes a plan step with the participant', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Lägg till ett steg', exact: true }), 'link "Lägg till ett steg"');
  assert.equal(await h1Text(), 'Nytt steg i handlingsplanen');
  await page.getByLabel('Mål', { exact: true }).fill('Arbete inom handel');
  await page.getByLabel('Steg', { exact: true }).fill('Besöka två butiker');
  await page.getByLabel('Senast (valfritt)').fill(new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10));
  await page.getByRole('group', { name: 'Vem tar steget?' }).getByRole('radio', { name: 'Deltagaren', exact: true }).check();
  await shot(t, 'coach-nytt-steg');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till steget', exact: true }), 'button "Lägg till steget"');
  assertPath(state.participantPath, 'back on the participant page');
  const plan = page.getByRole('table', { name: 'Steg i handlingsplanen' });
  await visible(plan.getByRole('cell', { name: 'Besöka två butiker', exact: true }), 'the step in the plan');
  await visible(plan.getByRole('link', { name: 'Ändra – Besöka två butiker', exact: true }), 'the link to change it');
  await shot(t, 'coach-handlingsplan', plan);
});

step("coach: creates the participant's account", async (t) => {
  await page.getByLabel('Deltagarens e-postadress').fill(PERSON.email);
  await clickAndWait(page.getByRole('button', { name: 'Skapa konto', exact: true }), 'button "Skapa konto"');
  await visible(page.locator('#activation-code'), 'the activation code');
  await visible(page.locator('#activation-link'), 'the activation link');
  await shot(t, 'coach-aktiveringskod');
  await page.goto(state.participantPath);
  assert.match(norm(await page.locator('#account-status').textContent()), new RegExp(PERSON.email), 'the account on the participant page');
});

step('coach: notes a consent and sends a referral', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Anteckna ett samtycke', exact: true }), 'link "Anteckna ett samtycke"');
  assert.equal(await h1Text(), 'Nytt samtycke');
  await page.getByRole('group', { name: 'Vem får se uppgifterna?' }).getByRole('radio', { name: 'Arbetsförmedlingen', exact: true }).check();
  const kinds = page.getByRole('group', { name: 'Vilka uppgifter?' });
  await kinds.getByRole('checkbox', { name: 'Personuppgifter', exact: true }).check();
  await kinds.getByRole('checkbox', { name: 'Handlingsplan', exact: true }).check();
  await page.getByLabel('Syfte').fill('Gemensam planering inför arbetsträning');
  await shot(t, 'coach-samtycke');
  await clickAndWait(page.getByRole('button', { name: 'Spara samtycket', exact: true }), 'button "Spara samtycket"');
  assertPath(state.participantPath, 'back on the participant page');
  const consents = page.getByRole('table', { name: 'Samtycken', exact: true });
  assert.match(norm(await consents.textContent()), /Arbetsförmedlingen.*Gemensam planering inför arbetsträning.*Gäller/, 'the consent in force');
  await visible(page.getByRole('button', { name: 'Återkalla – Arbetsförmedlingen', exact: true }), 'the revoke button');

  await clickAndWait(page.getByRole('link', { name: 'Skicka en remiss', exact: true }), 'link "Skicka en remiss"');
  await page.getByRole('group', { name: 'Till vilken organisation?' }).getByRole('radio', { name: 'Arbetsförmedlingen', exact: true }).check();
  await page.getByLabel('Varför skickas remissen?').fill('Vill ha stöd att hitta en arbetsträningsplats inom handel.');
  await shot(t, 'coach-remiss');
  await clickAndWait(page.getByRole('button', { name: 'Skicka remissen', exact: true }), 'button "Skicka remissen"');
  assertPath('/referrals', 'the referrals after sending');
  assert.equal(await h1Text(), 'Remisser');
  const card = page.getByRole('listitem').filter({ hasText: 'Vill ha stöd att hitta en arbetsträningsplats' });
  assert.match(norm(await card.textContent()), /Till\s*Arbetsförmedlingen.*Status\s*Skickad/, 'the referral, sent');
});

step('coach: records attendance for a group', async (t) => {
  await openProject();
  await clickAndWait(page.getByRole('link', { name: 'Aktiviteter och närvaro', exact: true }), 'link "Aktiviteter och närvaro"');
  assert.equal(await h1Text(), `Aktiviteter – ${PROJECT}`);
  const activities = page.getByRole('table', { name: 'Projektets aktiviteter', exact: true });
  assert.ok((await bodyRows(activities).count()) >= 6, 'the demo project has its six activities');
  await visible(activities.getByRole('link', { name: /^Lägg till tid i schemat – / }), 'the schedule link');
  await shot(t, 'coach-aktiviteter');

  const record = activities.getByRole('link', { name: /^Registrera närvaro – / }).first();
  const activity = norm(await record.textContent()).replace(/^Registrera närvaro – /, '');
  await clickAndWait(record, 'link "Registrera närvaro"');
  assert.equal(await h1Text(), `Närvaro – ${activity}`);
  // The new participant was enrolled today: show today's list.
  await page.getByLabel('Datum', { exact: true }).fill(today());
  await clickAndWait(page.getByRole('button', { name: 'Visa deltagare', exact: true }), 'button "Visa deltagare"');
  await page.getByLabel(`Timmar för ${FULL_NAME}`).fill('2,5');
  await visible(page.getByLabel(`Frånvaro för ${FULL_NAME}`), 'the absence choice');
  await shot(t, 'coach-narvaro');
  await clickAndWait(page.getByRole('button', { name: 'Registrera närvaro', exact: true }), 'button "Registrera närvaro"');
  await visible(page.getByRole('status').filter({ hasText: 'Närvaron är registrerad för 1 deltagare.' }), 'the confirmation');
});

step('coach: the follow-up list', async (t) => {
  await clickAndWait(nav('Uppföljningar'), 'nav link "Uppföljningar"');
  assert.equal(await h1Text(), 'Uppföljningar');
  const table = page.getByRole('table', { name: 'Uppföljningar att göra', exact: true });
  await visible(table.getByRole('link', { name: /^Gör uppföljningen – / }), 'a follow-up to do');
  await shot(t, 'coach-uppfoljningar');
  await clickAndWait(table.getByRole('link', { name: /^Gör uppföljningen – / }).first(), 'link "Gör uppföljningen"');
  await visible(page.getByLabel('Datum för uppföljningen'), 'the date of the follow-up');
  await visible(page.getByRole('button', { name: 'Spara uppföljningen', exact: true }), 'button "Spara uppföljningen"');
  await shot(t, 'coach-gor-uppfoljning');
});

step('coach: imports participants from Excel, the good rows only', async (t) => {
  tmp ??= await mkdtemp(path.join(os.tmpdir(), 'stegvis-guides-'));
  const file = path.join(tmp, 'deltagare.xlsx');
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Deltagare');
  sheet.addRow(['Personnummer', 'Förnamn', 'Efternamn', 'Kön', 'Projekt', 'Inskrivningsdatum']);
  sheet.addRow(['900101-1239', 'Ada', 'Importsson', 'Kvinna', PROJECT, today()]);
  sheet.addRow(['920315-2345', 'Bo', 'Importsson', 'Man', PROJECT, today()]); // wrong check digit
  await wb.xlsx.writeFile(file);

  await clickAndWait(nav('Importera'), 'nav link "Importera"');
  assert.equal(await h1Text(), 'Importera från Excel eller CSV');
  await page.getByLabel('Fil', { exact: true }).setInputFiles(file);
  await shot(t, 'coach-import-fil');
  await clickAndWait(page.getByRole('button', { name: 'Ladda upp och välj kolumner', exact: true }), 'button "Ladda upp och välj kolumner"');
  assert.equal(await h1Text(), 'Vad finns i kolumnerna?');
  assert.equal(await page.getByLabel('Kolumn A (Personnummer) används som', { exact: true }).inputValue(), 'identity_number', 'column A guessed');
  await shot(t, 'coach-import-kolumner');
  await clickAndWait(page.getByRole('button', { name: 'Kontrollera filen', exact: true }), 'button "Kontrollera filen"');
  assert.equal(await h1Text(), 'Kontroll av filen');
  const problems = page.getByRole('table', { name: /^Alla fel/ });
  assert.match(norm(await problems.textContent()), /3\s*Personnummer\s*920315-2345/, 'the wrong check digit at row 3');
  await shot(t, 'coach-import-kontroll');
  await clickAndWait(page.getByRole('button', { name: 'Importera bara raderna utan fel', exact: true }), 'button "Importera bara raderna utan fel"');
  assert.equal(await h1Text(), 'Importen är klar');
  await visible(page.getByRole('link', { name: 'Ladda ner raderna med fel (CSV) för att rätta dem', exact: true }), 'the rows with problems as a file');
  await shot(t, 'coach-import-klar');
});

step('coach: offers a work training place with a supervisor, accepted and started', async (t) => {
  await page.goto(state.participantPath);
  await clickAndWait(page.getByRole('link', { name: 'Erbjud en plats', exact: true }), 'link "Erbjud en plats"');
  assert.equal(await h1Text(), 'Erbjud en plats');
  await page.getByLabel('Plats', { exact: true }).selectOption({ label: 'Trädgårdsarbete – Demo Trädgård AB, Handelsträdgården (Arbetsträning)' });
  await page.getByLabel('Handledare (valfritt)').selectOption({ label: 'Per Ek (Demo Trädgård AB)' });
  await page.getByLabel('Timmar i veckan (valfritt)').fill('20');
  await shot(t, 'coach-erbjud-plats');
  await clickAndWait(page.getByRole('button', { name: 'Erbjud platsen', exact: true }), 'button "Erbjud platsen"');
  assertPath(/^\/placements\/[0-9a-f-]{36}$/, 'the placement page');
  state.placementPath = pathname();
  for (const to of ['Tackat ja', 'Påbörjad']) {
    await page.getByRole('group', { name: 'Vad har hänt?' }).getByRole('radio', { name: to, exact: true }).check();
    if (to === 'Påbörjad') await shot(t, 'coach-plats');
    await clickAndWait(page.getByRole('button', { name: 'Spara', exact: true }), `button "Spara" (${to})`);
    await visible(page.getByText(to, { exact: true }), `status ${to}`);
  }
  await page.goto(state.participantPath);
  const placements = page.getByRole('table', { name: 'Erbjudna platser, senaste först', exact: true });
  assert.match(norm(await placements.textContent()), /Arbetsträning.*Handelsträdgården.*Påbörjad/, 'the placement on the participant page');
});

step('coach: ends the enrolment, and the follow-ups are planned', async (t) => {
  await page.goto(state.participantPath);
  await clickAndWait(page.getByRole('link', { name: `Avsluta inskrivning – ${PROJECT}`, exact: true }), 'link "Avsluta inskrivning"');
  assert.equal(await h1Text(), 'Avsluta inskrivning');
  await page.getByLabel('Avslutsdatum').fill(today());
  await page.getByRole('group', { name: 'Vart går deltagaren?' }).getByRole('radio', { name: 'Arbetssökande', exact: true }).check();
  await shot(t, 'coach-avsluta');
  await clickAndWait(page.getByRole('button', { name: 'Avsluta inskrivningen', exact: true }), 'button "Avsluta inskrivningen"');
  assertPath(state.participantPath, 'back on the participant page');
  const due90 = new Date(Date.parse(today()) + 90 * 86400000).toISOString().slice(0, 10);
  await visible(page.getByText(`Uppföljning efter 90 dagar: senast ${due90}`), 'the 90-day follow-up');
  await clickAndWait(nav('Mina deltagare'), 'nav link "Mina deltagare"');
  await clickAndWait(page.getByRole('link', { name: 'Deltagare utan coach i din organisation', exact: true }), 'the unassigned list');
  assert.equal(await h1Text(), 'Deltagare utan coach');
  await logOut('coach');
});

// ---------------------------------------------------------------------------------------
// Project manager (project-manager.md)
// ---------------------------------------------------------------------------------------

step("project manager: the project page and its goals", async (t) => {
  await logIn(USERS.pm, 'project manager');
  await clickAndWait(nav('Projekt'), 'nav link "Projekt"');
  assert.equal(await h1Text(), 'Projekt');
  await visible(page.getByRole('link', { name: 'Skapa ett projekt', exact: true }), 'link "Skapa ett projekt"');
  await visible(page.getByRole('link', { name: 'Rapport över alla era projekt', exact: true }), 'the roll-up link');
  await shot(t, 'pm-projekt');
  await clickAndWait(page.getByRole('table', { name: 'Projekt', exact: true }).getByRole('link', { name: PROJECT, exact: true }), `link "${PROJECT}"`);
  for (const link of ['Aktiviteter och närvaro', 'Tidrapport per månad', 'Mål och indikatorer', 'Ändra projektet och målgruppen', 'Hantera målen']) {
    await visible(page.getByRole('link', { name: link, exact: true }), `link "${link}"`);
  }
  await shot(t, 'pm-projektsida');
  const goals = page.getByRole('table', { name: 'Mål, uppnått per kön', exact: true });
  await visible(goals.getByRole('rowheader', { name: /^Minst 30 unga vuxna/ }), "the demo project's goal");
  await visible(page.getByRole('img', { name: /^Måluppfyllelse/ }), 'the goal chart');
  // The chart and its table, as the project page shows them.
  await shot(t, 'pm-mal', { scrollTo: page.locator('#goals') });
});

step('project manager: manages the goals', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Hantera målen', exact: true }), 'link "Hantera målen"');
  assert.equal(await h1Text(), 'Projektets mål');
  await visible(page.getByRole('button', { name: /^Avsluta målet/ }).first(), 'button "Avsluta målet"');
  await clickAndWait(page.getByRole('link', { name: 'Lägg till ett mål', exact: true }), 'link "Lägg till ett mål"');
  await visible(page.locator('button[value=preview]'), 'button "Förhandsgranska"');
  assert.equal(norm(await page.locator('button[value=preview]').textContent()), 'Förhandsgranska');
  await shot(t, 'pm-nytt-mal');
});

step('project manager: the report, exact and as published', async (t) => {
  await openProject();
  await clickAndWait(page.getByRole('link', { name: 'Mål och indikatorer', exact: true }), 'link "Mål och indikatorer"');
  assert.equal(await h1Text(), 'Mål och indikatorer');
  for (const link of ['Ladda ner som Excel (XLSX)', 'Ladda ner som CSV', 'Ladda ner som PDF', 'Deltagarfil som Excel (XLSX)', 'Pseudonymiserad som Excel (XLSX)', 'Ange värdet per deltagartimme']) {
    await visible(page.getByRole('link', { name: link, exact: true }), `link "${link}"`);
  }
  const xlsx = await page.request.get(await page.getByRole('link', { name: 'Ladda ner som Excel (XLSX)', exact: true }).getAttribute('href'));
  assert.equal(xlsx.status(), 200, 'the report as XLSX');
  await shot(t, 'pm-rapport');
  const indicators = page.getByRole('table', { name: 'Gemensamma indikatorer per kön', exact: true });
  await visible(indicators.getByRole('cell', { name: 'EECO01', exact: true }), 'EECO01');
  await shot(t, 'pm-indikatorer', indicators);
  await clickAndWait(page.getByRole('link', { name: 'Visa som publicerad rapport (små tal dolda)', exact: true }), 'the published view');
  await visible(page.getByRole('link', { name: 'Visa exakta siffror', exact: true }), 'the way back');
  const cells = (await page.getByRole('table', { name: 'Gemensamma indikatorer per kön', exact: true }).locator('td.num').allTextContents()).map(norm);
  assert.deepEqual(cells.filter((c) => /^[1-4]$/.test(c)), [], 'no count between 1 and 4 is published');
  await shot(t, 'pm-publicerad');
});

step('project manager: the monthly time report and the roll-up', async (t) => {
  await openProject();
  await clickAndWait(page.getByRole('link', { name: 'Tidrapport per månad', exact: true }), 'link "Tidrapport per månad"');
  assert.match(await h1Text(), /^Tidrapport/);
  await visible(page.getByRole('table', { name: /^Närvaro per deltagare \d{4}-\d{2}$/ }), "last month's table");
  await visible(page.getByRole('link', { name: 'Föregående månad', exact: true }), 'link "Föregående månad"');
  await visible(page.getByRole('link', { name: 'Ladda ner som Excel (XLSX)', exact: true }), 'the XLSX download');
  await shot(t, 'pm-tidrapport');
  await clickAndWait(nav('Projekt'), 'nav link "Projekt"');
  await clickAndWait(page.getByRole('link', { name: 'Rapport över alla era projekt', exact: true }), 'the roll-up');
  assert.equal(await h1Text(), 'Rapport över flera projekt');
  await visible(page.getByRole('table', { name: 'Projekten var för sig', exact: true }).getByRole('link', { name: PROJECT, exact: true }), 'the demo project');
  await shot(t, 'pm-samlad-rapport');
  await logOut('project manager');
});

// ---------------------------------------------------------------------------------------
// Partner staff (partner.md)
// ---------------------------------------------------------------------------------------

step('partner: answers a referral and reads what the consent covers', async (t) => {
  await logIn(USERS.partner, 'employment service');
  assertPath('/referrals', 'partner staff start at their referrals');
  assert.equal(await h1Text(), 'Remisser');
  await visible(page.getByRole('heading', { name: 'Mottagna', exact: true }), 'the received referrals');
  const card = page.getByRole('listitem').filter({ hasText: 'Vill ha stöd att hitta en arbetsträningsplats' });
  await card.getByLabel('Svar till avsändaren (valfritt)').fill('Välkommen på möte på tisdag kl. 10.');
  await visible(card.getByRole('button', { name: `Avböj – ${FULL_NAME}`, exact: true }), 'button "Avböj"');
  await shot(t, 'partner-remiss', card);
  await clickAndWait(card.getByRole('button', { name: `Acceptera – ${FULL_NAME}`, exact: true }), 'button "Acceptera"');
  const answered = page.getByRole('listitem').filter({ hasText: 'Välkommen på möte på tisdag kl. 10.' });
  assert.match(norm(await answered.textContent()), /Status\s*Accepterad/, 'the referral, accepted');
  await shot(t, 'partner-remisser');

  await clickAndWait(answered.getByRole('link', { name: FULL_NAME, exact: true }), 'the participant');
  assertPath(state.participantPath, 'the participant page, under the consent');
  const plan = page.getByRole('table', { name: 'Steg i handlingsplanen' });
  await visible(plan.getByRole('cell', { name: 'Besöka två butiker', exact: true }), 'the plan the consent covers');
  assert.equal(await page.getByRole('heading', { name: 'Kartläggning och stegförflyttning' }).count(), 0, 'no assessments: the consent does not cover them');
  assert.equal(await page.getByRole('link', { name: 'Åtkomstlogg' }).count(), 0, 'partners never see the access log');
  await shot(t, 'partner-deltagarsida');
  await clickAndWait(nav('Samverkan'), 'nav link "Samverkan"');
  assert.equal(await h1Text(), 'Samverkansteam');
  await logOut('employment service');
});

// ---------------------------------------------------------------------------------------
// Supervisor (supervisor.md)
// ---------------------------------------------------------------------------------------

step('supervisor: confirms a week and writes feedback', async (t) => {
  await logIn(USERS.supervisor, 'supervisor');
  assertPath('/supervised', 'a supervisor starts at their placements');
  assert.equal(await h1Text(), 'Mina platser');
  const table = page.getByRole('table', { name: 'Mina platser', exact: true });
  const row = bodyRows(table).filter({ has: page.getByRole('link', { name: FULL_NAME, exact: true }) });
  assert.match(norm(await row.textContent()), /Arbetsträning\s*Handelsträdgården\s*Påbörjad/, 'the placement the coach started');
  await shot(t, 'supervisor-mina-platser');
  await clickAndWait(row.getByRole('link', { name: FULL_NAME, exact: true }), 'the placement');
  assertPath(state.placementPath, 'the placement page');
  for (const term of ['Deltagare', 'Period', 'Timmar i veckan', 'Anpassningar']) {
    await visible(page.locator('dt', { hasText: term }), `the fact "${term}"`);
  }
  assert.equal(await page.locator('dt', { hasText: /^Mål$/ }).count(), 0, 'the supervisor does not see the goals');
  await page.getByLabel('Vecka (en dag i veckan)').fill(today());
  await page.getByLabel('Timmar på plats den veckan').fill('16');
  await shot(t, 'supervisor-bekrafta-vecka');
  await clickAndWait(page.getByRole('button', { name: 'Bekräfta veckan', exact: true }), 'button "Bekräfta veckan"');
  await visible(page.getByRole('table', { name: /^Bekräftade veckor/ }).getByRole('cell', { name: '960', exact: true }), 'the week, 960 minutes');
  await page.getByLabel('Skriv återkoppling').fill('Har kommit i tid varje dag och frågar när något är oklart.');
  await clickAndWait(page.getByRole('button', { name: 'Spara återkopplingen', exact: true }), 'button "Spara återkopplingen"');
  await visible(page.getByText('Har kommit i tid varje dag och frågar när något är oklart.'), 'the feedback');
  await shot(t, 'supervisor-aterkoppling', page.locator('main'));
  await logOut('supervisor');
});

// ---------------------------------------------------------------------------------------
// Participant, on a phone (participant.md)
// ---------------------------------------------------------------------------------------

const STEP = 'Ringa två arbetsgivare om praktik';

step('participant: logs in on a phone and sees Mina sidor', async (t) => {
  await page.setViewportSize(PHONE);
  await page.goto('/login');
  await page.getByLabel('E-post').fill(USERS.participant);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await shot(t, 'participant-logga-in');
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), 'button "Logga in"');
  assertPath('/me', 'participants start at their own pages');
  assert.equal(await h1Text(), 'Mina sidor');
  for (const heading of ['Mina nästa steg', 'Mina nästa aktiviteter', 'Vad vill du göra?']) {
    await visible(page.getByRole('heading', { name: heading, exact: true }), `the heading "${heading}"`);
  }
  await shot(t, 'participant-mina-sidor');
  await visible(page.getByRole('link', { name: 'Påminnelser', exact: true }), 'the task list');
  await shot(t, 'participant-vad-vill-du-gora', page.getByRole('navigation', { name: 'Vad vill du göra?' }));
});

step('participant: adds a step, marks it done and writes in their own words', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Min plan', exact: true }), 'link "Min plan"');
  assert.equal(await h1Text(), 'Min plan');
  await shot(t, 'participant-min-plan');
  await clickAndWait(page.getByRole('link', { name: 'Lägg till ett steg', exact: true }), 'link "Lägg till ett steg"');
  assert.equal(await h1Text(), 'Lägg till ett steg');
  await page.getByLabel('Mål', { exact: true }).fill('Jobb i butik');
  await page.getByLabel('Steg', { exact: true }).fill(STEP);
  await shot(t, 'participant-nytt-steg');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till steget', exact: true }), 'button "Lägg till steget"');
  assertPath('/me/plan', 'back on the plan');
  const card = () => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: STEP, exact: true }) });
  await clickAndWait(card().getByRole('button', { name: `Klart! – ${STEP}`, exact: true }), 'button "Klart!"');
  assert.match(norm(await card().textContent()), /Läge\s*Klart/, 'the step is done');
  await shot(t, 'participant-klart', card());

  await clickAndWait(card().getByRole('link', { name: `Skriv med egna ord – ${STEP}`, exact: true }), 'link "Skriv med egna ord"');
  assert.equal(await h1Text(), 'Skriv med egna ord');
  await page.getByLabel('Med dina egna ord (om du vill)').fill('Jag ringde Lidl och Ica. Ica vill träffa mig.');
  await shot(t, 'participant-egna-ord');
  await clickAndWait(page.getByRole('button', { name: 'Spara', exact: true }), 'button "Spara"');
  assertPath('/me/plan', 'back on the plan');
  assert.match(norm(await card().textContent()), /Dina egna ord\s*Jag ringde Lidl och Ica/, 'their words on the step');
});

step('participant: activities and placements', async (t) => {
  await page.goto('/me');
  await clickAndWait(page.getByRole('link', { name: 'Mina aktiviteter och timmar', exact: true }), 'link "Mina aktiviteter och timmar"');
  assert.equal(await h1Text(), 'Mina aktiviteter');
  await visible(page.getByRole('heading', { name: 'Mina timmar', exact: true }), 'their hours');
  await shot(t, 'participant-aktiviteter');
  await page.goto('/me');
  await clickAndWait(page.getByRole('link', { name: 'Mina praktikplatser och jobb', exact: true }), 'link "Mina praktikplatser och jobb"');
  assert.equal(await h1Text(), 'Mina praktikplatser och jobb');
  await shot(t, 'participant-platser');
});

step('participant: revokes a consent, gives a new one and reads who has looked', async (t) => {
  await page.goto('/me');
  await clickAndWait(page.getByRole('link', { name: 'Mina samtycken', exact: true }), 'link "Mina samtycken"');
  assert.equal(await h1Text(), 'Mina samtycken');
  const revoke = page.getByRole('button', { name: 'Återkalla – Arbetsförmedlingen', exact: true }).first();
  await visible(revoke, 'the consent to the employment service');
  await shot(t, 'participant-samtycken');
  await clickAndWait(revoke, 'button "Återkalla"');
  await visible(page.getByText('Återkallat', { exact: true }).first(), 'the consent, revoked');

  await clickAndWait(page.getByRole('link', { name: 'Ge ett nytt samtycke', exact: true }), 'link "Ge ett nytt samtycke"');
  assert.equal(await h1Text(), 'Ge ett samtycke');
  await page.getByRole('group', { name: 'Vem får se uppgifterna?' }).getByRole('radio').first().check();
  await page.getByRole('group', { name: 'Vilka uppgifter?' }).getByRole('checkbox', { name: 'Plan', exact: true }).check();
  await page.getByLabel('Varför?').fill('Så att vi kan planera tillsammans.');
  await shot(t, 'participant-nytt-samtycke');
  await clickAndWait(page.getByRole('button', { name: 'Ge samtycket', exact: true }), 'button "Ge samtycket"');
  assertPath('/me/consents', 'back on the consents');
  const given = page.getByRole('listitem').filter({ hasText: 'Så att vi kan planera tillsammans.' });
  assert.match(norm(await given.textContent()), /Läge\s*Gäller nu/, 'the new consent is in force');

  await page.goto('/me');
  await clickAndWait(page.getByRole('link', { name: 'Vem har sett mina uppgifter?', exact: true }), 'link "Vem har sett mina uppgifter?"');
  assert.equal(await h1Text(), 'Vem har sett mina uppgifter');
  const log = page.getByRole('list', { name: 'Händelser', exact: true });
  await visible(log.getByText('Du själv', { exact: true }).first(), 'their own looks, in plain words');
  await visible(log.getByText('Ändrade: Samtycke', { exact: true }).first(), 'the revocation in the log');
  await shot(t, 'participant-vem-har-sett');
});

step('participant: reminders, then logs out', async (t) => {
  await page.goto('/me');
  await clickAndWait(page.getByRole('link', { name: 'Påminnelser', exact: true }), 'link "Påminnelser"');
  assert.equal(await h1Text(), 'Påminnelser');
  await page.getByLabel('E-post', { exact: true }).fill('deltagare@example.se');
  await shot(t, 'participant-paminnelser');
  await clickAndWait(page.getByRole('button', { name: 'Spara', exact: true }), 'button "Spara"');
  await visible(page.getByText('Du får påminnelser. De går till:'), 'reminders on');
  await visible(page.getByRole('button', { name: 'Sluta skicka påminnelser', exact: true }), 'the way to stop them');
  await logOut('participant');
  await page.setViewportSize(DESKTOP);
});

// ---------------------------------------------------------------------------------------
// Administrator (administrator.md)
// ---------------------------------------------------------------------------------------

const NEW_COACH = { name: 'Nora Nyström', email: 'nora.nystrom@demo.stegvis.se', password: 'tre gröna tåg i regnet' };

step('administrator: invites a coach', async (t) => {
  await logIn(USERS.admin, 'administrator');
  assertPath('/admin/users', 'administrators start at the users');
  assert.equal(await h1Text(), 'Användare');
  await shot(t, 'admin-anvandare');
  await page.getByLabel('E-postadress').fill(NEW_COACH.email);
  await page.getByLabel('Namn', { exact: true }).fill(NEW_COACH.name);
  await page.getByLabel('Roll').selectOption({ label: 'Jobbcoach' });
  await shot(t, 'admin-bjud-in', page.locator('form[action="/admin/users"]'));
  await clickAndWait(page.getByRole('button', { name: 'Bjud in', exact: true }), 'button "Bjud in"');
  const link = await visible(page.locator('#link-url'), 'the one-time link');
  await visible(page.locator('#link-code'), 'the code');
  state.invitePath = new URL(await link.getAttribute('href'), page.url()).pathname;
  await shot(t, 'admin-inbjudan');
});

step("administrator: a person's page, organisations and retention rules", async (t) => {
  await page.goto('/admin/users');
  await clickAndWait(page.getByRole('link', { name: NEW_COACH.name, exact: true }), `the user ${NEW_COACH.name}`);
  assert.equal(await h1Text(), NEW_COACH.name);
  for (const button of ['Spara rollen', 'Stäng av kontot', 'Skapa länk för nytt lösenord']) {
    await visible(page.getByRole('button', { name: button, exact: true }), `button "${button}"`);
  }
  await shot(t, 'admin-anvandarsida');
  await page.goto('/admin/users');
  await clickAndWait(page.getByRole('link', { name: 'Organisationer', exact: true }), 'link "Organisationer"');
  assert.equal(await h1Text(), 'Organisationer');
  await visible(page.getByRole('button', { name: 'Lägg till', exact: true }), 'button "Lägg till"');
  await shot(t, 'admin-organisationer');
  await page.goto('/admin/users');
  await clickAndWait(page.getByRole('link', { name: 'Gallring', exact: true }), 'link "Gallring"');
  assert.equal(await h1Text(), 'Gallring');
  await visible(page.getByRole('heading', { name: 'Lägg till en regel', exact: true }), 'the rule form');
  await visible(page.getByRole('button', { name: 'Spara regeln', exact: true }), 'button "Spara regeln"');
  assert.equal(await page.getByRole('button', { name: /^Gallra exakt detta/ }).count(), 0, 'administrators do not erase');
  await shot(t, 'admin-gallringsregler');
  await page.goto('/admin/users');
  await clickAndWait(page.getByRole('link', { name: 'Inloggningstjänster', exact: true }), 'link "Inloggningstjänster"');
  assert.equal(await h1Text(), 'Inloggningstjänster');
  await visible(page.getByRole('button', { name: 'Stäng av lokala lösenord', exact: true }), 'button "Stäng av lokala lösenord"');
  await logOut('administrator');
});

step('administrator: the invited coach sets a password and logs in the first time', async (t) => {
  await page.goto(state.invitePath);
  assert.equal(await h1Text(), 'Välj lösenord');
  await visible(page.locator('#account-holder'), 'whose account the link is for');
  await page.locator('#password').fill(NEW_COACH.password);
  await page.locator('#password_again').fill(NEW_COACH.password);
  await shot(t, 'admin-valj-losenord');
  await clickAndWait(page.getByRole('button', { name: 'Spara lösenordet och logga in', exact: true }), 'button "Spara lösenordet och logga in"');
  assertPath('/caseload', 'the new coach lands on the caseload');
  assert.equal(await h1Text(), 'Mina deltagare');
  await logOut('new coach');
});

// ---------------------------------------------------------------------------------------
// Data protection officer (data-protection.md)
// ---------------------------------------------------------------------------------------

step('data protection officer: verifies the log and searches it', async (t) => {
  await logIn(USERS.dpo, 'auditor');
  await clickAndWait(nav('Granska åtkomst'), 'nav link "Granska åtkomst"');
  assert.equal(await h1Text(), 'Granska åtkomst');
  await clickAndWait(page.getByRole('button', { name: 'Kontrollera loggen nu', exact: true }), 'button "Kontrollera loggen nu"');
  await visible(page.locator('#verification').getByText('Oförändrad', { exact: true }), 'the log is intact');
  await shot(t, 'dpo-granska-atkomst');
  await page.getByLabel('Användare (e-post)').fill(USERS.partner);
  await clickAndWait(page.getByRole('button', { name: 'Sök', exact: true }), 'button "Sök"');
  const table = page.getByRole('table', { name: /^Händelser/ });
  await visible(table.getByRole('cell', { name: /Ali Hassan/ }).first(), 'the partner in the trail');
  await visible(page.getByRole('link', { name: 'Ladda ner som Excel (XLSX)', exact: true }), 'the XLSX download');
  await shot(t, 'dpo-sok-i-loggen', { scrollTo: page.getByRole('heading', { name: 'Sök i loggen', exact: true }) });
});

step("data protection officer: a participant's rights and access log", async (t) => {
  await clickAndWait(nav('Deltagare'), 'nav link "Deltagare"');
  await page.getByLabel('Sök på namn eller personnummer').fill(PERSON.last);
  await clickAndWait(page.getByRole('button', { name: 'Sök', exact: true }), 'button "Sök"');
  await clickAndWait(page.getByRole('link', { name: FULL_NAME, exact: true }), 'the participant');
  assertPath(state.participantPath, 'the participant page');
  await visible(page.getByRole('heading', { name: 'Deltagarens rättigheter', exact: true }), 'the rights section');
  const pdf = await page.request.get(await page.getByRole('link', { name: 'Registerutdrag som PDF', exact: true }).getAttribute('href'));
  assert.equal(pdf.status(), 200, 'the register extract as PDF');
  assert.equal((await pdf.body()).subarray(0, 4).toString('latin1'), '%PDF', 'a PDF');
  await visible(page.getByRole('link', { name: 'Rätta namn och personnummer', exact: true }), 'the correction link');
  await shot(t, 'dpo-deltagarens-rattigheter');
  await clickAndWait(page.getByRole('link', { name: 'Rätta namn och personnummer', exact: true }), 'link "Rätta namn och personnummer"');
  assert.equal(await h1Text(), 'Rätta namn och personnummer');
  await visible(page.getByRole('button', { name: 'Spara rättelsen', exact: true }), 'button "Spara rättelsen"');
  await page.goto(state.participantPath);
  await clickAndWait(page.getByRole('link', { name: 'Åtkomstlogg', exact: true }), 'link "Åtkomstlogg"');
  assert.equal(await h1Text(), 'Åtkomstlogg');
  assert.match(norm(await page.locator('main').textContent()), /Ali Hassan/, 'the partner\'s look is in the log');
  await shot(t, 'dpo-atkomstlogg');
});

step('data protection officer: a retention dry run', async (t) => {
  await clickAndWait(nav('Granska åtkomst'), 'nav link "Granska åtkomst"');
  await clickAndWait(page.getByRole('link', { name: 'Gallring: regler, provkörning och gallring', exact: true }), 'link to retention');
  assert.equal(await h1Text(), 'Gallring');
  await page.getByLabel('Dag att pröva (ÅÅÅÅ-MM-DD)').fill('2031-01-01');
  await clickAndWait(page.getByRole('button', { name: 'Gör en provkörning', exact: true }), 'button "Gör en provkörning"');
  await visible(page.getByRole('table', { name: /deltagare skulle gallras$/ }), 'what would be erased');
  await visible(page.getByRole('button', { name: /^Gallra exakt detta/ }), 'button "Gallra exakt detta"');
  await shot(t, 'dpo-gallring');
  await logOut('auditor');
});

axeVerdict();

// ---------------------------------------------------------------------------------------
// The book
// ---------------------------------------------------------------------------------------

test('every screenshot a guide names was made by this run, and every one made is used', async () => {
  assert.ok(taken.size > 0, 'no screenshots were taken');
  const made = new Set((await readdir(SHOTS_DIR)).filter((f) => f.endsWith('.png')).map((f) => f.slice(0, -4)));
  assert.deepEqual([...made].sort(), [...taken].sort(), 'the folder holds exactly this run\'s screenshots');
  const used = new Set();
  for (const file of (await readdir(GUIDES_DIR)).filter((f) => f.endsWith('.md'))) {
    const text = await readFile(path.join(GUIDES_DIR, file), 'utf8');
    for (const m of text.matchAll(/\]\(\.\.\/screenshots\/([^)\s]+)\.png\)/g)) {
      assert.ok(made.has(m[1]), `${file} shows ../screenshots/${m[1]}.png, which this run did not make`);
      used.add(m[1]);
    }
  }
  const unused = [...made].filter((n) => !used.has(n));
  assert.deepEqual(unused, [], 'screenshots no guide shows');
});

test('the book builds with no broken link or image (scripts/book)', { skip: !existsSync(BOOK_SCRIPT) && 'scripts/book is not here yet', timeout: 300_000 }, () => {
  const run = spawnSync(BOOK_SCRIPT, [], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 290_000 });
  assert.equal(run.status, 0, `scripts/book failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
});
