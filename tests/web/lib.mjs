// Shared helpers for the browser tests: start `hipcoach serve` on a free loopback port, launch
// Debian's chromium through playwright-core with a fresh profile, and answer the interview.
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.HIPCOACH_CHROMIUM || '/usr/bin/chromium';

// Temporary directories (databases, browser profiles) are removed when the test process ends,
// pass or fail.
const temporary = [];
function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

export async function startServer(binary, args = []) {
  const dir = tempDir('hc-e2e-db-');
  const child = spawn(binary, ['serve', '--port', '0', '--db', join(dir, 'hipcoach.db'), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  // Never leave a server behind, even when the test itself fails.
  process.on('exit', () => child.kill('SIGKILL'));
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const m = output.match(/running at (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return {
    url,
    dir,
    output: () => output,
    stop: () => new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', (code, signal) => resolve({ code, signal, output }));
      child.kill('SIGTERM');
    }),
  };
}

export async function browser(chromium, options = {}) {
  const profile = tempDir('hc-e2e-profile-');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport || { width: 1000, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

export function chromiumPresent() {
  return existsSync(CHROMIUM);
}

// Answers for a person whose pain should be safe to manage at home (a desk worker with sore
// glutes). Questions not listed get a generic safe answer.
export const SELF_CARE = {
  rf_onset: ['gradual'], rf_weight_bearing: 'normal', rf_weight_bearing_plain: 'fine',
  age: 35, sex: 'female', pain_site: ['buttock'], painful_side: 'right', pain_days: 30,
  pain_trend: 'same', pain_worst: 5, worse_with: ['sitting_long'],
  also_notice: ['glutes_off'], habits: ['sit_8h'], activities: ['desk_work'], equipment: ['none'],
  minutes_per_day: 20,
};

// Answers the interview in the UI until the result page. `answers` maps question id -> value;
// `notSure` lists the questions answered "Not sure"; `inspect(form, qid)` is called on each
// question before it is answered. Returns the list of questions answered.
export async function answerInterview(page, answers, { notSure = [], back = false, maxSteps = 60, inspect = null } = {}) {
  const seen = [];
  let wentBack = false;
  for (let stepNo = 0; stepNo < maxSteps; stepNo += 1) {
    const form = page.locator('form.question');
    await Promise.race([
      form.waitFor({ state: 'visible', timeout: 15000 }),
      page.waitForURL(/#\/result/, { timeout: 15000 }),
    ]);
    if (page.url().includes('#/result')) return seen;
    const qid = await form.getAttribute('data-question');
    seen.push(qid);
    if (inspect) await inspect(form, qid);
    if (notSure.includes(qid)) {
      await page.getByRole('button', { name: 'Not sure' }).click();
      await page.waitForFunction((id) => !document.querySelector(`form[data-question="${id}"]`), qid);
      continue;
    }
    if (back && !wentBack && seen.length === 3) {
      // Go back once and answer again: the interview must carry on from there.
      wentBack = true;
      await page.getByRole('button', { name: 'Back' }).click();
      await page.waitForFunction((id) => !document.querySelector(`form[data-question="${id}"]`), qid);
      seen.pop();
      continue;
    }
    await answerOne(page, form, qid, answers[qid]);
    await page.waitForFunction((id) => {
      const f = document.querySelector('form.question');
      return !f || f.dataset.question !== id || location.hash.includes('result');
    }, qid, { timeout: 15000 }).catch(() => {});
  }
  throw new Error(`the interview did not finish after ${maxSteps} steps: ${seen.join(', ')}`);
}

async function answerOne(page, form, qid, wanted) {
  const kind = await form.evaluate((f) => {
    if (f.querySelector('.bodymap')) return 'body';
    if (f.querySelector('input[type=checkbox]')) return 'multi';
    if (f.querySelector('input[type=number]')) return 'number';
    if (f.querySelector('.scale')) return 'scale';
    if (f.querySelector('[data-choice]')) return 'single';
    return 'yes_no';
  });
  if (kind === 'yes_no') {
    await form.getByRole('button', { name: wanted === true ? 'Yes' : 'No', exact: true }).click();
  } else if (kind === 'single') {
    const choice = wanted || await form.locator('[data-choice]').first().getAttribute('data-choice');
    await form.locator(`[data-choice="${choice}"]`).click();
  } else if (kind === 'scale') {
    await form.locator(`.scale [data-value="${wanted ?? 2}"]`).click();
  } else if (kind === 'number') {
    await form.locator('input[type=number]').fill(String(wanted ?? 30));
    await form.getByRole('button', { name: 'Next' }).click();
  } else if (kind === 'multi') {
    const values = wanted || ((await form.locator('input[value=none]').count()) ? ['none']
      : [await form.locator('input[type=checkbox]').first().getAttribute('value')]);
    for (const v of values) await form.locator(`input[value="${v}"]`).check();
    await form.getByRole('button', { name: 'Next' }).click();
  } else if (kind === 'body') {
    for (const region of wanted || ['buttock']) {
      // Click the region on the drawing (back view), as a person would.
      await form.locator(`.bodymap-views figure:nth-child(2) [data-region="${region}"] path`).first().click();
    }
    await form.getByRole('button', { name: 'Next' }).click();
  }
}
