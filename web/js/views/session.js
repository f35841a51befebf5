// A guided session: today's exercises one by one, per-side hold timers with a get-ready count,
// a beep and a switch-sides prompt, rest between sets; each exercise is logged as it is done.
import { get, post, put } from '../lib/api.js';
import { h, errorBox, announce, id } from '../lib/components.js';
import { figure } from '../lib/figures.js';
import { Countdown, beep } from '../lib/timer.js';
import { doseText, sideOrder, formatSeconds } from '../lib/format.js';

let active = null;  // the running countdown, stopped when the person leaves the page

function painScale(labelText) {
  const name = id('pain');
  const group = h('fieldset', { class: 'scale-field' }, h('legend', {}, labelText),
    h('div', { class: 'scale' }, Array.from({ length: 11 }, (_, n) => {
      const inputId = `${name}-${n}`;
      return h('span', { class: 'scale-option' },
        h('input', { type: 'radio', name, id: inputId, value: n, required: true }),
        h('label', { for: inputId }, String(n)));
    })));
  return { element: group, value: () => { const c = group.querySelector('input:checked'); return c ? Number(c.value) : null; } };
}

async function countdown(seconds, display, label) {
  const t = new Countdown(seconds, (left) => { display.textContent = formatSeconds(left); });
  active = t;
  display.dataset.phase = label;
  await t.start();
  active = null;
}

export async function render(nav) {
  nav.onLeave(() => {
    if (active) active.stop();
  });
  let p;
  try {
    p = await get('/api/v1/programme');
  } catch (error) {
    nav.show(h('h1', {}, 'Today\'s session'), errorBox(error), h('p', {}, h('a', { href: '#/programme' }, 'Back to your programme')));
    return;
  }
  if (p.paused) {
    nav.show(h('h1', {}, 'Your programme is paused'), h('p', {}, p.pause_message));
    return;
  }
  const byId = new Map(p.items.map((i) => [i.exercise, i]));
  const items = p.days[0].exercises.map((e) => byId.get(e)).filter(Boolean);
  if (items.length === 0) {
    nav.show(h('h1', {}, 'Today is a rest day'), h('p', {}, 'Gentle stretches and an easy walk only. See you tomorrow.'));
    return;
  }
  let sessionId;
  let next = 0;
  if (p.open_session) {
    sessionId = p.open_session.id;
    next = Math.min(items.length - 1, Math.max(0, Number((p.open_session.state || {}).next) || 0));
  } else {
    sessionId = (await post('/api/v1/sessions', { state: { next: 0 } })).id;
  }
  const rules = p.rules;

  const runExercise = async (index) => {
    const item = items[index];
    const sides = sideOrder(item, p.painful_side);
    const display = h('p', { class: 'timer-display big', 'aria-live': 'off', id: 'timer' }, '0:00');
    const prompt = h('p', { class: 'prompt', role: 'status', id: 'prompt' });
    const controls = h('div', { class: 'actions' });
    const stopButton = h('button', { type: 'button', class: 'secondary', onclick: stopSession }, 'Stop for today');
    const shown = nav.show(
      h('p', { class: 'muted' }, `Exercise ${index + 1} of ${items.length}`),
      h('h1', {}, item.name),
      figure(item.exercise, { label: `Drawing: ${item.name}` }),
      h('p', { class: 'dose' }, doseText(item)),
      h('details', {}, h('summary', {}, 'How to do it'), h('ol', {}, item.instructions.map((s) => h('li', {}, s)))),
      prompt, display, controls, h('div', { class: 'actions' }, stopButton));
    // The person left while the session was being opened: no timers, beeps or announcements.
    if (!shown) throw new Error('stopped');
    const say = (text) => { prompt.textContent = text; announce(text); };
    const waitFor = (text, cls = 'primary') => new Promise((resolve) => {
      const b = h('button', { type: 'button', class: cls, onclick: () => { controls.replaceChildren(); resolve(); } }, text);
      controls.replaceChildren(b);
      b.focus();
    });
    for (let set = 1; set <= item.sets; set += 1) {
      for (let s = 0; s < sides.length; s += 1) {
        const side = sides[s];
        const sideText = side === 'both' ? '' : ` on your ${side} side`;
        if (item.hold_seconds > 0) {
          // Each rep is one hold: get ready, hold, beep.
          for (let rep = 1; rep <= item.reps_min; rep += 1) {
            say(`Set ${set}, hold ${rep} of ${item.reps_min}${sideText}: get ready`);
            await countdown(rep === 1 ? rules.get_ready_seconds : 2, display, 'ready');
            say(`Hold${sideText}`);
            beep(1);
            await countdown(item.hold_seconds, display, 'hold');
            beep(1);
          }
        } else {
          say(`Set ${set}${sideText}: do ${item.reps_min}–${item.reps_max} slow repetitions.`);
          await waitFor('Done');
        }
        if (s + 1 < sides.length) {
          beep(2);
          say(`Switch sides: now your ${sides[s + 1]} side.`);
          await waitFor(`Ready: ${sides[s + 1]} side`);
        }
      }
      if (set < item.sets) {
        say(`Rest before set ${set + 1}.`);
        const skip = h('button', { type: 'button', onclick: () => active && active.stop() }, 'Skip the rest');
        controls.replaceChildren(skip);
        try {
          await countdown(rules.rest_seconds, display, 'rest');
        } catch {
          // skipped
        }
        controls.replaceChildren();
        beep(1);
      }
    }
    say('Well done. How did it go?');
    await logExercise(item, sides, index);
  };

  const logExercise = (item, sides, index) => new Promise((resolve) => {
    const repsId = id('reps');
    const reps = h('input', { id: repsId, type: 'number', min: 0, max: 100, value: item.reps_max, inputmode: 'numeric' });
    const pain = painScale('Highest pain during it (0 = none, 10 = worst)');
    const error = h('p', { class: 'field-error', role: 'alert' });
    const form = h('form', { class: 'log-form' },
      h('label', { for: repsId }, `Repetitions on your weakest set${item.hold_seconds > 0 ? ' (holds)' : ''}`), reps,
      pain.element, error,
      h('button', { type: 'submit', class: 'primary' }, 'Save and continue'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const painValue = pain.value();
      if (painValue === null) {
        error.textContent = 'Please choose how much it hurt, from 0 to 10.';
        return;
      }
      try {
        for (const side of sides) {
          await post('/api/v1/logs', {
            exercise: item.exercise, side, sets: item.sets, reps: Math.max(0, Math.min(100, Number(reps.value) || 0)),
            hold_seconds: item.hold_seconds, pain: painValue, session_id: sessionId,
          });
        }
        await put(`/api/v1/sessions/${sessionId}`, { status: 'in_progress', state: { next: index + 1 } });
        resolve();
      } catch (e) {
        error.textContent = e.message;
      }
    });
    if (!nav.current) return;
    document.getElementById('main').append(form);
    reps.focus();
  });

  async function stopSession() {
    if (active) active.stop();
    await put(`/api/v1/sessions/${sessionId}`, { status: 'stopped', state: { next } });
    nav.show(h('h1', {}, 'Stopped for today'), h('p', {}, 'Everything you did is saved. You can carry on later today from where you stopped.'),
      h('p', {}, h('a', { class: 'button', href: '#/programme' }, 'Back to your programme')));
  }

  try {
    for (; next < items.length; next += 1) await runExercise(next);
  } catch (error) {
    if (error.message === 'stopped') return;
    nav.show(h('h1', {}, 'Today\'s session'), errorBox(error));
    return;
  }
  const done = await put(`/api/v1/sessions/${sessionId}`, { status: 'completed', state: { next: items.length } });
  const updates = done.updates || { escalations: [], changes: [] };
  const shown = nav.show(
    h('h1', {}, 'Session complete'),
    h('p', {}, 'Well done. Everything is saved.'),
    updates.escalations.map((e) => h('div', { class: `triage triage-${e.level}`, role: 'alert' }, h('h2', {}, e.title), h('p', {}, e.message))),
    updates.changes.length ? h('section', {}, h('h2', {}, 'Your programme has changed'), h('ul', {}, updates.changes.map((c) => h('li', {}, c.reason)))) : null,
    h('p', { class: 'actions' }, h('a', { class: 'button primary', href: '#/checkin' }, 'Do a check-in'), h('a', { class: 'button', href: '#/progress' }, 'See your progress')));
  if (shown) beep(3);
}
