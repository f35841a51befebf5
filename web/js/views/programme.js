// The programme: this week, exercise cards with drawings, doses per side and why each is there;
// self-care timers (ice, heat) capped at their limits; print and calendar.
import { get } from '../lib/api.js';
import { h, errorBox, id, announce } from '../lib/components.js';
import { shortDate, formatSeconds } from '../lib/format.js';
import { Countdown, beep } from '../lib/timer.js';
import { exerciseCard } from '../lib/cards.js';

function selfCareTimer(care) {
  const minutesId = id('min');
  const display = h('p', { class: 'timer-display', 'aria-live': 'off' }, formatSeconds(care.max_minutes * 60));
  const status = h('p', { class: 'timer-status', role: 'status' });
  const input = h('input', { id: minutesId, type: 'number', min: 1, max: care.max_minutes, value: care.max_minutes, inputmode: 'numeric' });
  let timer = null;
  const startButton = h('button', { type: 'button', class: 'primary' }, `Start ${care.name.toLowerCase()} timer`);
  const stopButton = h('button', { type: 'button', hidden: true }, 'Stop');
  startButton.addEventListener('click', async () => {
    // Capped at the limit from the knowledge base, whatever is typed.
    const minutes = Math.max(1, Math.min(care.max_minutes, Math.round(Number(input.value) || care.max_minutes)));
    input.value = String(minutes);
    timer = new Countdown(minutes * 60, (left) => { display.textContent = formatSeconds(left); });
    startButton.hidden = true;
    stopButton.hidden = false;
    status.textContent = `${care.name} on for ${minutes} minutes.`;
    try {
      await timer.start();
      beep(2);
      status.textContent = `Time is up: take the ${care.name.toLowerCase()} off now.${care.min_gap_hours ? ` Wait at least ${care.min_gap_hours} hours before the next time.` : ''}`;
    } catch {
      status.textContent = 'Stopped.';
    }
    startButton.hidden = false;
    stopButton.hidden = true;
  });
  stopButton.addEventListener('click', () => timer && timer.stop());
  return h('article', { class: 'care-card', 'data-care': care.id },
    h('h3', {}, care.name),
    h('p', {}, care.why),
    h('details', {}, h('summary', {}, 'How'), h('ul', {}, care.instructions.map((i) => h('li', {}, i)))),
    h('div', { class: 'timer-row' },
      h('label', { for: minutesId }, `Minutes (at most ${care.max_minutes})`), input, startButton, stopButton),
    display, status);
}

export async function render(nav) {
  let p;
  try {
    p = await get('/api/v1/programme');
  } catch (error) {
    if (error.code === 'no_programme') {
      nav.show(h('h1', {}, 'Your programme'), h('p', {}, error.message),
        h('p', {}, h('a', { class: 'button primary', href: '#/interview?new=1' }, 'Answer the questions')));
      return;
    }
    nav.show(h('h1', {}, 'Your programme'), errorBox(error));
    return;
  }
  const updates = p.updates || {};
  const notes = [];
  for (const e of updates.escalations || []) notes.push(h('div', { class: `triage triage-${e.level}`, role: 'alert' }, h('h2', {}, e.title), h('p', {}, e.message)));
  for (const c of updates.changes || []) notes.push(h('p', { class: 'change' }, c.reason));
  if (p.paused) {
    nav.show(h('h1', {}, 'Your programme is paused'), notes,
      h('div', { class: 'triage triage-urgent' }, h('p', {}, p.pause_message)),
      h('p', {}, 'When a doctor or physiotherapist says it is safe, do a check-in: answer its safety questions ("not sure" is not enough to start again) and ask to start again. The programme starts again gently.'),
      h('p', {}, h('a', { class: 'button', href: '#/checkin' }, 'Check-in')));
    return;
  }
  const byId = new Map(p.items.map((i) => [i.exercise, i]));
  const today = p.days[0];
  const shown = nav.show(
    h('h1', {}, 'Your programme'),
    h('p', { class: 'lead' }, `Phase ${p.phase}: ${p.phase_name}. Week ${p.week_of_programme}.`),
    notes,
    p.danger_check_due ? h('p', { class: 'notice' }, 'Your weekly check-in is due. ', h('a', { href: '#/checkin' }, 'Do it now')) : null,
    h('div', { class: 'actions no-print' },
      today.rest_day ? h('p', {}, 'Today is a rest day: gentle stretches and an easy walk only.')
        : h('a', { class: 'button primary', href: '#/session' }, p.open_session ? 'Carry on with today\'s session' : 'Start today\'s session'),
      h('a', { class: 'button', href: '#/print/programme' }, 'Print this programme'),
      h('a', { class: 'button', href: '#/settings' }, 'Add to my calendar')),
    h('section', { 'aria-labelledby': 'week-title' },
      h('h2', { id: 'week-title' }, 'This week'),
      h('ol', { class: 'week' }, p.days.map((d) => h('li', { class: d.today ? 'day today' : 'day', 'aria-current': d.today ? 'date' : null },
        h('h3', {}, d.today ? `Today (${shortDate(d.date)})` : shortDate(d.date)),
        d.rest_day ? h('p', { class: 'muted' }, 'Rest day')
          : h('ul', {}, d.exercises.map((e) => h('li', {}, (byId.get(e) || { name: e }).name))))))),
    h('section', { 'aria-labelledby': 'ex-title' },
      h('h2', { id: 'ex-title' }, 'Your exercises'),
      h('p', {}, `Pain during the exercises: up to ${p.rules.pain_safe_max}/10 is fine; up to ${p.rules.pain_acceptable_max}/10 is acceptable if it has settled by the next morning. Stand up and move every ${p.rules.sitting_break_minutes} minutes when you sit.`),
      h('div', { class: 'cards' }, p.items.map((item) => exerciseCard(item, p.painful_side)))),
    p.self_care.length ? h('section', { 'aria-labelledby': 'care-title' },
      h('h2', { id: 'care-title' }, 'Also good for you'),
      h('div', { class: 'cards' }, p.self_care.map((care) => (care.max_minutes > 0 ? selfCareTimer(care)
        : h('article', { class: 'care-card', 'data-care': care.id }, h('h3', {}, care.name), h('p', {}, care.why)))))) : null,
    p.excluded.length ? h('section', {}, h('h2', {}, 'Left out for you'),
      h('p', {}, 'These exercises are not in your plan because they may not suit you now: ',
        p.excluded.map((e) => e.name).join(', '), '.')) : null,
    p.reason ? h('p', { class: 'muted' }, p.reason) : null,
  );
  if (shown) announce('Programme loaded');
}
