// Shared harness of the browser tests: one Stegvis server (a fresh data directory, a free
// loopback port) and one headless Chromium page per test file, sequential steps that stop at the
// first failure (screenshot, HTML and server log to test-results/), and axe on every page visited.
//
// Environment:
//   STEGVIS_BIN      server binary (default: <repo>/target/debug/stegvis, or under CARGO_TARGET_DIR)
//   CHROMIUM_PATH    browser (default: /usr/bin/chromium)
//   E2E_KEEP_DATA=1  keep the server's data directory (its path is printed)

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
const RESULTS_ROOT = path.join(HERE, 'test-results');
let RESULTS_DIR = RESULTS_ROOT; // test-results/<file>/ once the file names itself

export const SERVER_BIN =
  process.env.STEGVIS_BIN ??
  path.join(path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR ?? 'target'), 'debug', 'stegvis');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const HEALTH_TIMEOUT_MS = 120_000;
export const STEP_TIMEOUT_MS = 120_000;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const ERROR_SUMMARY_HEADING = 'Det finns fel i formuläret';
export const UUID_PATH = /^\/participants\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------
// Shared state (one server, one browser page for the whole flow)
// ---------------------------------------------------------------------------------------

export let server; // { child, output: string[], exited: null | {code, signal} }
let dataDir;
let userDataDir;
export let context;
export let page;
export let baseURL;
export const axeFindings = []; // { label, url, violations }
let setCookieHeaders = []; // raw Set-Cookie header values seen on responses (reset by steps)
let failedStep = null;
export const state = {}; // values passed between steps

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** Collapse all whitespace (including no-break spaces) to single spaces and trim. */
export const norm = (s) => (s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
/** Case- and diacritic-insensitive form for containment checks. */
export const fold = (s) => norm(s).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function serverLog(lines = 200) {
  const all = server ? server.output.join('') : '';
  const tail = all.split('\n').slice(-lines).join('\n');
  return tail.trim() ? tail : '(no output)';
}

async function startServer(command) {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(
      `server binary not found: ${SERVER_BIN}\n` +
        'Build it first (cargo build --workspace) or set STEGVIS_BIN.',
    );
  }
  const port = await freePort();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'stegvis-e2e-data-'));
  const args = command({ listen: `127.0.0.1:${port}`, dataDir });
  const child = spawn(SERVER_BIN, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { RUST_BACKTRACE: '1', ...process.env },
  });
  server = { child, output: [], exited: null, args };
  const keep = (chunk) => {
    server.output.push(chunk.toString('utf8'));
    if (server.output.length > 5000) server.output.splice(0, server.output.length - 5000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const spawnError = new Promise((_, reject) => child.once('error', reject));
  spawnError.catch(() => {});
  child.once('exit', (code, signal) => {
    server.exited = { code, signal };
  });

  const health = `http://127.0.0.1:${port}/healthz`;
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.exited) {
      throw new Error(
        `stegvis exited before it was healthy (code ${server.exited.code}, signal ${server.exited.signal})\n` +
          `command: ${SERVER_BIN} ${args.join(' ')}\n--- server output ---\n${serverLog()}`,
      );
    }
    try {
      const res = await Promise.race([fetch(health, { signal: AbortSignal.timeout(5_000) }), spawnError]);
      if (res.status === 200) return port;
      lastProblem = `GET /healthz answered ${res.status}`;
    } catch (err) {
      if (err?.code === 'ENOENT' || err?.code === 'EACCES') throw err;
      lastProblem = err?.cause?.code ?? err?.message ?? String(err);
    }
    await sleep(250);
  }
  throw new Error(
    `stegvis did not answer 200 on ${health} within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${lastProblem})\n` +
      `command: ${SERVER_BIN} ${args.join(' ')}\n--- server output ---\n${serverLog()}`,
  );
}

async function stopServer() {
  if (!server || server.exited) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!done) {
    server.child.kill('SIGKILL');
    await exited;
  }
}

process.on('exit', () => {
  if (server && !server.exited) server.child.kill('SIGKILL');
});

/** Wait until the locator matches a visible element; fail with `what` in the message. */
export async function visible(locator, what, timeout = 15_000) {
  try {
    await locator.filter({ visible: true }).first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`expected to see ${what} on ${page.url()}`);
  }
  return locator.filter({ visible: true }).first();
}

/** Click and wait for the resulting main-frame navigation (plain links and form submits). */
export async function clickAndWait(locator, what) {
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame(),
    timeout: 30_000,
  });
  await locator.click();
  try {
    await navigated;
  } catch {
    throw new Error(`clicking ${what} on ${page.url()} did not load a new page within 30 s`);
  }
  await page.waitForLoadState('load');
}

export function pathname() {
  return new URL(page.url()).pathname;
}

export function assertPath(expected, what) {
  const actual = pathname();
  const ok = expected instanceof RegExp ? expected.test(actual) : actual === expected;
  assert.ok(ok, `${what}: expected to be on ${expected}, but the page is ${page.url()}`);
}

export async function h1Text() {
  const h1 = page.getByRole('heading', { level: 1 });
  await visible(h1, 'a level-1 heading');
  const texts = (await h1.allTextContents()).map(norm);
  assert.equal(texts.length, 1, `expected exactly one <h1> on ${page.url()}, found: ${JSON.stringify(texts)}`);
  return texts[0];
}

export async function htmlLang() {
  return page.evaluate(() => document.documentElement.getAttribute('lang') ?? '');
}

/** The alert-role error summary with the standard heading. */
export function errorSummary() {
  return page
    .getByRole('alert')
    .filter({ has: page.getByRole('heading', { name: ERROR_SUMMARY_HEADING }) });
}

/** Nav with links "Projekt" and "Deltagare" and a "Logga ut" button (Swedish pages, logged in). */
export async function checkNav() {
  const nav = page.getByRole('navigation');
  await visible(nav.getByRole('link', { name: 'Projekt', exact: true }), 'nav link "Projekt"');
  await visible(nav.getByRole('link', { name: 'Deltagare', exact: true }), 'nav link "Deltagare"');
  await visible(page.getByRole('button', { name: 'Logga ut', exact: true }), 'button "Logga ut"');
}

/** Links (text, pathname) inside a locator, hrefs resolved against the page URL. */
export async function linksIn(locator) {
  const raw = await locator
    .getByRole('link')
    .evaluateAll((els) => els.map((a) => ({ text: a.textContent, href: a.getAttribute('href') })));
  return raw
    .filter((l) => l.href)
    .map((l) => ({ text: norm(l.text), path: new URL(l.href, page.url()).pathname, href: l.href }));
}

export async function participantLinks(table) {
  return (await linksIn(table)).filter((l) => UUID_PATH.test(l.path));
}

/** Run axe on the current page and remember its violations under `label`. */
export async function axe(t, label) {
  await page.waitForLoadState('load');
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  axeFindings.push({ label, url: page.url(), violations: results.violations });
  if (results.violations.length) {
    t.diagnostic(`axe: ${results.violations.length} violation(s) on "${label}" (listed by the last test)`);
  }
}

export function formatAxeFindings(findings) {
  const bad = findings.filter((f) => f.violations.length);
  const count = bad.reduce((n, f) => n + f.violations.length, 0);
  const lines = [`${count} accessibility violation(s) (axe, ${AXE_TAGS.join(', ')}) on ${bad.length} page(s):`];
  for (const f of bad) {
    lines.push('', `* ${f.label}  <${f.url}>`);
    for (const v of f.violations) {
      lines.push(`  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}  (${v.helpUrl})`);
      for (const node of v.nodes) {
        const target = node.target
          .map((sel) => (Array.isArray(sel) ? sel.join(' >>> ') : sel))
          .join(' | ');
        const why = norm((node.failureSummary ?? '').split('\n').slice(1).join(' ')).slice(0, 200);
        lines.push(`      ${target}${why ? `  -- ${why}` : ''}`);
      }
    }
  }
  return lines.join('\n');
}

async function saveFailureArtifacts(name) {
  try {
    await mkdir(RESULTS_DIR, { recursive: true });
    const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    if (page) {
      await page.screenshot({ path: path.join(RESULTS_DIR, `${slug}.png`), fullPage: true }).catch(() => {});
      const html = await page.content().catch(() => '');
      await writeFile(path.join(RESULTS_DIR, `${slug}.html`), `<!-- ${page.url()} -->\n${html}`);
    }
  } catch {
    // best effort only
  }
}

/**
 * One step of the sequential flow. Steps share the browser page; once a step fails the
 * later ones are skipped (they would only fail for the same reason).
 */
export function step(name, fn) {
  test(name, { timeout: STEP_TIMEOUT_MS }, async (t) => {
    if (failedStep) {
      t.skip(`skipped: step "${failedStep}" failed`);
      return;
    }
    try {
      await fn(t);
    } catch (err) {
      failedStep = name;
      await saveFailureArtifacts(name);
      if (page) err.message += `\n(page: ${page.url()}; artifacts in ${path.relative(REPO_ROOT, RESULTS_DIR)}/)`;
      throw err;
    }
  });
}

/** Today's date as YYYY-MM-DD (UTC: never later than the date in Sweden). */
export function today() {
  return new Date().toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Setup and teardown
// ---------------------------------------------------------------------------------------

/**
 * One server and one browser page for the whole file, whose failure artifacts go to
 * test-results/<name>/: `command` gives the server's arguments
 * from `{ listen, dataDir }` (a fresh data directory of its own).
 */
export function useServerAndBrowser(name, command) {
  RESULTS_DIR = path.join(RESULTS_ROOT, name);
  before(async () => {
    await rm(RESULTS_DIR, { recursive: true, force: true }); // no stale artifacts from earlier runs
    const port = await startServer(command);
    baseURL = `http://localhost:${port}`; // localhost: a secure context, so __Host- cookies work
    userDataDir = await mkdtemp(path.join(os.tmpdir(), 'stegvis-e2e-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      baseURL,
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(20_000);
    context.setDefaultNavigationTimeout(30_000);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('response', async (response) => {
      try {
        for (const h of await response.headersArray()) {
          if (h.name.toLowerCase() === 'set-cookie') setCookieHeaders.push(...h.value.split('\n'));
        }
      } catch {
        // the page may be gone
      }
    });
  }, { timeout: HEALTH_TIMEOUT_MS + 60_000 });

  after(async () => {
    if (failedStep && server) {
      await mkdir(RESULTS_DIR, { recursive: true }).catch(() => {});
      await writeFile(path.join(RESULTS_DIR, 'server.log'), server.output.join('')).catch(() => {});
    }
    await context?.close().catch(() => {});
    await stopServer();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (dataDir) {
      if (process.env.E2E_KEEP_DATA) console.log(`# server data kept in ${dataDir}`);
      else await rm(dataDir, { recursive: true, force: true });
    }
  });
}

/** The Set-Cookie header values seen since the last reset. */
export function seenSetCookies() {
  return setCookieHeaders;
}

export function resetSetCookies() {
  setCookieHeaders = [];
}

/** Everything the server has printed so far. */
export function serverOutput() {
  return server ? server.output.join('') : '';
}

/** The last test of a file: no axe findings on any page it visited. */
export function axeVerdict() {
  test('no accessibility violations on any visited page (axe)', () => {
    assert.ok(axeFindings.length > 0, 'axe did not run on any page');
    const bad = axeFindings.filter((f) => f.violations.length);
    if (bad.length) assert.fail(formatAxeFindings(axeFindings));
  });
}
