// End-to-end and accessibility tests of Stegvis in Debian's headless Chromium.
//
// Starts `target/debug/stegvis demo` itself on a free loopback port with a fresh data
// directory, then walks through the main flow as the demo coach in one browser page:
// login (wrong password, then right), projects (Swedish and English), a project's facts,
// participant search, enrolment (wrong check digit, then valid). axe-core
// (WCAG 2.0/2.1 A and AA) runs on every page visited; its findings are collected and
// reported together by the last test.
//
// Run from the repository root:  node --test tests/browser/
// The server, the browser and the helpers are in harness.mjs (its environment variables apply).
// On failure a screenshot, the page's HTML and the server's log go to tests/browser/test-results/e2e/.

import assert from 'node:assert/strict';

import {
  ERROR_SUMMARY_HEADING,
  UUID_PATH,
  assertPath,
  axe,
  axeVerdict,
  checkNav,
  clickAndWait,
  context,
  errorSummary,
  fold,
  h1Text,
  htmlLang,
  norm,
  page,
  participantLinks,
  pathname,
  resetSetCookies,
  seenSetCookies,
  state,
  step,
  today,
  useServerAndBrowser,
  visible,
} from './harness.mjs';

const COACH_EMAIL = 'coach@demo.stegvis.se';
const DEMO_PASSWORD = 'stegvis-demo';
const PROJECT = { name: 'En väg in', number: '2019/00383', grant: '4 341 993 kr', planned: '100' };
// The five seed projects and the made-up project that runs today.
const SEED_PROJECT_COUNT = 6;

useServerAndBrowser('e2e', ({ listen, dataDir }) => ['demo', '--listen', listen, '--data-dir', dataDir, '--participants', '1000']);

// ---------------------------------------------------------------------------------------
// The flow
// ---------------------------------------------------------------------------------------

step('login page rejects a wrong password', async (t) => {
  await page.goto('/login');
  await visible(page.getByRole('button', { name: 'Logga in', exact: true }), 'button "Logga in"');
  await axe(t, 'login');

  await page.getByLabel('E-post').fill(COACH_EMAIL);
  await page.getByLabel('Lösenord').fill('fel-lösenord');
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), 'button "Logga in"');

  assert.notEqual(pathname(), '/projects', 'a wrong password must not log in');
  await visible(errorSummary(), `an error summary (role "alert" with heading "${ERROR_SUMMARY_HEADING}")`);
  await visible(page.getByLabel('Lösenord'), 'the login form again');
  await axe(t, 'login (wrong password)');
  state.cookiesBeforeLogin = await context.cookies();
});

step('login with the right password lands on the caseload with a __Host- session cookie', async () => {
  await page.getByLabel('E-post').fill(COACH_EMAIL);
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  resetSetCookies();
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), 'button "Logga in"');
  assertPath('/caseload', 'after login (a coach starts at their caseload)');

  const before = new Set((state.cookiesBeforeLogin ?? []).map((c) => `${c.name}=${c.value}`));
  const after = await context.cookies();
  const set = after.filter((c) => !before.has(`${c.name}=${c.value}`));
  const show = (cs) => JSON.stringify(cs.map(({ value, ...rest }) => rest), null, 1);
  assert.ok(set.length > 0, `login set no new cookie (the session id must be issued/rotated at login); cookies: ${show(after)}`);
  for (const c of set) {
    const problems = [];
    if (!c.name.startsWith('__Host-')) problems.push('name does not start with __Host-');
    if (!c.httpOnly) problems.push('not HttpOnly');
    if (!c.secure) problems.push('not Secure');
    if (c.sameSite !== 'Lax' && c.sameSite !== 'Strict') problems.push(`SameSite=${c.sameSite}`);
    if (c.path !== '/') problems.push(`Path=${c.path}`);
    if (c.domain !== 'localhost') problems.push(`Domain=${c.domain} (must be host-only)`);
    // The browser reports a missing SameSite as Lax: check the header itself as well.
    const header = seenSetCookies().filter((h) => h.trim().startsWith(`${c.name}=`)).at(-1);
    if (!header) problems.push('its Set-Cookie header was not seen');
    else if (!/;\s*samesite\s*=\s*(lax|strict)\s*(;|$)/i.test(header)) problems.push('Set-Cookie has no SameSite=Lax or SameSite=Strict');
    assert.deepEqual(problems, [], `session cookie "${c.name}" set at login: ${problems.join('; ')}`);
  }
});

step("the coach's caseload lists their participants with what needs doing", async (t) => {
  await checkNav();
  assert.equal(await h1Text(), 'Mina deltagare', '<h1> of the caseload');
  const table = page.getByRole('table', { name: 'Mina deltagare', exact: true });
  await visible(table, 'a table with caption "Mina deltagare"');
  const rows = table.getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
  const n = await rows.count();
  // The demo gives the coach about forty current participants.
  assert.ok(n >= 20 && n <= 80, `caseload rows: ${n}`);
  const text = norm(await table.textContent());
  assert.match(text, /Nästa steg \(demoprojekt\)/, 'the running demo project on the caseload');
  assert.match(text, /\d+ h/, 'recent attendance in hours');
  const summary = norm(await page.getByRole('list', { name: 'Att göra', exact: true }).textContent());
  assert.match(summary, new RegExp(`${n} deltagare`), `summary counts the rows: ${summary}`);
  await axe(t, 'caseload');

  await clickAndWait(page.getByRole('link', { name: 'Deltagare utan coach i din organisation', exact: true }), 'link to the unassigned list');
  assert.equal(await h1Text(), 'Deltagare utan coach', '<h1> of the unassigned list');
  await axe(t, 'caseload (unassigned)');
  await clickAndWait(page.getByRole('navigation').getByRole('link', { name: 'Projekt', exact: true }), 'nav link "Projekt"');
  assertPath('/projects', 'after the nav link "Projekt"');
});

step('projects list shows the five seed projects and the demo project', async (t) => {
  await checkNav();
  assert.match(await htmlLang(), /^sv\b/i, '<html lang> of a Swedish page');
  const table = page.getByRole('table', { name: 'Projekt', exact: true });
  await visible(table, 'a table with caption "Projekt"');
  const rows = table.getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
  assert.equal(await rows.count(), SEED_PROJECT_COUNT, 'number of project rows');
  await visible(table.getByRole('link', { name: PROJECT.name, exact: true }), `a link "${PROJECT.name}" in the table`);
  await axe(t, 'projects');
});

step('projects list in English, then back to Swedish', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'English', exact: true }), 'link "English"');
  assert.match(await htmlLang(), /^en\b/i, '<html lang> after switching to English');
  await visible(page.getByRole('link', { name: 'Svenska', exact: true }), 'link "Svenska" on the English page');
  await visible(page.getByRole('table'), 'the projects table in English');
  await axe(t, 'projects (English)');

  await clickAndWait(page.getByRole('link', { name: 'Svenska', exact: true }), 'link "Svenska"');
  assert.match(await htmlLang(), /^sv\b/i, '<html lang> after switching back to Swedish');
  await visible(page.getByRole('table', { name: 'Projekt', exact: true }), 'the table "Projekt" again');
});

step(`project page of "${PROJECT.name}" shows its facts`, async (t) => {
  const table = page.getByRole('table', { name: 'Projekt', exact: true });
  await clickAndWait(table.getByRole('link', { name: PROJECT.name, exact: true }), `link "${PROJECT.name}"`);
  assert.equal(await h1Text(), PROJECT.name, '<h1> of the project page');
  await checkNav();

  const facts = await page.evaluate(() => {
    const out = [];
    for (const dt of document.querySelectorAll('dl dt')) {
      const values = [];
      for (let el = dt.nextElementSibling; el && el.tagName !== 'DT'; el = el.nextElementSibling) {
        if (el.tagName === 'DD') values.push(el.textContent);
      }
      out.push([dt.textContent, values.join(' ')]);
    }
    return out;
  });
  const byTerm = new Map(facts.map(([k, v]) => [norm(k), norm(v)]));
  const expected = {
    Projektnummer: PROJECT.number,
    'Beviljat ESF-stöd': PROJECT.grant,
    'Planerat antal deltagare': PROJECT.planned,
  };
  for (const [term, value] of Object.entries(expected)) {
    assert.ok(byTerm.has(term), `no <dt>${term}</dt> in a description list; terms found: ${JSON.stringify([...byTerm.keys()])}`);
    assert.equal(byTerm.get(term), norm(value), `value of "${term}"`);
  }
  await axe(t, 'project page');
});

step('participant search finds a participant by family name', async (t) => {
  await clickAndWait(page.getByRole('navigation').getByRole('link', { name: 'Deltagare', exact: true }).first(), 'nav link "Deltagare"');
  assertPath('/participants', 'after the nav link "Deltagare"');
  const table = page.getByRole('table', { name: /^Deltagare/ });
  await visible(table, 'a table whose caption starts with "Deltagare"');
  await visible(page.getByRole('link', { name: 'Skriv in ny deltagare', exact: true }), 'link "Skriv in ny deltagare"');
  await axe(t, 'participants');

  const listed = await participantLinks(table);
  assert.ok(listed.length > 0, 'no participant links (to /participants/<uuid>) in the table');
  const first = listed[0];
  // "Förnamn Efternamn" (family name last) or "Efternamn, Förnamn".
  const family = first.text.includes(',') ? norm(first.text.split(',')[0]) : first.text.split(' ').at(-1);
  assert.ok(family, `cannot read a family name from "${first.text}"`);
  const other = listed.find((l) => !fold(l.text).includes(fold(family)));

  await page.getByLabel('Sök på namn eller personnummer').fill(family);
  await clickAndWait(page.getByRole('button', { name: 'Sök', exact: true }), 'button "Sök"');
  const results = page.getByRole('table', { name: /^Deltagare/ });
  await visible(results, 'the results table (caption starting with "Deltagare")');
  const found = await participantLinks(results);
  assert.ok(
    found.some((l) => l.path === first.path),
    `searching for "${family}" did not list "${first.text}" (${first.path}); results: ${JSON.stringify(found.map((l) => l.text))}`,
  );
  if (other) {
    assert.ok(
      !found.some((l) => l.path === other.path),
      `searching for "${family}" still lists "${other.text}": the list is not filtered`,
    );
  }
  await axe(t, 'participants (search results)');
});

const ENROL = { first: 'Testa', last: 'Testsson', sex: 'Kvinna', date: today() };

async function fillEnrolment(identity) {
  await page.getByLabel('Personnummer eller samordningsnummer').fill(identity);
  await page.getByLabel('Förnamn').fill(ENROL.first);
  await page.getByLabel('Efternamn').fill(ENROL.last);
  await page.getByRole('group', { name: 'Kön' }).getByRole('radio', { name: ENROL.sex, exact: true }).check();
  await page.getByRole('combobox', { name: 'Projekt' }).selectOption({ label: PROJECT.name });
  await page.getByLabel('Inskrivningsdatum').fill(ENROL.date);
}

step('enrolment with a wrong check digit shows the error summary and keeps the input', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Skriv in ny deltagare', exact: true }), 'link "Skriv in ny deltagare"');
  assertPath('/participants/new', 'after "Skriv in ny deltagare"');
  await visible(page.getByRole('button', { name: 'Skriv in', exact: true }), 'button "Skriv in"');
  await axe(t, 'new participant');

  await fillEnrolment('811218-9875');
  await clickAndWait(page.getByRole('button', { name: 'Skriv in', exact: true }), 'button "Skriv in"');

  const summary = await visible(errorSummary(), `an error summary (role "alert" with heading "${ERROR_SUMMARY_HEADING}")`);
  const identity = page.getByLabel('Personnummer eller samordningsnummer');
  await visible(identity, 'the identity number field again');
  const id = await identity.getAttribute('id');
  assert.ok(id, 'the identity number input has no id (the error summary must link to it)');
  const summaryLinks = await summary
    .getByRole('link')
    .evaluateAll((els) => els.map((a) => a.getAttribute('href') ?? ''));
  assert.ok(
    summaryLinks.some((href) => href.endsWith(`#${id}`)),
    `the error summary has no link to #${id}; its links: ${JSON.stringify(summaryLinks)}`,
  );
  assert.equal(await identity.getAttribute('aria-invalid'), 'true', 'aria-invalid of the identity number field');
  await visible(page.getByText('Kontrollsiffran stämmer inte'), 'the message "Kontrollsiffran stämmer inte"');

  assert.equal(await page.getByLabel('Förnamn').inputValue(), ENROL.first, 'kept value of "Förnamn"');
  assert.equal(await page.getByLabel('Efternamn').inputValue(), ENROL.last, 'kept value of "Efternamn"');
  assert.ok(
    await page.getByRole('group', { name: 'Kön' }).getByRole('radio', { name: ENROL.sex, exact: true }).isChecked(),
    `kept choice "${ENROL.sex}" under "Kön"`,
  );
  const selected = await page
    .getByRole('combobox', { name: 'Projekt' })
    .evaluate((s) => Array.from(s.selectedOptions, (o) => o.textContent));
  assert.deepEqual(selected.map(norm), [PROJECT.name], 'kept choice in "Projekt"');
  assert.equal(await page.getByLabel('Inskrivningsdatum').inputValue(), ENROL.date, 'kept value of "Inskrivningsdatum"');
  await axe(t, 'new participant (wrong check digit)');
});

step('enrolment with a valid identity number opens the participant page', async (t) => {
  await fillEnrolment('811218-9876');
  await clickAndWait(page.getByRole('button', { name: 'Skriv in', exact: true }), 'button "Skriv in"');
  assertPath(UUID_PATH, 'after a valid enrolment');
  state.newParticipantPath = pathname();

  assert.equal(await h1Text(), `${ENROL.first} ${ENROL.last}`, '<h1> of the participant page');
  await visible(page.getByRole('heading', { name: 'Inskrivningar', exact: true }), 'a heading "Inskrivningar"');
  await visible(page.getByText(PROJECT.name), `the project "${PROJECT.name}" among the enrolments`);
  await checkNav();
  await axe(t, 'participant page');
});

step('two assessments show the distance travelled per domain', async (t) => {
  // Issue 3: a coach assesses the participant twice and sees the change per domain.
  const assessOnce = async (value, date) => {
    await clickAndWait(page.getByRole('link', { name: 'Gör en kartläggning', exact: true }), 'link "Gör en kartläggning"');
    assert.match(await h1Text(), /^Kartläggning/, '<h1> of the assessment form');
    await page.getByLabel('Datum för kartläggningen').fill(date);
    // The first domain's questions: every radio group of that section gets `value`.
    const groups = page.getByRole('group').filter({ has: page.getByRole('radio', { name: new RegExp(`^${value} `) }) });
    const n = Math.min(await groups.count(), 3);
    assert.ok(n > 0, 'no scale questions on the assessment form');
    for (let i = 0; i < n; i++) {
      await groups.nth(i).getByRole('radio', { name: new RegExp(`^${value} `) }).check();
    }
    await axe(t, `assessment form (${value})`);
    await clickAndWait(page.getByRole('button', { name: 'Spara kartläggningen', exact: true }), 'button "Spara kartläggningen"');
    assertPath(state.newParticipantPath, 'back on the participant page after saving');
  };
  await assessOnce('2', ENROL.date);
  await visible(page.getByText('Antal kartläggningar: 1.'), 'one assessment recorded');
  await assessOnce('4', ENROL.date);
  const table = page.getByRole('table', { name: /^Stegförflyttning/ });
  await visible(table, 'the distance-travelled table');
  await visible(table.getByRole('cell', { name: '+2,0', exact: true }).first(), 'a change of +2,0 in a domain');
  await axe(t, 'participant page with distance travelled');
});

step('a staff assessment is completed by a second part', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Gör en kartläggning', exact: true }), 'link "Gör en kartläggning"');
  await page.getByRole('group', { name: 'Vem skattar?' }).getByRole('radio', { name: /^Personal/ }).check();
  const groups = page.getByRole('group').filter({ has: page.getByRole('radio', { name: /^3 / }) });
  await groups.nth(0).getByRole('radio', { name: /^3 / }).check();
  await clickAndWait(page.getByRole('button', { name: 'Spara kartläggningen', exact: true }), 'button "Spara kartläggningen" (staff)');
  const list = page.getByRole('table', { name: 'Kartläggningar, senaste först', exact: true });
  await visible(list, 'the list of assessments');
  await clickAndWait(list.getByRole('link', { name: /^Komplettera/ }), 'link "Komplettera"');
  assert.match(await h1Text(), /^Komplettera kartläggningen/, '<h1> of the part form');
  await visible(page.getByText(/Svar: 3 \(bedömt av Hässleholms kommun, Arbetsmarknadsenheten\)/), 'the first answer, with who gave it');
  // The first open question of the form: the rated one is shown as text, not as choices.
  await page.getByRole('group').filter({ has: page.getByRole('radio', { name: /^4 / }) }).first().getByRole('radio', { name: /^4 / }).check();
  await axe(t, 'assessment part form');
  await clickAndWait(page.getByRole('button', { name: 'Spara din del', exact: true }), 'button "Spara din del"');
  assertPath(state.newParticipantPath, 'back on the participant page after the part');
  const row = page.getByRole('table', { name: 'Kartläggningar, senaste först', exact: true }).getByRole('row').nth(1);
  assert.match(norm(await row.textContent()), /Personalens bedömning\s*2 av \d+/, 'the staff assessment now has two answers');
  await axe(t, 'participant page with a joint assessment');
});

step('a plan step owned by the participant', async (t) => {
  await clickAndWait(page.getByRole('link', { name: 'Lägg till ett steg', exact: true }), 'link "Lägg till ett steg"');
  assert.equal(await h1Text(), 'Nytt steg i handlingsplanen', '<h1> of the plan-step form');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till steget', exact: true }), 'button "Lägg till steget" (empty)');
  await visible(page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Det finns fel i formuläret' }) }), 'the error summary for an empty step');
  await axe(t, 'plan-step form with errors');
  await page.getByLabel('Mål', { exact: true }).fill('Arbete inom handel');
  await page.getByLabel('Steg', { exact: true }).fill('Besöka två butiker');
  await page.getByRole('group', { name: 'Vem tar steget?' }).getByRole('radio', { name: 'Deltagaren', exact: true }).check();
  await clickAndWait(page.getByRole('button', { name: 'Lägg till steget', exact: true }), 'button "Lägg till steget"');
  assertPath(state.newParticipantPath, 'back on the participant page');
  const plan = page.getByRole('table', { name: 'Steg i handlingsplanen' });
  await visible(plan.getByRole('cell', { name: 'Besöka två butiker', exact: true }), 'the new step in the plan');
  await visible(plan.getByRole('cell', { name: 'Deltagaren', exact: true }), 'owned by the participant');
  await axe(t, 'participant page with a plan');
});

step('changing a plan step keeps the earlier version', async (t) => {
  const plan = page.getByRole('table', { name: 'Steg i handlingsplanen' });
  await clickAndWait(plan.getByRole('link', { name: 'Ändra – Besöka två butiker', exact: true }), 'link "Ändra – Besöka två butiker"');
  assert.equal(await h1Text(), 'Ändra steg', '<h1> of the step form');
  await page.getByLabel('Med deltagarens egna ord').fill('Jag börjar med Lidl');
  await page.getByRole('group', { name: 'Hur går det med steget?' }).getByRole('radio', { name: 'Pågår', exact: true }).check();
  await axe(t, 'plan-step change form');
  await clickAndWait(page.getByRole('button', { name: 'Spara ändringen', exact: true }), 'button "Spara ändringen"');
  assertPath(state.newParticipantPath, 'back on the participant page after the change');
  const row = page.getByRole('table', { name: 'Steg i handlingsplanen' }).getByRole('row', { name: /Besöka två butiker/ });
  const text = norm(await row.textContent());
  assert.match(text, /Pågår/, `the new status in the row: ${text}`);
  assert.match(text, /Jag börjar med Lidl/, `the participant's words in the row: ${text}`);
  assert.match(text, /ändrat 1 gång/, `the change is counted: ${text}`);

  await clickAndWait(row.getByRole('link', { name: /^Ändra/ }), 'link "Ändra" again');
  const history = page.getByRole('table', { name: 'Så här såg steget ut före varje ändring', exact: true });
  await visible(history, 'the table of earlier versions');
  assert.match(norm(await history.textContent()), /Karin Lund.*Besöka två butiker.*Planerat/, 'the earlier version, by whom');
  await axe(t, 'plan-step history');
  await page.goto(state.newParticipantPath);
});

step('an employer and an opening, an offer declined, another accepted and started', async (t) => {
  await clickAndWait(page.getByRole('navigation').getByRole('link', { name: 'Arbetsgivare', exact: true }), 'nav link "Arbetsgivare"');
  assertPath('/employers', 'the employer list');
  await clickAndWait(page.getByRole('button', { name: 'Registrera arbetsgivaren', exact: true }), 'button "Registrera arbetsgivaren" (empty)');
  await visible(page.getByRole('heading', { name: ERROR_SUMMARY_HEADING }), 'the error summary for an empty employer');
  await axe(t, 'employers with errors');
  await page.getByRole('group', { name: 'Typ' }).getByRole('radio', { name: 'Arbetsgivare', exact: true }).check();
  await page.getByLabel('Arbetsgivarens namn').fill('Testbageriet AB');
  await page.getByLabel('Arbetsplats', { exact: true }).fill('Bageriet');
  await clickAndWait(page.getByRole('button', { name: 'Registrera arbetsgivaren', exact: true }), 'button "Registrera arbetsgivaren"');
  assert.equal(await h1Text(), 'Testbageriet AB', '<h1> of the employer page');
  await page.getByLabel('Typ av plats').selectOption({ label: 'Arbetsträning' });
  await page.getByLabel('Benämning').fill('Bagerimedhjälpare');
  await page.getByLabel('Yrkeskod SSYK 2012 (valfritt)').fill('9999');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till platsen', exact: true }), 'button "Lägg till platsen" (bad code)');
  await visible(page.getByRole('heading', { name: ERROR_SUMMARY_HEADING }), 'the error summary for an unknown occupation code');
  await page.getByLabel('Yrkeskod SSYK 2012 (valfritt)').fill('9412');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till platsen', exact: true }), 'button "Lägg till platsen"');
  const openings = page.getByRole('table', { name: 'Platser hos Testbageriet AB', exact: true });
  assert.match(norm(await openings.textContent()), /Bagerimedhjälpare.*Restaurang- och köksbiträden m\.fl\. \(9412\)/, 'the opening with its occupation');
  await axe(t, 'employer page');

  const offer = async (opening, supervisor) => {
    await page.goto(state.newParticipantPath);
    await clickAndWait(page.getByRole('link', { name: 'Erbjud en plats', exact: true }), 'link "Erbjud en plats"');
    await page.getByLabel('Plats', { exact: true }).selectOption({ label: opening });
    if (supervisor) await page.getByLabel('Handledare (valfritt)').selectOption({ label: supervisor });
    await axe(t, 'offer form');
    await clickAndWait(page.getByRole('button', { name: 'Erbjud platsen', exact: true }), 'button "Erbjud platsen"');
  };
  const move = async (to) => {
    await page.getByRole('group', { name: 'Vad har hänt?' }).getByRole('radio', { name: to, exact: true }).check();
    await clickAndWait(page.getByRole('button', { name: 'Spara', exact: true }), `button "Spara" (${to})`);
    await visible(page.getByText(to, { exact: true }), `status ${to}`);
  };
  await offer('Bagerimedhjälpare – Testbageriet AB, Bageriet (Arbetsträning)');
  await axe(t, 'placement page (offered)');
  await move('Tackat nej');
  await offer('Trädgårdsarbete – Demo Trädgård AB, Handelsträdgården (Arbetsträning)', 'Per Ek (Demo Trädgård AB)');
  await move('Tackat ja');
  await move('Påbörjad');
  state.placementPath = new URL(page.url()).pathname;
  await axe(t, 'placement page (started)');
  await page.goto(state.newParticipantPath);
  const placements = page.getByRole('table', { name: 'Erbjudna platser, senaste först', exact: true });
  assert.match(norm(await placements.textContent()), /Arbetsträning.*Handelsträdgården.*Påbörjad.*Arbetsträning.*Bageriet.*Tackat nej/, 'both offers, the declined one kept');
});

step('a job profile gives matches with their reasons, and the opening its candidates', async (t) => {
  await page.goto(state.newParticipantPath);
  await clickAndWait(page.getByRole('link', { name: 'Skriv jobbprofilen', exact: true }), 'link "Skriv jobbprofilen"');
  await page.getByLabel('Yrken deltagaren vill arbeta med').fill('6113, 12');
  await clickAndWait(page.getByRole('button', { name: 'Spara jobbprofilen', exact: true }), 'button "Spara jobbprofilen" (bad code)');
  await visible(page.getByRole('heading', { name: ERROR_SUMMARY_HEADING }), 'the error summary for an unknown occupation code');
  await axe(t, 'job profile with errors');
  await page.getByLabel('Yrken deltagaren vill arbeta med').fill('6113');
  await page.getByLabel('Timmar i veckan deltagaren kan arbeta').fill('20');
  await page.getByLabel('Hemkommun (kommunkod)').fill('1293');
  await clickAndWait(page.getByRole('button', { name: 'Spara jobbprofilen', exact: true }), 'button "Spara jobbprofilen"');
  const matches = page.getByRole('table', { name: 'Platser som passar, bäst först', exact: true });
  await visible(matches, 'the matches');
  const first = norm(await matches.getByRole('row').nth(1).textContent());
  assert.match(first, /^Trädgårdsarbete.*80.*yrket som deltagaren vill arbeta med \(40\)/, `the best match and why: ${first}`);
  await axe(t, 'participant page with matches');

  // The demo shop's procurement clause counts what has been delivered.
  await page.goto('/employers');
  await clickAndWait(page.getByRole('link', { name: 'Demo Butik i Hässleholm AB', exact: true }), 'link "Demo Butik i Hässleholm AB"');
  const clauses = page.getByRole('table', { name: 'Avtal och vad som levererats', exact: true });
  assert.match(norm(await clauses.textContent()), /Lokalvård och butikstjänster.*Hässleholms kommun.*\d+ \/ 6.*\d+ \/ 2/, 'the clause with delivered of promised');
  await axe(t, 'employer page with a procurement clause');
  await page.goto('/employers');
  await clickAndWait(page.getByRole('link', { name: 'Demo Trädgård AB', exact: true }), 'link "Demo Trädgård AB"');
  await clickAndWait(page.getByRole('link', { name: 'Matcha deltagare – Trädgårdsarbete', exact: true }), 'link "Matcha deltagare – Trädgårdsarbete"');
  const suggested = page.getByRole('table', { name: 'Förslag, bäst först', exact: true });
  await visible(suggested.getByRole('link', { name: `${ENROL.first} ${ENROL.last}`, exact: true }), 'the participant among the candidates');
  await visible(page.getByRole('table', { name: /^Könsfördelning/ }), 'the fairness table');
  await axe(t, 'candidates for an opening');
  await page.goto(state.newParticipantPath);
});

step('attendance for the group on a day, from the project page', async (t) => {
  await clickAndWait(page.getByRole('navigation').getByRole('link', { name: 'Projekt', exact: true }), 'nav link "Projekt"');
  await clickAndWait(page.getByRole('table', { name: 'Projekt', exact: true }).getByRole('link', { name: PROJECT.name, exact: true }), `link "${PROJECT.name}"`);
  await clickAndWait(page.getByRole('link', { name: 'Aktiviteter och närvaro', exact: true }), 'link "Aktiviteter och närvaro"');
  await page.getByLabel('Typ av aktivitet').selectOption({ label: 'Gruppträff' });
  await page.getByLabel('Namn på aktiviteten').fill('Jobbsök i grupp');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till aktiviteten', exact: true }), 'button "Lägg till aktiviteten"');
  await axe(t, 'activities of a project');

  // A weekly time on today's weekday: a too-short session first, then a real one.
  await clickAndWait(page.getByRole('link', { name: 'Lägg till tid i schemat – Jobbsök i grupp', exact: true }), 'link "Lägg till tid i schemat – Jobbsök i grupp"');
  // The weekday in Sweden, as the server counts days (in UTC it is yesterday from 23:00 or 22:00).
  const isoWeekday = { Mon: '1', Tue: '2', Wed: '3', Thu: '4', Fri: '5', Sat: '6', Sun: '7' }[
    new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Stockholm', weekday: 'short' }).format(new Date())
  ];
  await page.getByLabel('Veckodag').selectOption(isoWeekday);
  await page.getByLabel('Starttid').fill('09:00');
  await page.getByLabel('Längd i timmar').fill('0:10');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till tiden', exact: true }), 'button "Lägg till tiden" (too short)');
  await visible(page.getByRole('heading', { name: ERROR_SUMMARY_HEADING }), 'the error summary for a 10-minute session');
  await axe(t, 'schedule form with errors');
  await page.getByLabel('Längd i timmar').fill('3');
  await clickAndWait(page.getByRole('button', { name: 'Lägg till tiden', exact: true }), 'button "Lägg till tiden"');
  await visible(page.getByText(/09:00–12:00/), 'the new time in the schedule');
  await axe(t, 'schedule of an activity');
  await clickAndWait(page.getByRole('link', { name: 'Tillbaka till aktiviteterna', exact: true }), 'link "Tillbaka till aktiviteterna"');

  await clickAndWait(page.getByRole('link', { name: 'Registrera närvaro – Jobbsök i grupp', exact: true }), 'link "Registrera närvaro – Jobbsök i grupp"');
  await visible(page.getByText(/Enligt schemat: .*09:00–12:00 \(3 h\)/), 'the scheduled session for the day');
  await page.getByLabel(`Timmar för ${ENROL.first} ${ENROL.last}`).fill('2,5');
  await axe(t, 'attendance form');
  await clickAndWait(page.getByRole('button', { name: 'Registrera närvaro', exact: true }), 'button "Registrera närvaro"');
  await visible(page.getByRole('status').filter({ hasText: 'Närvaron är registrerad för 1 deltagare.' }), 'the confirmation');
  await page.goto(state.newParticipantPath);
});

step('the monthly time report shows whole hours and downloads as XLSX', async (t) => {
  await clickAndWait(page.getByRole('navigation').getByRole('link', { name: 'Projekt', exact: true }), 'nav link "Projekt"');
  await clickAndWait(page.getByRole('table', { name: 'Projekt', exact: true }).getByRole('link', { name: PROJECT.name, exact: true }), `link "${PROJECT.name}"`);
  await clickAndWait(page.getByRole('link', { name: 'Tidrapport per månad', exact: true }), 'link "Tidrapport per månad"');
  // A month that does not exist: a clear error at the field.
  await page.getByLabel('Månad').fill('2026-13');
  await clickAndWait(page.getByRole('button', { name: 'Visa', exact: true }), 'button "Visa"');
  await visible(page.getByRole('heading', { name: ERROR_SUMMARY_HEADING }), 'the error summary for a bad month');
  await axe(t, 'time report with an error');

  const month = today().slice(0, 7);
  await page.getByLabel('Månad').fill(month);
  await clickAndWait(page.getByRole('button', { name: 'Visa', exact: true }), 'button "Visa"');
  const table = page.getByRole('table', { name: `Närvaro per deltagare ${month}`, exact: true });
  await visible(table, `the table for ${month}`);
  const row = table.getByRole('row', { name: new RegExp(`^${ENROL.first} ${ENROL.last}`) });
  // 2,5 hours attended today: 2 whole hours for the funder, the actual time beside it.
  assert.equal(norm(await row.textContent()), `${ENROL.first} ${ENROL.last} 2 2 h 30 min 1 0`, 'the row of the new participant');
  await axe(t, 'time report');

  const href = await page.getByRole('link', { name: 'Ladda ner som Excel (XLSX)', exact: true }).getAttribute('href');
  const response = await page.request.get(href);
  assert.equal(response.status(), 200, 'XLSX download status');
  assert.match(response.headers()['content-type'], /spreadsheetml/, 'XLSX content type');
  const body = await response.body();
  assert.equal(body.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
  await page.goto(state.newParticipantPath);
});

step('ending the enrolment plans the follow-ups, the 90-day one included', async (t) => {
  await clickAndWait(page.getByRole('link', { name: /^Avsluta inskrivning/ }).first(), 'link "Avsluta inskrivning"');
  assert.equal(await h1Text(), 'Avsluta inskrivning', '<h1> of the exit form');
  await page.getByLabel('Avslutsdatum').fill(ENROL.date);
  await page.getByRole('group', { name: 'Vart går deltagaren?' }).getByRole('radio', { name: 'Arbetssökande', exact: true }).check();
  await axe(t, 'exit form');
  await clickAndWait(page.getByRole('button', { name: 'Avsluta inskrivningen', exact: true }), 'button "Avsluta inskrivningen"');
  assertPath(state.newParticipantPath, 'back on the participant page after the exit');
  const due90 = new Date(Date.parse(ENROL.date) + 90 * 86400000).toISOString().slice(0, 10);
  await visible(page.getByText(`Uppföljning efter 90 dagar: senast ${due90}`), `the 90-day follow-up due ${due90}`);
  await axe(t, 'participant page after exit');
  await clickAndWait(page.getByRole('navigation').getByRole('link', { name: 'Uppföljningar', exact: true }), 'nav link "Uppföljningar"');
  assertPath('/follow-ups', 'the follow-up list');
  assert.equal(await h1Text(), 'Uppföljningar', '<h1> of the follow-up list');
  await axe(t, 'follow-up list');
});

step('the new participant is found by search', async (t) => {
  await clickAndWait(page.getByRole('navigation').getByRole('link', { name: 'Deltagare', exact: true }).first(), 'nav link "Deltagare"');
  await page.getByLabel('Sök på namn eller personnummer').fill(ENROL.last);
  await clickAndWait(page.getByRole('button', { name: 'Sök', exact: true }), 'button "Sök"');
  const results = page.getByRole('table', { name: /^Deltagare/ });
  await visible(results, 'the results table');
  const found = await participantLinks(results);
  assert.ok(
    found.some((l) => l.path === state.newParticipantPath),
    `searching for "${ENROL.last}" did not list ${state.newParticipantPath}; results: ${JSON.stringify(found.map((l) => l.text))}`,
  );
  await axe(t, 'participants (search for the new participant)');
});

step('logging out ends the session', async (t) => {
  await clickAndWait(page.getByRole('button', { name: 'Logga ut', exact: true }), 'button "Logga ut"');
  await page.goto('/projects');
  await visible(page.getByRole('button', { name: 'Logga in', exact: true }), 'the login form when opening /projects after logging out');
  assert.equal(await page.getByRole('table', { name: 'Projekt', exact: true }).count(), 0, 'the projects table is shown after logging out');
  await axe(t, 'after logout');
});

step('the supervisor confirms a week and gives feedback, and sees nothing else', async (t) => {
  await page.goto('/login');
  await page.getByLabel('E-post').fill('handledare@demo.stegvis.se');
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), 'button "Logga in" (supervisor)');
  assertPath('/supervised', 'a supervisor starts at their placements');
  await axe(t, 'supervised placements');
  await clickAndWait(page.getByRole('link', { name: `${ENROL.first} ${ENROL.last}`, exact: true }), 'the placement of the new participant');
  assertPath(state.placementPath, 'the placement page');
  await page.getByLabel('Timmar på plats den veckan').fill('16');
  await clickAndWait(page.getByRole('button', { name: 'Bekräfta veckan', exact: true }), 'button "Bekräfta veckan"');
  await visible(page.getByRole('cell', { name: '960', exact: true }), 'the confirmed week in minutes');
  await page.getByLabel('Skriv återkoppling').fill('Har kommit i tid varje dag.');
  await clickAndWait(page.getByRole('button', { name: 'Spara återkopplingen', exact: true }), 'button "Spara återkopplingen"');
  await visible(page.getByText('Har kommit i tid varje dag.'), 'the feedback');
  await axe(t, 'placement page (supervisor)');
  const response = await page.goto(state.newParticipantPath);
  assert.equal(response.status(), 404, "the participant's record is not the supervisor's");
  await clickAndWait(page.getByRole('button', { name: 'Logga ut', exact: true }), 'button "Logga ut" (supervisor)');
});

async function logIn(email, what) {
  await page.goto('/login');
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), `button "Logga in" (${what})`);
}

async function logOut(what) {
  await clickAndWait(page.getByRole('button', { name: 'Logga ut', exact: true }), `button "Logga ut" (${what})`);
}

const FULL_NAME = `${ENROL.first} ${ENROL.last}`;

step('the coach notes a consent, sends a referral and records a case conference', async (t) => {
  await logIn(COACH_EMAIL, 'coach again');
  await page.goto(state.newParticipantPath);
  await clickAndWait(page.getByRole('link', { name: 'Anteckna ett samtycke', exact: true }), 'link "Anteckna ett samtycke"');
  assert.equal(await h1Text(), 'Nytt samtycke', '<h1> of the consent form');
  await clickAndWait(page.getByRole('button', { name: 'Spara samtycket', exact: true }), 'button "Spara samtycket" (empty)');
  await visible(page.getByRole('alert').filter({ has: page.getByRole('heading', { name: ERROR_SUMMARY_HEADING }) }), 'the error summary for an empty consent');
  await axe(t, 'consent form with errors');
  await page.getByRole('group', { name: 'Vem får se uppgifterna?' }).getByRole('radio', { name: 'Arbetsförmedlingen', exact: true }).check();
  const kinds = page.getByRole('group', { name: 'Vilka uppgifter?' });
  await kinds.getByRole('checkbox', { name: 'Personuppgifter', exact: true }).check();
  await kinds.getByRole('checkbox', { name: 'Handlingsplan', exact: true }).check();
  await page.getByLabel('Syfte').fill('Gemensam planering inför arbetsträning');
  await clickAndWait(page.getByRole('button', { name: 'Spara samtycket', exact: true }), 'button "Spara samtycket"');
  assertPath(state.newParticipantPath, 'back on the participant page after the consent');
  const consents = page.getByRole('table', { name: 'Samtycken', exact: true });
  assert.match(norm(await consents.textContent()), /Arbetsförmedlingen.*Gemensam planering inför arbetsträning.*Gäller/, 'the consent in force');

  await clickAndWait(page.getByRole('link', { name: 'Skicka en remiss', exact: true }), 'link "Skicka en remiss"');
  await page.getByRole('group', { name: 'Till vilken organisation?' }).getByRole('radio', { name: 'Arbetsförmedlingen', exact: true }).check();
  await page.getByLabel('Varför skickas remissen?').fill('Vill ha stöd att hitta en arbetsträningsplats inom handel.');
  await axe(t, 'referral form');
  await clickAndWait(page.getByRole('button', { name: 'Skicka remissen', exact: true }), 'button "Skicka remissen"');
  assertPath('/referrals', 'the referrals after sending');
  await visible(page.getByRole('listitem').filter({ hasText: 'Vill ha stöd att hitta en arbetsträningsplats' }), 'the sent referral');
  await axe(t, 'referrals (coach)');

  await page.goto(state.newParticipantPath);
  await clickAndWait(page.getByRole('link', { name: 'Anteckna ett samverkansmöte', exact: true }), 'link "Anteckna ett samverkansmöte"');
  await page.getByLabel('Vilka deltog? En per rad').fill('Karin Lund, AME\nAli Hassan, Arbetsförmedlingen\nDeltagaren');
  await page.getByLabel('Minnesanteckningar').fill('Vi kom överens om att prova arbetsträning i butik.');
  await page.getByLabel('Vad ska göras?').first().fill('Kontakta två butiker om arbetsträning');
  await axe(t, 'case conference form');
  await clickAndWait(page.getByRole('button', { name: 'Spara mötet', exact: true }), 'button "Spara mötet"');
  assertPath(state.newParticipantPath, 'back on the participant page after the conference');
  await visible(page.getByText('Vi kom överens om att prova arbetsträning i butik.'), 'the minutes');
  const plan = page.getByRole('table', { name: 'Steg i handlingsplanen' });
  await visible(plan.getByRole('cell', { name: 'Kontakta två butiker om arbetsträning', exact: true }), 'the decision as a plan step');
  await axe(t, 'participant page with consents, referrals and a conference');
  await logOut('coach');
});

step('the employment service answers the referral and sees the plan only while the consent is live', async (t) => {
  await logIn('af@demo.stegvis.se', 'employment service');
  assertPath('/referrals', 'partner staff start at their referrals');
  const card = page.getByRole('listitem').filter({ hasText: 'Vill ha stöd att hitta en arbetsträningsplats' });
  await card.getByLabel('Svar till avsändaren (valfritt)').fill('Välkommen på möte på tisdag.');
  await axe(t, 'referrals (employment service)');
  await clickAndWait(card.getByRole('button', { name: `Acceptera – ${FULL_NAME}`, exact: true }), 'button "Acceptera"');
  await visible(page.getByRole('listitem').filter({ hasText: 'Välkommen på möte på tisdag.' }), 'the answer on the referral');
  await clickAndWait(page.getByRole('link', { name: FULL_NAME, exact: true }).first(), 'the referred participant');
  assertPath(state.newParticipantPath, 'the participant page, under the consent');
  const plan = page.getByRole('table', { name: 'Steg i handlingsplanen' });
  await visible(plan.getByRole('cell', { name: 'Besöka två butiker', exact: true }), 'the plan the consent covers');
  assert.equal(await page.getByRole('heading', { name: 'Kartläggning och stegförflyttning' }).count(), 0, 'no assessments: the consent does not cover them');
  await axe(t, 'participant page (employment service, under consent)');
  await logOut('employment service');

  await logIn(COACH_EMAIL, 'coach revokes');
  await page.goto(state.newParticipantPath);
  await clickAndWait(page.getByRole('button', { name: 'Återkalla – Arbetsförmedlingen', exact: true }), 'button "Återkalla"');
  assert.match(norm(await page.getByRole('table', { name: 'Samtycken', exact: true }).textContent()), /Återkallat/, 'the consent is revoked');
  await logOut('coach');

  await logIn('af@demo.stegvis.se', 'employment service again');
  const response = await page.goto(state.newParticipantPath);
  assert.equal(response.status(), 404, 'after the revocation the next request is refused');
  await logOut('employment service again');
});

step('the participant sees who has looked at their information', async (t) => {
  await logIn('deltagare@demo.stegvis.se', 'participant');
  // Participants have their own pages, made for a phone (issue 15).
  assertPath('/me', 'the participant starts at their own pages');
  await clickAndWait(page.getByRole('link', { name: 'Vem har sett mina uppgifter?', exact: true }), 'link "Vem har sett mina uppgifter?"');
  assert.equal(await h1Text(), 'Vem har sett mina uppgifter', '<h1> of the access log');
  const log = page.getByRole('list', { name: 'Händelser', exact: true });
  await visible(log.getByText('Du själv', { exact: true }).first(), 'their own looks, in plain words');
  await axe(t, 'access log (participant)');
  await page.goto('/me/consents');
  await clickAndWait(page.getByRole('button', { name: 'Återkalla – Arbetsförmedlingen', exact: true }).first(), 'the participant revokes their consent');
  await visible(page.getByText('Återkallat', { exact: true }).first(), 'their consent, revoked');
  await logOut('participant');
});

step('the auditor searches the trail by user and downloads it', async (t) => {
  await logIn('dataskydd@demo.stegvis.se', 'auditor');
  await clickAndWait(page.getByRole('link', { name: 'Granska åtkomst', exact: true }), 'link "Granska åtkomst"');
  await page.getByLabel('Användare (e-post)').fill('af@demo.stegvis.se');
  await clickAndWait(page.getByRole('button', { name: 'Sök', exact: true }), 'button "Sök"');
  const table = page.getByRole('table', { name: /^Händelser/ });
  await visible(table.getByRole('cell', { name: /Ali Hassan/ }).first(), 'the employment service user in the trail');
  await visible(table.getByText('Nekad').first(), 'the refused look after the revocation');
  await visible(page.getByRole('link', { name: 'Ladda ner som CSV', exact: true }), 'the CSV download');
  await axe(t, 'audit search');
  await logOut('auditor');
});

step("the project's goals and ESF+ indicators, exact and as published", async (t) => {
  await logIn(COACH_EMAIL, 'coach for the report');
  await page.goto('/projects');
  await clickAndWait(page.getByRole('link', { name: 'Nästa steg (demoprojekt)', exact: true }), 'the demo project');
  await visible(page.getByRole('img', { name: /^Måluppfyllelse/ }), 'the goal chart');
  const goals = page.getByRole('table', { name: 'Mål, uppnått per kön', exact: true });
  await visible(goals.getByRole('rowheader', { name: /^Minst 75 % erbjuds/ }), 'the seed goal with its progress');
  await axe(t, 'project page with goals');
  await clickAndWait(page.getByRole('link', { name: /^Alla mål och ESF\+-indikatorerna/ }), 'the report');
  const indicators = page.getByRole('table', { name: 'Gemensamma indikatorer per kön', exact: true });
  await visible(indicators.getByRole('cell', { name: 'EECO01', exact: true }), 'EECO01 in the indicator table');
  await axe(t, 'report (exact)');
  await clickAndWait(page.getByRole('link', { name: /^Visa som publicerad rapport/ }), 'the published view');
  await visible(page.getByRole('link', { name: 'Visa exakta siffror', exact: true }), 'the way back to exact numbers');
  const counts = (await page.getByRole('table', { name: 'Gemensamma indikatorer per kön', exact: true }).locator('td.num').allTextContents()).map(norm);
  assert.ok(counts.length >= 80, `the indicator cells: ${counts.length}`);
  const small = counts.filter((c) => /^[1-4]$/.test(c));
  assert.deepEqual(small, [], 'no count between 1 and 4 is published');
  assert.ok(counts.some((c) => c === '<5' || c === '..'), 'some cells are suppressed');
  await axe(t, 'report (published)');
  await page.goto('/projects');
  await clickAndWait(page.getByRole('link', { name: 'Rapport över alla era projekt', exact: true }), 'the roll-up');
  await visible(page.getByRole('table', { name: 'Projekten var för sig', exact: true }).getByRole('link', { name: 'Nästa steg (demoprojekt)', exact: true }), 'the demo project in the roll-up');
  await axe(t, 'roll-up across projects');
  await logOut('coach after the report');
});

step('the project manager values participant time as co-financing', async (t) => {
  await logIn('projektledare@demo.stegvis.se', 'project manager for participant time');
  await page.goto('/projects');
  await clickAndWait(page.getByRole('link', { name: 'Nästa steg (demoprojekt)', exact: true }), 'the demo project');
  await clickAndWait(page.getByRole('link', { name: /^Alla mål och ESF\+-indikatorerna/ }), 'the report');
  await visible(page.getByRole('table', { name: /^Närvaro i hela timmar per månad/ }), 'whole hours per month');
  await clickAndWait(page.getByRole('link', { name: 'Ange värdet per deltagartimme', exact: true }), 'the value form');
  const value = page.getByLabel('Värde per deltagartimme (kr)');
  await value.fill('12,345');
  await clickAndWait(page.getByRole('button', { name: 'Spara', exact: true }), 'saving a wrong amount');
  await visible(page.getByRole('link', { name: /högst två decimaler/ }), 'the error summary names the field');
  assert.equal(await value.inputValue(), '12,345', 'what was typed is kept');
  await axe(t, 'participant time value with an error');
  await value.fill('113,75');
  await clickAndWait(page.getByRole('button', { name: 'Spara', exact: true }), 'saving the value');
  await visible(page.getByText('113,75\u00a0kr', { exact: true }), 'the value on the report');
  await axe(t, 'report with participant time valued');
  await logOut('project manager');
});

axeVerdict();
