// Browser end-to-end tests of `hipcoach serve` with playwright-core and Debian's chromium:
//  1. personal mode: the interview (with "not sure", its plainer follow-ups with how to check
//     them, and "back"), the result (triage card, doubts, at most five causes in words, "Show
//     more"), the programme, a guided session with timers (?speed=), ice timer capped at its
//     limit, a check-in, progress, print views (PDF), and the 360 px layout;
//  2. a danger sign: the emergency card, what a doctor needs to rule out, and no programme; the
//     check-in's resume refused without a clinician (saying why), then allowed;
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
    const checks = {};
    const inspect = async (form, qid) => {
      const heading = form.getByRole('heading', { name: 'How to check' });
      checks[qid] = (await heading.count()) ? await form.locator('.check p').textContent() : null;
      if (qid === 'rf_fever_plain') await shot(page, '02b-how-to-check');
    };
    // "Not sure" about the list of body signs brings one plain question per sign; "not sure"
    // about the fever too leaves a doubt the result explains.
    const seen = await answerInterview(page, SELF_CARE, { notSure: ['rf_body_signs', 'rf_fever_plain'], back: true, inspect });
    assert.ok(seen.includes('pain_site'), 'the body map question was asked');
    assert.ok(seen.includes('painful_side'), 'the side question was asked');
    assert.equal(seen[seen.indexOf('rf_body_signs') + 1], 'rf_fever_plain', 'the plainer follow-up comes next');
    assert.ok(seen.includes('rf_leg_clot_plain'), 'one plain question per sign');
    const questions = await page.evaluate(() => fetch('/api/v1/questions').then((r) => r.json()));
    const fever = questions.questions.find((q) => q.id === 'rf_fever_plain');
    assert.ok(fever.check, 'rf_fever_plain says how to check');
    assert.equal(checks.rf_fever_plain, fever.check, 'the question shows "How to check"');
    assert.equal(checks.rf_body_signs, null, 'no "How to check" where there is nothing to check');
    await page.locator('.triage').waitFor();
  });

  await check('result: the triage card, the doubt with how to check, five causes in words, "Show more"', async () => {
    const level = await page.locator('.triage').getAttribute('data-level');
    assert.ok(['self_care', 'routine'].includes(level), `level ${level}`);
    const order = await page.locator('main > *').evaluateAll((els) => els.map((e) => e.className));
    assert.match(order[0], /triage/);
    const doubts = order.findIndex((c) => /doubts/.test(c));
    const causes = order.findIndex((c) => /causes/.test(c));
    assert.ok(doubts > 0 && causes > doubts, `sections in order: ${order.join(', ')}`);
    assert.equal(order.findIndex((c) => /rule-out/.test(c)), -1, 'nothing to rule out');
    // The stored result, as the page shows it.
    const list = await page.evaluate(() => fetch('/api/v1/assessments').then((r) => r.json()));
    const id = list.assessments[list.assessments.length - 1].id;
    const { result } = await page.evaluate((n) => fetch(`/api/v1/assessments/${n}`).then((r) => r.json()), id);
    assert.deepEqual(result.triage.doubts.map((d) => d.question), ['rf_fever_plain']);
    const doubt = page.locator('.doubts li[data-question="rf_fever_plain"]');
    assert.equal(await doubt.textContent(), result.triage.doubts[0].text);
    assert.ok(await page.getByRole('heading', { name: 'Where you were not sure' }).isVisible());
    // At most five likely causes, each with its chance in words and never a bare percentage.
    const shown = page.locator('section.causes > .cause');
    assert.ok(result.causes.length >= 1 && result.causes.length <= 5);
    assert.equal(await shown.count(), result.causes.length);
    for (let i = 0; i < result.causes.length; i += 1) {
      assert.equal(await shown.nth(i).getAttribute('data-cause'), result.causes[i].id);
      assert.match(await shown.nth(i).locator('.chance').textContent(), /^(About \d|Fewer than 1) in 10 people with answers like yours$/);
    }
    assert.doesNotMatch(await page.locator('section.causes').textContent(), /\d\s*%/);
    await page.locator('.cause details summary').first().click();
    assert.ok(await page.locator('.cause .evidence li').count() >= 1);
    // The less likely causes are behind "Show more".
    assert.ok(result.more_causes.length > 0, 'this person has less likely causes too');
    const more = page.getByRole('button', { name: `Show ${result.more_causes.length} more` });
    assert.equal(await more.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('.more-causes').isVisible(), false);
    await more.click();
    assert.equal(await page.getByRole('button', { name: 'Show fewer' }).getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('.more-causes > .cause').count(), result.more_causes.length);
    assert.ok(await page.locator('.more-causes > .cause').first().isVisible());
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

  await check('the hip model page says what the model computes: title, headline, muscles, limits', async () => {
    await page.goto(`${base}/#/model/glutes`);
    const lead = page.locator('.model-result p.lead');
    await lead.waitFor();
    const s = await page.evaluate(async () => (await fetch('/api/v1/model/summary?group=glutes&fraction=0.5')).json());
    const word = s.change_bw < 0 ? 'lower' : 'higher';
    const opposite = word === 'lower' ? 'higher' : 'lower';
    const title = await page.locator('main h1').innerText();
    assert.ok(title.includes(word) && !title.includes(opposite), title);
    const headline = await lead.innerText();
    assert.ok(headline.includes(`% ${word}`) && !headline.includes(opposite), headline);
    const text = await page.locator('main').innerText();
    assert.ok(text.includes(s.interpretation.working_harder[0].name), text);
    assert.ok(!/\b[a-z]+\d?_[rl]\b/.test(text), 'a raw model muscle id is shown');
    assert.ok(await page.locator('.model-limits li').count() >= 4);
    await shot(page, '09-model');
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

  await check('danger sign: the emergency card, what a doctor needs to rule out, and no programme', async () => {
    await page.goto(`${base}/#/interview?new=1`);
    await answerInterview(page, { ...SELF_CARE, rf_nerve_signs: ['bladder'] });
    const card = page.locator('.triage');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-level'), 'emergency');
    const order = await page.locator('main > *').evaluateAll((els) => els.map((e) => e.className));
    const ruleOut = order.findIndex((c) => /rule-out/.test(c));
    assert.ok(ruleOut > 0, `a rule-out block: ${order.join(', ')}`);
    const causes = order.findIndex((c) => /causes/.test(c));
    assert.ok(causes === -1 || causes > ruleOut, 'what to rule out comes before the likely causes');
    assert.ok(await page.getByRole('heading', { name: 'What a doctor needs to rule out, and why' }).isVisible());
    const ces = page.locator('.rule-out [data-cause="cauda_equina_syndrome"]');
    assert.equal(await ces.count(), 1);
    assert.match(await ces.textContent(), /Because of: .*cauda equina/i);
    assert.equal(await page.locator('section.causes [data-cause="cauda_equina_syndrome"]').count(), 0,
      'a cause to rule out is not listed again as a likely one');
    assert.ok(await page.getByRole('heading', { name: 'No exercise plan for now' }).isVisible());
    assert.equal(await page.getByRole('link', { name: 'See your programme' }).count(), 0);
    await shot(page, '11-emergency');
    await page.goto(`${base}/#/programme`);
    await page.locator('main h1').waitFor();
    assert.equal(await page.locator('.exercise-card').count(), 0);
  });

  await check('check-in while paused: resuming needs a plain no and a clinician, and says why not', async () => {
    const saveCheckin = async (clinician) => {
      // A new query string: a fresh page, not a hash change to the page already shown.
      await page.goto(`${base}/?seen=${clinician}#/checkin`);
      await page.locator('form.checkin').waitFor();
      assert.match(await page.locator('.notice').first().textContent(), /Your programme is paused/);
      await page.locator('label[for="pain_now-2"]').click();
      for (const box of await page.locator('form.checkin .weekly [data-question] input[value="no"], form.checkin .weekly [data-question] input[value="none"]').all()) {
        await box.check();
      }
      await page.getByLabel('Yes, start my exercise programme again if it is safe').check();
      const seen = page.getByRole('group', { name: /has a doctor or physiotherapist seen you/ });
      await seen.getByLabel(clinician ? 'Yes' : 'No', { exact: true }).check();
      await page.getByRole('button', { name: 'Save check-in' }).click();
      await page.getByRole('heading', { name: 'Check-in saved' }).waitFor();
    };
    await saveCheckin(false);
    const refused = page.locator('.not-resumed');
    await refused.waitFor();
    assert.match(await refused.textContent(), /Your programme stays paused\..*doctor or physiotherapist/);
    await shot(page, '11b-resume-refused');
    await saveCheckin(true);
    await page.getByText('Your programme is running again').waitFor();
    assert.equal(await page.locator('.not-resumed').count(), 0);
    const checkins = await page.evaluate(() => fetch('/api/v1/checkins').then((r) => r.json()));
    assert.equal(checkins.checkins.length, 3, 'the refused check-in was kept');
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
