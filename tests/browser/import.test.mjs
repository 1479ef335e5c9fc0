// Moving in (issue 16): a coach imports the spreadsheet a project keeps today. The test makes a
// messy XLSX itself (exceljs): participants with a wrong check digit, a date written `3/2 2025`,
// an unknown project, a duplicate row, a formula in a cell and an empty line, and a second sheet
// of attendance with `1 234,5` hours. The dry run names each problem at its row and column; the
// corrected file imports; the same file again adds nothing; axe runs on every page of the flow.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

import ExcelJS from 'exceljs';

import {
  assertPath,
  axe,
  axeVerdict,
  clickAndWait,
  errorSummary,
  h1Text,
  norm,
  page,
  state,
  step,
  useServerAndBrowser,
  visible,
} from './harness.mjs';

const COACH = 'coach@demo.stegvis.se';
const PASSWORD = 'stegvis-demo';
const PROJECT = 'En väg in';

useServerAndBrowser('import', ({ listen, dataDir }) => ['demo', '--listen', listen, '--data-dir', dataDir, '--participants', '300']);

let tmp;
after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const HEADERS = ['Personnummer', 'Förnamn', 'Efternamn', 'Kön', 'Projekt', 'Inskrivningsdatum', 'Född utomlands'];

/**
 * The participants sheet as a project keeps it, with its mistakes when `messy`. Spreadsheet rows:
 * 1 headers, 2 Ada, 3 Bo (check digit), 4 Cilla (`3/2 2025`), 5 Dan (unknown project),
 * 6 Ada again (duplicate), 7 empty, 8 Eva (family name a formula).
 */
function participantRows(messy) {
  return [
    ['900101-1239', 'Ada', 'Importsson', 'Kvinna', PROJECT, '2025-02-03', 'Nej'],
    [messy ? '920315-2345' : '920315-2344', 'Bo', 'Importsson', 'Man', PROJECT, '2025-02-03', 'Ja'],
    ['880707-3450', 'Cilla', 'Importsson', 'Kvinna', PROJECT, '3/2 2025', 'Nej'],
    ['950505-4560', 'Dan', 'Importsson', 'Man', messy ? 'Projektet som inte finns' : PROJECT, '2025-02-03', 'Nej'],
    messy ? ['900101-1239', 'Ada', 'Importsson', 'Kvinna', PROJECT, '2025-02-03', 'Nej'] : null,
    [],
    ['010203-5672', 'Eva', { formula: 'CONCATENATE("Import","sson")', result: 'Importsson' }, 'Kvinna', PROJECT, '2025-02-03', 'Nej'],
  ];
}

/** Writes the workbook: the participants sheet, and a second sheet of monthly attendance. */
async function writeWorkbook(name, messy) {
  tmp ??= await mkdtemp(path.join(os.tmpdir(), 'stegvis-import-'));
  const wb = new ExcelJS.Workbook();
  const people = wb.addWorksheet('Deltagare');
  people.addRow(HEADERS);
  for (const row of participantRows(messy)) {
    // A removed duplicate keeps the rows below where they were (an empty line instead).
    people.addRow(row ?? []);
  }
  const attendance = wb.addWorksheet('Närvaro');
  attendance.addRow(['Personnummer', 'Projekt', 'Aktivitet', 'Månad', 'Timmar']);
  attendance.addRow(['900101-1239', PROJECT, 'Jobbsökarträffar', '2025-03', messy ? '1 234,5' : '123,5']);
  attendance.addRow(['880707-3450', PROJECT, 'Jobbsökarträffar', 'mars 2025', '12,5']);
  const file = path.join(tmp, name);
  await wb.xlsx.writeFile(file);
  return file;
}

/** The dry run's problems as [row, column, value, message] from its table. */
async function problemRows() {
  const table = page.getByRole('table', { name: /^Alla fel/ });
  await visible(table, 'the table of every problem');
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent.replace(/\s+/g, ' ').trim())),
  );
}

async function upload(file, t, label) {
  await page.goto('/import');
  assert.equal(await h1Text(), 'Importera från Excel eller CSV');
  await page.getByLabel('Fil', { exact: true }).setInputFiles(file);
  await clickAndWait(page.getByRole('button', { name: 'Ladda upp och välj kolumner' }), 'the upload button');
  assertPath(/^\/import\/[0-9a-f-]{36}$/, `the mapping page after uploading ${label}`);
  assert.equal(await h1Text(), 'Vad finns i kolumnerna?');
  await axe(t, `mapping (${label})`);
}

/** The select of the column whose heading is `header`. */
function columnSelect(letter, header) {
  return page.getByLabel(`Kolumn ${letter} (${header}) används som`, { exact: true });
}

async function checkFile(t, label) {
  await clickAndWait(page.getByRole('button', { name: 'Kontrollera filen' }), 'the check button');
  assertPath(/\/check$/, `the dry run of ${label}`);
  assert.equal(await h1Text(), 'Kontroll av filen');
  await axe(t, `dry run (${label})`);
}

async function summaryNumber(label) {
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  return Number(norm(await row.getByRole('cell').textContent()));
}

step('the coach opens the import from the menu', async (t) => {
  await page.goto('/login');
  await page.getByLabel('E-post').fill(COACH);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await clickAndWait(page.getByRole('button', { name: 'Logga in', exact: true }), 'button "Logga in"');
  const nav = page.getByRole('navigation');
  await clickAndWait(nav.getByRole('link', { name: 'Importera', exact: true }), 'nav link "Importera"');
  assertPath('/import', 'the import');
  assert.equal(await h1Text(), 'Importera från Excel eller CSV');
  await axe(t, 'upload form');

  // No file: the error summary leads to the field.
  await clickAndWait(page.getByRole('button', { name: 'Ladda upp och välj kolumner' }), 'upload without a file');
  await visible(errorSummary(), 'the error summary');
  await visible(page.getByRole('link', { name: 'Välj en fil att ladda upp.' }), 'the error in the summary');
  await axe(t, 'upload form with an error');
});

step('a messy workbook: the columns are guessed from the Swedish headers', async (t) => {
  state.messy = await writeWorkbook('deltagare.xlsx', true);
  await upload(state.messy, t, 'messy workbook');
  // Two sheets: the first, its kind and columns guessed.
  assert.equal(await page.getByLabel('Blad', { exact: true }).inputValue(), '0');
  assert.equal(await page.getByLabel('Filen innehåller', { exact: true }).inputValue(), 'participants');
  const expected = ['identity_number', 'given_name', 'family_name', 'gender', 'project', 'enrolled_on', 'born_abroad'];
  for (const [i, header] of HEADERS.entries()) {
    const letter = String.fromCharCode(65 + i);
    assert.equal(await columnSelect(letter, header).inputValue(), expected[i], `column ${letter} (${header})`);
  }
  // The first values of each column, as written (the date as text).
  await visible(page.getByRole('cell', { name: /3\/2 2025/ }), 'the first values of the date column');
});

step('the dry run names each problem at its row and column', async (t) => {
  await checkFile(t, 'messy workbook');
  const problems = await problemRows();
  state.problems = problems;
  const at = (row, column) => problems.find((p) => p[0] === String(row) && p[1] === column);
  const bo = at(3, 'Personnummer');
  assert.ok(bo, `the wrong check digit at row 3, Personnummer: ${JSON.stringify(problems)}`);
  assert.equal(bo[2], '920315-2345');
  const dan = at(5, 'Projekt');
  assert.ok(dan, `the unknown project at row 5, Projekt: ${JSON.stringify(problems)}`);
  assert.equal(dan[2], 'Projektet som inte finns');
  const duplicate = at(6, 'Personnummer');
  assert.ok(duplicate, `the duplicate of row 2 at row 6: ${JSON.stringify(problems)}`);
  assert.match(duplicate[3], /rad 2/, 'the duplicate names the row it repeats');
  // `3/2 2025` is a Swedish date, the empty line is skipped, the formula is text: no problems.
  for (const row of ['2', '4', '7', '8']) {
    assert.ok(!problems.some((p) => p[0] === row), `no problem at row ${row}: ${JSON.stringify(problems)}`);
  }
  // Every message in plain Swedish, none empty.
  for (const p of problems) assert.ok(p[3].length > 5, `a message for ${JSON.stringify(p)}`);
  await visible(page.getByText('Ingenting importeras förrän alla fel är rättade'), 'why nothing is imported yet');
  await visible(page.getByRole('button', { name: 'Importera bara raderna utan fel' }), 'the good-rows button');
});

step('importing the whole file while it has problems imports nothing', async (t) => {
  await clickAndWait(page.getByRole('button', { name: 'Importera', exact: true }), 'button "Importera"');
  assert.equal(await h1Text(), 'Ingenting importerades');
  await axe(t, 'refused import');
  await clickAndWait(page.getByRole('link', { name: 'Ladda upp en rättad fil' }), 'link to upload a corrected file');
  assertPath('/import', 'back to the upload');
});

step('the corrected file imports', async (t) => {
  state.fixed = await writeWorkbook('deltagare-rattad.xlsx', false);
  await upload(state.fixed, t, 'corrected workbook');
  await checkFile(t, 'corrected workbook');
  await visible(page.getByText('Inga fel hittades.'), 'no problems');
  assert.equal(await summaryNumber('Nya deltagare'), 5);
  await clickAndWait(page.getByRole('button', { name: 'Importera', exact: true }), 'button "Importera"');
  assert.equal(await h1Text(), 'Importen är klar');
  assert.equal(await summaryNumber('Nya deltagare'), 5);
  assert.equal(await summaryNumber('Nya inskrivningar'), 5);
  await axe(t, 'import done');
});

step('the formula was imported as its text, and `3/2 2025` as 3 February', async () => {
  await page.goto('/participants');
  const search = page.getByRole('searchbox').or(page.getByLabel(/Sök/)).first();
  await search.fill('Eva');
  await clickAndWait(page.getByRole('button', { name: 'Sök', exact: true }), 'search');
  const eva = page.getByRole('link', { name: /Eva/ }).filter({ hasText: '=CONCATENATE' });
  await visible(eva, 'Eva, whose family name is the formula\'s text');
  await page.goto('/participants');
  await search.fill('Cilla');
  await clickAndWait(page.getByRole('button', { name: 'Sök', exact: true }), 'search');
  await clickAndWait(page.getByRole('link', { name: /Cilla/ }).first(), 'Cilla');
  await visible(page.getByText('2025-02-03'), 'the enrolment date 3/2 2025 read as 2025-02-03');
});

step('the same file again adds nothing, and says so', async (t) => {
  await upload(state.fixed, t, 'the same workbook again');
  await checkFile(t, 'the same workbook again');
  await visible(page.getByText('en import lägger inte till något'), 'nothing to add');
  assert.equal(await summaryNumber('Nya deltagare'), 0);
  await clickAndWait(page.getByRole('button', { name: 'Importera', exact: true }), 'button "Importera"');
  assert.equal(await h1Text(), 'Importen är klar');
  await visible(page.getByText('ingenting nytt lades till'), 'the summary says nothing new was added');
  assert.equal(await summaryNumber('Nya deltagare'), 0);
  assert.equal(await summaryNumber('Nya inskrivningar'), 0);
  await axe(t, 'import again');
});

step('attendance in the messy workbook: `1 234,5` hours is named at its row and column', async (t) => {
  await upload(state.messy, t, 'messy workbook, attendance');
  await page.getByLabel('Blad', { exact: true }).selectOption({ label: 'Närvaro' });
  await clickAndWait(page.getByRole('button', { name: 'Byt blad eller innehåll' }), 'the sheet chooser');
  assert.equal(await page.getByLabel('Filen innehåller', { exact: true }).inputValue(), 'attendance', 'the kind guessed from the sheet');
  assert.equal(await columnSelect('D', 'Månad').inputValue(), 'month');
  assert.equal(await columnSelect('E', 'Timmar').inputValue(), 'hours');
  await axe(t, 'mapping (attendance)');
  await checkFile(t, 'messy attendance');
  const problems = await problemRows();
  assert.equal(problems.length, 1, `one problem: ${JSON.stringify(problems)}`);
  const [row, column, value, message] = problems[0];
  assert.equal(row, '2');
  assert.equal(column, 'Timmar');
  assert.equal(value, '1 234,5');
  assert.match(message, /högst 744 timmar/, 'read as 1 234,5 hours, more than March has');
});

step('the corrected attendance imports, and again adds nothing', async (t) => {
  await upload(state.fixed, t, 'corrected workbook, attendance');
  await page.getByLabel('Blad', { exact: true }).selectOption({ label: 'Närvaro' });
  await clickAndWait(page.getByRole('button', { name: 'Byt blad eller innehåll' }), 'the sheet chooser');
  await checkFile(t, 'corrected attendance');
  await visible(page.getByText('Inga fel hittades.'), 'no problems');
  assert.equal(await summaryNumber('Nya närvaroposter'), 2);
  await clickAndWait(page.getByRole('button', { name: 'Importera', exact: true }), 'button "Importera"');
  assert.equal(await h1Text(), 'Importen är klar');
  assert.equal(await summaryNumber('Nya närvaroposter'), 2);
  await clickAndWait(page.getByRole('link', { name: 'Importera bladet Deltagare' }), 'back to the other sheet');
  await page.getByLabel('Blad', { exact: true }).selectOption({ label: 'Närvaro' });
  await clickAndWait(page.getByRole('button', { name: 'Byt blad eller innehåll' }), 'the sheet chooser');
  await checkFile(t, 'attendance again');
  assert.equal(await summaryNumber('Nya närvaroposter'), 0);
  await clickAndWait(page.getByRole('button', { name: 'Importera', exact: true }), 'button "Importera"');
  await visible(page.getByText('ingenting nytt lades till'), 'nothing new');
  await axe(t, 'attendance imported again');
});

axeVerdict();
