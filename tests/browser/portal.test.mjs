// The participant's portal on a phone (issue 15), at 390×844 pixels: the demo participant marks
// a step of their plan done, revokes a consent and reads who has looked at their data; then their
// coach, logged in separately, sees both changes. Every participant page, in Swedish, English,
// Arabic (right to left) and Somali, has no horizontal scrolling and no axe findings (WCAG 2.1
// A and AA); so does the accessibility statement.

import assert from 'node:assert/strict';

import {
  assertPath,
  axe,
  axeVerdict,
  clickAndWait,
  h1Text,
  htmlLang,
  norm,
  page,
  pathname,
  state,
  step,
  useServerAndBrowser,
  visible,
} from './harness.mjs';

const PARTICIPANT = 'deltagare@demo.stegvis.se';
const COACH = 'coach@demo.stegvis.se';
const PASSWORD = 'stegvis-demo';
const STEP = 'Ringa två arbetsgivare om praktik';
const LANGUAGES = [
  { code: 'sv', dir: 'ltr', logOut: 'Logga ut' },
  { code: 'en', dir: 'ltr', logOut: 'Log out' },
  { code: 'ar', dir: 'rtl', logOut: 'تسجيل الخروج' },
  { code: 'so', dir: 'ltr', logOut: 'Ka bax' },
];

useServerAndBrowser('portal', ({ listen, dataDir }) => ['demo', '--listen', listen, '--data-dir', dataDir, '--participants', '300']);

async function logIn(email, what) {
  await page.goto('/login');
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), `button "Logga in" (${what})`);
}

async function language(code) {
  await page.goto(`/language/${code}?next=${encodeURIComponent(pathname())}`);
  assert.equal(await htmlLang(), code, `<html lang> after choosing ${code}`);
}

/** The page fits the phone's width: nothing to scroll sideways. */
async function noHorizontalScroll(label) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${label}: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
}

step('the participant signs in on a phone and lands on their own pages', async (t) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(PARTICIPANT, 'participant');
  assertPath('/me', 'participants start at their own pages');
  assert.equal(await h1Text(), 'Mina sidor');
  await noHorizontalScroll('/me');
  // Their id, for the coach later (the portal never shows it).
  const own = await page.request.get('/api/v1/participants');
  assert.equal(own.status(), 200);
  state.participantId = (await own.json()).items[0].id;
  await axe(t, 'portal start (sv)');
});

step('the participant adds a step of their own and marks it done', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Min plan', exact: true }), 'link "Min plan"');
  await clickAndWait(page.getByRole('link', { name: 'Lägg till ett steg', exact: true }), 'link "Lägg till ett steg"');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till steget', exact: true }), 'an empty step');
  await visible(page.getByRole('alert'), 'the errors, in plain Swedish');
  await visible(page.getByRole('link', { name: 'Skriv ett mål. Högst 500 tecken.', exact: true }), 'the goal error in the summary');
  await noHorizontalScroll('step form with errors');
  await axe(t, 'step form with errors (sv)');
  await page.getByLabel('Mål', { exact: true }).fill('Jobb i butik');
  await page.getByLabel('Steg', { exact: true }).fill(STEP);
  await clickAndWait(page.getByRole('button', { name: 'Lägg till steget', exact: true }), 'button "Lägg till steget"');
  assertPath('/me/plan', 'back on the plan');
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: STEP, exact: true }) });
  await visible(card, 'the new step as a card');
  state.stepPath = await card.getByRole('link', { name: `Skriv med egna ord – ${STEP}`, exact: true }).getAttribute('href');
  const done = card.getByRole('button', { name: `Klart! – ${STEP}`, exact: true });
  const box = await done.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `the button is a large touch target: ${box.width}×${box.height}`);
  await clickAndWait(done, 'button "Klart!"');
  const after = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: STEP, exact: true }) });
  assert.match(norm(await after.textContent()), /Läge\s*Klart/, 'the step is done');
  assert.equal(await after.getByRole('button', { name: /^Klart!/ }).count(), 0, 'no button on a step done');
});

step('the participant revokes a consent and reads who has looked at their data', async (t) => {
  await page.goto('/me');
  await clickAndWait(page.getByRole('link', { name: 'Mina samtycken', exact: true }), 'link "Mina samtycken"');
  const revoke = page.getByRole('button', { name: 'Återkalla – Arbetsförmedlingen', exact: true }).first();
  await visible(revoke, 'the consent to the employment service, with one button');
  await clickAndWait(revoke, 'button "Återkalla"');
  assertPath('/me/consents', 'back on the consents');
  await visible(page.getByText('Återkallat', { exact: true }).first(), 'the consent, revoked');
  await page.goto('/me');
  await clickAndWait(page.getByRole('link', { name: 'Vem har sett mina uppgifter?', exact: true }), 'link "Vem har sett mina uppgifter?"');
  assert.equal(await h1Text(), 'Vem har sett mina uppgifter');
  const log = page.getByRole('list', { name: 'Händelser', exact: true });
  await visible(log.getByText('Du själv', { exact: true }).first(), 'their own looks, in plain words');
  await visible(log.getByText('Ändrade: Samtycke', { exact: true }).first(), 'the revocation in the log');
});

step('every participant page fits a phone and passes axe in Swedish, English, Arabic and Somali', async (t) => {
  const pages = ['/me', '/me/plan', '/me/plan/new', state.stepPath, '/me/activities', '/me/placements', '/me/consents', '/me/consents/new', '/me/access-log', '/me/reminders', '/tillganglighet'];
  for (const lang of LANGUAGES) {
    await page.goto('/me');
    await language(lang.code);
    for (const path of pages) {
      const response = await page.goto(path);
      assert.equal(response.status(), 200, `${path} in ${lang.code}`);
      assert.equal(await htmlLang(), lang.code, `${path}: <html lang>`);
      const dir = await page.evaluate(() => document.documentElement.getAttribute('dir'));
      assert.equal(dir, lang.dir, `${path} in ${lang.code}: <html dir>`);
      await noHorizontalScroll(`${path} in ${lang.code}`);
      await axe(t, `${path} (${lang.code})`);
    }
  }
  await language('sv');
});

step('the participant logs out from the portal, and the log-in page fits a phone in every language', async (t) => {
  await page.goto('/me');
  await clickAndWait(page.getByRole('button', { name: 'Logga ut', exact: true }), 'button "Logga ut"');
  assertPath('/login', 'logged out');
  for (const lang of LANGUAGES) {
    await language(lang.code);
    const dir = await page.evaluate(() => document.documentElement.getAttribute('dir') ?? 'ltr');
    assert.equal(dir, lang.dir, `/login in ${lang.code}: <html dir>`);
    await visible(page.locator('input#password'), `/login in ${lang.code}: the password field`);
    await noHorizontalScroll(`/login in ${lang.code}`);
    await axe(t, `/login (${lang.code})`);
  }
  await language('sv');
});

step('the coach sees the step done and the consent revoked', async (t) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await logIn(COACH, 'coach');
  await page.goto(`/participants/${state.participantId}`);
  const plan = page.getByRole('table', { name: 'Steg i handlingsplanen' });
  const row = plan.getByRole('row').filter({ has: page.getByRole('cell', { name: STEP, exact: true }) });
  await visible(row, 'the participant\'s step in the plan');
  assert.match(norm(await row.textContent()), /Klart/, 'the step is done');
  const consents = page.getByRole('table', { name: 'Samtycken', exact: true });
  assert.match(norm(await consents.textContent()), /Återkallat/, 'the consent is revoked');
  await visible(page.getByRole('link', { name: 'Tillgänglighetsredogörelse', exact: true }), 'the statement linked from staff pages');
  await clickAndWait(page.getByRole('button', { name: 'Logga ut', exact: true }), 'button "Logga ut" (coach)');
  await visible(page.getByRole('link', { name: 'Tillgänglighetsredogörelse', exact: true }), 'the statement linked from the login page');
  await axe(t, 'login with the statement link');
});

axeVerdict();
