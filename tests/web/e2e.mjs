// Browser end-to-end tests of `hipcoach serve` with playwright-core and Debian's chromium:
//  1. personal mode: the interview (with "not sure" and "back"), the result, the programme, a
//     guided session with timers (?speed=), ice timer capped at its limit, a check-in, progress,
//     print views (PDF), and the 360 px layout;
//  2. a danger sign: the emergency card and no programme;
//  3. multi-user: person B cannot reach person A's data through the UI or the API; a clinician
//     sees A's programme by code, changes it with a reason A can see, and loses access on revoke.
// Usage: node tests/web/e2e.mjs HIPCOACH_BINARY ARTEFACT_DIR
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, browser, answerInterview, SELF_CARE } from './lib.mjs';

const [binary, artefacts] = process.argv.slice(2);
const results = [];
const servers = [];
const contexts = [];

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n     ${String(error.stack || error).split('\n').slice(0, 6).join('\n     ')}`);
    // What each open page showed when it failed, to tell a slow machine from a wrong page.
    let n = 0;
    for (const ctx of contexts) {
      for (const page of ctx.pages()) {
        n += 1;
        const text = await page.evaluate(() => document.body.innerText).catch(() => '(no page)');
        console.log(`     page ${n} at ${page.url()}: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
        const recent = await page.evaluate(() => performance.getEntriesByType('resource').slice(-6)
          .map((e) => `${e.name.replace(location.origin, '')} ${Math.round(e.duration)} ms`).join(', '))
          .catch(() => '');
        if (recent) console.log(`     page ${n} last requests: ${recent}`);
        await page.screenshot({ path: join(artefacts, `FAIL-${results.length}-${n}.png`) }).catch(() => {});
      }
    }
    for (const server of servers) {
      if (server.output) console.log(`     server output: ${server.output().slice(-500)}`);
    }
  }
}

async function shot(page, name) {
  await page.screenshot({ path: join(artefacts, `${name}.png`), fullPage: true });
}

function watchErrors(page, errors) {
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // Nothing may leave the machine: every request goes to the loopback server.
  page.on('request', (r) => {
    const url = r.url();
    if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      errors.push(`external request: ${url}`);
    }
  });
}

async function runSession(page) {
  // Drive the guided session until it is complete: Done / Ready / Skip the rest / log form.
  const deadline = Date.now() + 180000;
  let logged = 0;
  let switched = 0;
  while (Date.now() < deadline) {
    if (await page.getByRole('heading', { name: 'Session complete' }).isVisible()) return { logged, switched };
    const form = page.locator('form.log-form');
    if (await form.isVisible()) {
      await form.locator('label', { hasText: /^2$/ }).click();
      await form.getByRole('button', { name: 'Save and continue' }).click();
      await form.waitFor({ state: 'detached', timeout: 10000 });
      logged += 1;
      continue;
    }
    const ready = page.getByRole('button', { name: /^Ready: / });
    if (await ready.isVisible()) {
      assert.match(await page.locator('#prompt').textContent(), /Switch sides/);
      switched += 1;
      await ready.click();
      continue;
    }
    for (const name of ['Done', 'Skip the rest']) {
      const b = page.getByRole('button', { name, exact: true });
      if (await b.isVisible()) {
        await b.click().catch(() => {});
      }
    }
    await page.waitForTimeout(100);
  }
  throw new Error('the session did not complete in time');
}

async function main() {
  // ---------------------------------------------------------------- personal mode
  const personal = await startServer(binary);
  servers.push(personal);
  const ctx = await browser(chromium);
  contexts.push(ctx);
  const page = await ctx.newPage();
  const errors = [];
  watchErrors(page, errors);
  const base = personal.url;

  await check('first page loads offline, under 300 KB, and says "not a diagnosis" once', async () => {
    let bytes = 0;
    page.on('response', async (r) => {
      const length = Number((await r.allHeaders())['content-length'] || 0);
      bytes += length;
    });
    await page.goto(`${base}/?speed=50#/`);
    await page.getByRole('heading', { name: /Hip and buttock pain/ }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.ok(bytes > 0 && bytes < 300 * 1024, `first page transferred ${bytes} bytes`);
    assert.equal(await page.getByText('Self-care guidance, not a diagnosis.').count(), 1);
    writeFileSync(join(artefacts, 'first-page-bytes.txt'), `${bytes}\n`);
    await shot(page, '01-home');
  });

  await check('interview: one question per screen, "not sure", back, body map, to the result', async () => {
    await page.getByRole('link', { name: /Start: answer/ }).click();
    const first = page.locator('form.question');
    await first.waitFor();
    assert.equal(await page.locator('form.question').count(), 1);
    assert.ok(await page.getByRole('button', { name: 'Not sure' }).isVisible());
    const help = page.locator('details.help summary');
    if (await help.count()) await help.click();
    await shot(page, '02-question');
    const seen = await answerInterview(page, SELF_CARE, { notSure: ['rf_fever'], back: true });
    assert.ok(seen.includes('pain_site'), 'the body map question was asked');
    assert.ok(seen.includes('painful_side'), 'the side question was asked');
    await page.locator('.triage').waitFor();
  });

  await check('result: the triage card first, causes with "why we think so"', async () => {
    const level = await page.locator('.triage').getAttribute('data-level');
    assert.ok(['self_care', 'routine'].includes(level), `level ${level}`);
    const firstSection = await page.locator('main > *').first().getAttribute('class');
    assert.match(firstSection, /triage/);
    assert.ok(await page.locator('.cause').count() >= 1);
    await page.locator('.cause details summary').first().click();
    assert.ok(await page.locator('.cause .evidence li').count() >= 1);
    assert.ok(await page.getByRole('link', { name: 'See your programme' }).isVisible());
    await shot(page, '03-result');
  });

  let items = 0;
  await check('programme: a week, exercise cards with drawings, dose and why', async () => {
    await page.getByRole('link', { name: 'See your programme' }).click();
    await page.locator('.exercise-card').first().waitFor();
    items = await page.locator('.exercise-card').count();
    assert.ok(items >= 2, `${items} exercises`);
    assert.equal(await page.locator('.week > li').count(), 7);
    assert.equal(await page.locator('.exercise-card svg.figure').count(), items);
    assert.ok(await page.locator('.exercise-card .why').count() === items);
    await shot(page, '04-programme');
  });

  await check('ice timer is capped at its limit and ends with a beep', async () => {
    await page.goto(`${base}/?speed=1000#/programme`);
    const ice = page.locator('[data-care="ice"]');
    await ice.waitFor();
    const input = ice.locator('input[type=number]');
    const max = Number(await input.getAttribute('max'));
    assert.ok(max > 0 && max <= 20, `ice max ${max}`);
    await input.fill('90');
    await ice.getByRole('button', { name: /Start/ }).click();
    assert.equal(Number(await input.inputValue()), max);
    await ice.getByText(/Time is up/).waitFor({ timeout: 15000 });
    assert.ok(Number(await page.evaluate(() => document.body.dataset.beeps)) >= 2);
  });

  await check('guided session: per-side timers, beeps, switch sides, logged, complete', async () => {
    await page.goto(`${base}/?speed=50#/session`);
    await page.locator('#timer').waitFor();
    await shot(page, '05-session');
    const { logged, switched } = await runSession(page);
    assert.ok(logged >= 1, 'each exercise is logged');
    assert.ok(switched >= 1, 'a switch-sides prompt for one-sided exercises');
    assert.ok(Number(await page.evaluate(() => document.body.dataset.beeps)) >= 3);
    await shot(page, '06-session-complete');
    const logs = await page.evaluate(() => fetch('/api/v1/logs').then((r) => r.json()));
    assert.ok(logs.logs.length >= logged);
  });

  await check('check-in: pain, body map, load; saved', async () => {
    await page.goto(`${base}/?speed=50#/checkin`);
    await page.locator('form.checkin').waitFor();
    await page.locator('label[for="pain_now-3"]').click();
    await page.getByLabel('Hours spent sitting today (optional)').fill('7');
    await page.getByLabel('Running today, km (optional)').fill('2.5');
    for (const box of await page.locator('form.checkin [data-question] input[value="no"], form.checkin [data-question] input[value="none"]').all()) {
      await box.check();
    }
    await shot(page, '07-checkin');
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByRole('heading', { name: 'Check-in saved' }).waitFor();
  });

  await check('progress: pain, adherence and load charts', async () => {
    await page.goto(`${base}/#/progress`);
    await page.locator('svg.chart').first().waitFor();
    assert.equal(await page.locator('svg.chart').count(), 3);
    assert.ok(await page.locator('svg.chart .dot').count() >= 1, 'a pain point is drawn');
    // The check-in above said 3/10; today's session counts from tomorrow (days up to yesterday).
    assert.match(await page.locator('#progress-summary').textContent(), /now 3\.0\/10/);
    await shot(page, '08-progress');
  });

  await check('a page that loads late does not paint over the page the person moved to', async () => {
    // The progress data are held back until the person has gone on to Learn, then let go: the
    // progress view finishes last, and must not replace Learn (issue 12: the guard compared two
    // values that both followed the newest route).
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    let requested;
    const asked = new Promise((resolve) => { requested = resolve; });
    await page.route('**/api/v1/progress', async (route) => {
      requested();
      await held;
      await route.continue();
    });
    try {
      await page.goto(`${base}/#/`);
      await page.locator('main h1').waitFor();
      await page.evaluate(() => { window.location.hash = '#/progress'; });
      await asked;
      await page.evaluate(() => { window.location.hash = '#/learn'; });
      await page.getByRole('heading', { name: 'Learn', exact: true }).waitFor();
      const answered = page.waitForResponse('**/api/v1/progress');
      release();
      await answered;
      // Let the late view run to its end (its response read, its page built).
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
      assert.equal(await page.locator('main h1').first().textContent(), 'Learn');
      assert.match(page.url(), /#\/learn$/);
    } finally {
      await page.unroute('**/api/v1/progress');
    }
  });

  await check('print views: the programme and the physiotherapist report as PDF', async () => {
    await page.goto(`${base}/#/print/programme`);
    await page.locator('.print-page').waitFor();
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'navigation hidden in print');
    await shot(page, '09-print-programme');
    const pdf = await page.pdf({ path: join(artefacts, 'programme.pdf'), format: 'A4' });
    assert.ok(pdf.length > 5000);
    await page.emulateMedia({ media: 'screen' });
    const report = await ctx.newPage();
    await report.goto(`${base}/api/v1/report`);
    assert.ok(await report.locator('svg').count() >= 1);
    const reportPdf = await report.pdf({ path: join(artefacts, 'report.pdf'), format: 'A4' });
    assert.ok(reportPdf.length > 5000);
    await report.close();
  });

  await check('360 px wide: no sideways scrolling; keyboard reaches the body map', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const route of ['#/', '#/programme', '#/progress', '#/checkin']) {
      await page.goto(`${base}/${route}`);
      await page.locator('main h1').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${route} is ${width} px wide`);
    }
    await shot(page, '10-checkin-360');
    const region = page.locator('form.checkin .region').first();
    await page.locator('details.regions summary').click();
    await region.focus();
    await page.keyboard.press('Space');
    assert.equal(await region.getAttribute('aria-checked'), 'true');
    await page.setViewportSize({ width: 1000, height: 900 });
  });

  await check('danger sign: the emergency card and no programme', async () => {
    await page.goto(`${base}/#/interview?new=1`);
    await answerInterview(page, { ...SELF_CARE, rf_bladder_bowel: true });
    const card = page.locator('.triage');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-level'), 'emergency');
    assert.ok(await page.getByRole('heading', { name: 'No exercise plan for now' }).isVisible());
    assert.equal(await page.getByRole('link', { name: 'See your programme' }).count(), 0);
    await shot(page, '11-emergency');
    await page.goto(`${base}/#/programme`);
    await page.locator('main h1').waitFor();
    assert.equal(await page.locator('.exercise-card').count(), 0);
  });

  await check('no errors and no external requests in personal mode', async () => {
    assert.deepEqual(errors, []);
  });

  // ---------------------------------------------------------------- multi-user
  const multi = await startServer(binary, ['--multi-user']);
  servers.push(multi);
  const ctxA = await browser(chromium);
  const ctxB = await browser(chromium);
  const ctxC = await browser(chromium);
  contexts.push(ctxA, ctxB, ctxC);
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  const c = await ctxC.newPage();
  const multiErrors = [];
  for (const p of [a, b, c]) watchErrors(p, multiErrors);

  async function register(p, name, clinician = false) {
    await p.goto(`${multi.url}/#/account`);
    const form = p.locator('form[data-form="register"]');
    await form.getByLabel('Username').fill(name);
    await form.getByLabel(/Password/).fill('a long enough password');
    if (clinician) await form.getByLabel(/physiotherapist/).check();
    await form.getByRole('button', { name: 'Create account' }).click();
    await p.waitForURL(clinician ? /#\/clinician/ : /#\/$/);
  }

  let aliceAssessment = null;
  await check('multi-user: A signs up and gets a programme', async () => {
    await register(a, 'alice');
    await a.getByRole('link', { name: /Start: answer/ }).click();
    await answerInterview(a, SELF_CARE);
    await a.locator('.triage').waitFor();
    const list = await a.evaluate(() => fetch('/api/v1/assessments').then((r) => r.json()));
    assert.equal(list.assessments.length, 1);
    aliceAssessment = list.assessments[0].id;
    await a.goto(`${multi.url}/#/programme`);
    await a.locator('.exercise-card').first().waitFor();
  });

  await check('multi-user: B cannot reach A\'s data through the UI or the API', async () => {
    await register(b, 'bob');
    await b.goto(`${multi.url}/#/programme`);
    await b.getByText('There is no programme yet').waitFor();
    await b.goto(`${multi.url}/#/result`);
    await b.getByRole('heading', { name: 'No result yet' }).waitFor();
    const probe = await b.evaluate(async (id) => {
      const one = await fetch(`/api/v1/assessments/${id}`);
      const list = await fetch('/api/v1/assessments').then((r) => r.json());
      const exported = await fetch('/api/v1/export').then((r) => r.json());
      return { one: one.status, list: list.assessments.length, exported: exported.assessments.length };
    }, aliceAssessment);
    assert.deepEqual(probe, { one: 404, list: 0, exported: 0 });
    await shot(b, '12-multi-user-bob');
    // Signed out: nothing at all.
    const anonymous = await (await fetch(`${multi.url}/api/v1/assessments`)).json();
    assert.equal(anonymous.error.code, 'signed_out');
  });

  await check('clinician: sees A by code, changes the programme with a reason A sees, loses access on revoke', async () => {
    await register(c, 'physio', true);
    await a.goto(`${multi.url}/#/settings`);
    await a.getByRole('button', { name: 'Make a code for my physiotherapist' }).click();
    await a.locator('.code', { hasText: 'Code:' }).waitFor();
    const codeText = await a.locator('.code').textContent();
    const code = codeText.match(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/)[0];
    await c.goto(`${multi.url}/#/clinician`);
    await c.getByLabel('Code from your patient').fill(code);
    await c.getByRole('button', { name: 'Add' }).click();
    await c.locator('form.adjust').first().waitFor();
    const form = c.locator('form.adjust').first();
    const sets = Number(await form.getByLabel('Sets').inputValue());
    await form.getByLabel('Sets').fill(String(sets === 1 ? 2 : 1));
    await form.getByLabel(/Why/).fill('Less at first, after our appointment');
    await form.getByRole('button', { name: 'Change' }).click();
    await c.getByText(/Your physiotherapist \(physio\) changed/).first().waitFor();
    await shot(c, '13-clinician');
    await a.goto(`${multi.url}/#/programme`);
    await a.getByText(/Your physiotherapist \(physio\) changed .*Less at first/).waitFor();
    // B, with a clinician's URL, gets nothing.
    const bProbe = await b.evaluate(() => fetch('/api/v1/links/1/programme').then((r) => r.status));
    assert.equal(bProbe, 403);
    await a.goto(`${multi.url}/#/settings`);
    await a.getByRole('button', { name: 'Stop sharing with physio' }).click();
    await a.getByText(/stopped/).waitFor();
    const after = await c.evaluate(() => fetch('/api/v1/links').then((r) => r.json()));
    assert.equal(after.links.length, 0);
    const direct = await c.evaluate(() => fetch('/api/v1/links/1/programme').then((r) => r.status));
    assert.equal(direct, 404);
  });

  await check('no errors and no external requests in multi-user mode', async () => {
    // A 404 the test provoked on purpose shows up as a console error of the failed fetch.
    assert.deepEqual(multiErrors.filter((e) => !/status of 40[34]/.test(e)), []);
  });

  await check('SIGTERM stops the server cleanly', async () => {
    const stopped = await personal.stop();
    servers.splice(servers.indexOf(personal), 1);
    assert.equal(stopped.code, 0, stopped.output);
    assert.match(stopped.output, /Stopped\./);
  });
}

try {
  await main();
} finally {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  for (const s of servers) await s.stop().catch(() => {});
}
const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length} of ${results.length} checks passed; artefacts in ${artefacts}`);
process.exit(failed.length === 0 && results.length > 0 ? 0 : 1);
