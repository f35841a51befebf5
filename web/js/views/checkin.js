// The daily check-in and quick log. Once a week (or when the programme is paused) it asks the
// danger-sign questions again; a positive answer shows the emergency card and pauses the plan.
import { get, post } from '../api.js';
import { h, pageShow, errorBox, id } from '../ui.js';
import { bodyMap } from '../bodymap.js';
import { triageCard } from './result.js';

function scale(name, legend, required) {
  const group = h('fieldset', { class: 'scale-field' }, h('legend', {}, legend),
    h('div', { class: 'scale' }, Array.from({ length: 11 }, (_, n) => {
      const inputId = `${name}-${n}`;
      return h('span', { class: 'scale-option' },
        h('input', { type: 'radio', name, id: inputId, value: n, required }),
        h('label', { for: inputId }, String(n)));
    })));
  return { element: group, value: () => { const c = group.querySelector('input:checked'); return c ? Number(c.value) : null; } };
}

function numberField(labelText, attrs) {
  const inputId = id('num');
  const input = h('input', { id: inputId, type: 'number', inputmode: 'decimal', ...attrs });
  return { element: h('div', { class: 'field' }, h('label', { for: inputId }, labelText), input),
    value: () => (input.value.trim() === '' ? null : Number(input.value)) };
}

function yesNo(name, legend, withUnsure) {
  const options = [['yes', 'Yes'], ['no', 'No']];
  if (withUnsure) options.push(['unknown', 'Not sure']);
  const group = h('fieldset', { class: 'inline-choices', 'data-question': name }, h('legend', {}, legend),
    options.map(([value, text]) => {
      const inputId = `${name}-${value}`;
      return h('span', {}, h('input', { type: 'radio', name, id: inputId, value }), h('label', { for: inputId }, text));
    }));
  return { element: group, value: () => { const c = group.querySelector('input:checked'); return c ? c.value : null; } };
}

function dangerQuestion(q) {
  if (q.type === 'yes_no') {
    const field = yesNo(`dq-${q.id}`, q.text, true);
    return { element: field.element, value: () => { const v = field.value(); return v === null ? undefined : (v === 'unknown' ? 'unknown' : v === 'yes'); } };
  }
  const multi = q.type === 'multi_choice';
  const group = h('fieldset', { class: 'choices', 'data-question': q.id }, h('legend', {}, q.text),
    q.choices.map((c) => {
      const inputId = `dq-${q.id}-${c.id}`;
      return h('div', { class: 'choice' }, h('input', { type: multi ? 'checkbox' : 'radio', name: `dq-${q.id}`, id: inputId, value: c.id }),
        h('label', { for: inputId }, c.text));
    }));
  return { element: group, value: () => {
    const values = [...group.querySelectorAll('input:checked')].map((i) => i.value);
    if (values.length === 0) return undefined;
    return multi ? values : values[0];
  } };
}

export async function render() {
  const show = pageShow();
  let info;
  let regions = [];
  try {
    info = await get('/api/v1/checkins/danger-questions');
    const all = await get('/api/v1/questions');
    const map = all.questions.find((q) => q.type === 'body_location');
    regions = map ? map.choices : [];
  } catch (error) {
    show(h('h1', {}, 'Check-in'), errorBox(error));
    return;
  }
  const weekly = info.due || info.paused;
  const painNow = scale('pain_now', 'How much does it hurt right now? (0 = no pain, 10 = worst imaginable)', true);
  const painWorst = scale('pain_worst', 'Worst pain in the last 24 hours (optional)', false);
  const map = bodyMap(regions, []);
  const slept = yesNo('slept', 'Did you sleep on the painful side last night? (optional)', false);
  const sitting = numberField('Hours spent sitting today (optional)', { min: 0, max: 24, step: 0.5 });
  const running = numberField('Running today, km (optional)', { min: 0, max: 300, step: 0.1 });
  const cycling = numberField('Cycling today, minutes (optional)', { min: 0, max: 1440, step: 1 });
  const danger = weekly ? info.questions.map(dangerQuestion) : [];
  const changeId = id('change');
  const change = h('select', { id: changeId },
    [['', 'Choose…'], ['much_better', 'Much better'], ['better', 'Better'], ['same', 'About the same'], ['worse', 'Worse'], ['much_worse', 'Much worse']]
      .map(([v, t]) => h('option', { value: v }, t)));
  const resumeId = id('resume');
  const resume = h('input', { type: 'checkbox', id: resumeId });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const form = h('form', { class: 'checkin', novalidate: true },
    painNow.element, painWorst.element,
    h('details', { class: 'regions' }, h('summary', {}, 'Where does it hurt? (optional)'), map.element),
    slept.element, sitting.element, running.element, cycling.element,
    weekly ? h('section', { class: 'weekly' },
      h('h2', {}, 'Weekly safety questions'),
      h('p', {}, 'These check for signs that need a doctor. Answer what you can; "Not sure" is fine.'),
      danger.map((d) => d.element),
      h('div', { class: 'field' }, h('label', { for: changeId }, 'Compared with a week ago, your pain is'), change),
      info.paused ? h('div', { class: 'choice' }, resume, h('label', { for: resumeId }, 'A doctor or physiotherapist has said it is safe to start the exercises again')) : null) : null,
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Save check-in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const pain = painNow.value();
    if (pain === null) {
      error.textContent = 'Please choose how much it hurts right now, from 0 to 10.';
      return;
    }
    const body = { pain_now: pain };
    const worst = painWorst.value();
    if (worst !== null) body.pain_worst = worst;
    const chosen = map.value();
    if (chosen.length) body.regions = chosen.map((region) => ({ region, side: '', pain }));
    const s = slept.value();
    if (s) body.slept_on_painful_side = s === 'yes';
    for (const [key, field] of [['sitting_hours', sitting], ['running_km', running], ['cycling_minutes', cycling]]) {
      const v = field.value();
      if (v !== null) body[key] = key === 'cycling_minutes' ? Math.round(v) : v;
    }
    if (weekly) {
      const answers = {};
      info.questions.forEach((q, i) => {
        const v = danger[i].value();
        if (v !== undefined) answers[q.id] = v;
      });
      body.danger_answers = answers;
      if (change.value) body.change = change.value;
      if (info.paused && resume.checked) body.resume = true;
    }
    try {
      const saved = await post('/api/v1/checkins', body);
      done(saved, show);
    } catch (e) {
      error.textContent = e.message;
    }
  });
  show(h('h1', {}, 'Check-in'),
    info.paused ? h('p', { class: 'notice' }, `Your programme is paused: ${info.pause_message}`) : null,
    form,
    h('p', { class: 'muted' }, 'You can check in as often as you like; each entry is kept with its time.'));
}

function done(saved, show) {
  const flags = saved.red_flags || [];
  const updates = saved.updates || { escalations: [], changes: [] };
  if (flags.length) {
    const worst = flags.some((f) => f.level === 'emergency') ? 'emergency' : 'urgent';
    show(triageCard({
      level: worst,
      title: worst === 'emergency' ? 'Get help now' : 'See a doctor soon',
      action: flags[0].action,
      red_flags: flags,
    }), h('p', {}, 'Your exercise programme is paused until a doctor has checked you.'));
    return;
  }
  show(h('h1', {}, 'Check-in saved'),
    h('p', {}, saved.resumed ? 'No danger signs. Your programme is running again: take it gently at first.' : 'Thank you.'),
    updates.escalations.map((e) => h('div', { class: `triage triage-${e.level}`, role: 'alert' }, h('h2', {}, e.title), h('p', {}, e.message))),
    updates.changes.length ? h('section', {}, h('h2', {}, 'Your programme has changed'), h('ul', {}, updates.changes.map((c) => h('li', {}, c.reason)))) : null,
    h('p', { class: 'actions' }, h('a', { class: 'button primary', href: '#/progress' }, 'See your progress'), h('a', { class: 'button', href: '#/programme' }, 'Your programme')));
}
