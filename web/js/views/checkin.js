// The daily check-in and quick log. Once a week (or when the programme is paused) it asks the
// danger-sign questions again; a positive answer shows the emergency card and pauses the plan.
// A paused programme resumes only with a plain "no" to the danger-sign questions and, after an
// urgent or emergency pause, the person's word that a doctor or physiotherapist has seen them;
// a refused resume keeps the check-in and says why.
import { get, post } from '../lib/api.js';
import { h, errorBox, id } from '../lib/components.js';
import { bodyMap } from '../lib/bodymap.js';
import { triageCard } from '../lib/cards.js';

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

// How the person can check a sign now, under its question.
function howToCheck(group, q) {
  if (q.check) group.append(h('p', { class: 'check' }, h('strong', {}, 'How to check: '), q.check));
  return group;
}

function dangerQuestion(q) {
  if (q.type === 'yes_no') {
    const field = yesNo(`dq-${q.id}`, q.text, true);
    return { element: howToCheck(field.element, q), value: () => { const v = field.value(); return v === null ? undefined : (v === 'unknown' ? 'unknown' : v === 'yes'); } };
  }
  const multi = q.type === 'multi_choice';
  const group = h('fieldset', { class: 'choices', 'data-question': q.id }, h('legend', {}, q.text),
    q.choices.map((c) => {
      const inputId = `dq-${q.id}-${c.id}`;
      const box = h('input', { type: multi ? 'checkbox' : 'radio', name: `dq-${q.id}`, id: inputId, value: c.id });
      if (multi) {
        // "None of these" and the signs exclude each other, as in the interview.
        box.addEventListener('change', () => {
          if (!box.checked) return;
          group.querySelectorAll('input').forEach((other) => {
            if (other !== box && (c.id === 'none' || other.value === 'none')) other.checked = false;
          });
        });
      }
      return h('div', { class: 'choice' }, box, h('label', { for: inputId }, c.text));
    }));
  return { element: howToCheck(group, q), value: () => {
    const values = [...group.querySelectorAll('input:checked')].map((i) => i.value);
    if (values.length === 0) return undefined;
    return multi ? values : values[0];
  } };
}

export async function render(nav) {
  let info;
  let regions = [];
  try {
    info = await get('/api/v1/checkins/danger-questions');
    const all = await get('/api/v1/questions');
    const map = all.questions.find((q) => q.type === 'body_location');
    regions = map ? map.choices : [];
  } catch (error) {
    nav.show(h('h1', {}, 'Check-in'), errorBox(error));
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
  // Where it hurts is asked once, on the body map; the danger-sign questions are the rest.
  const dangerQuestions = weekly ? info.questions.filter((q) => q.type !== 'body_location') : [];
  const danger = dangerQuestions.map(dangerQuestion);
  const painSite = weekly ? info.questions.find((q) => q.type === 'body_location') : null;
  const changeId = id('change');
  const change = h('select', { id: changeId },
    [['', 'Choose…'], ['much_better', 'Much better'], ['better', 'Better'], ['same', 'About the same'], ['worse', 'Worse'], ['much_worse', 'Much worse']]
      .map(([v, t]) => h('option', { value: v }, t)));
  const resumeId = id('resume');
  const resume = h('input', { type: 'checkbox', id: resumeId });
  const needsClinician = info.paused;
  const seen = yesNo('clinician_seen', 'Since your programme was paused, has a doctor or physiotherapist seen you about this and said it is safe to exercise?', false);
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
      info.paused ? h('fieldset', { class: 'resume' }, h('legend', {}, 'Start your exercises again?'),
        h('div', { class: 'choice' }, resume, h('label', { for: resumeId }, 'Yes, start my exercise programme again if it is safe')),
        needsClinician ? seen.element : null,
        h('p', { class: 'muted' }, 'It starts again only when you answer "no" to each safety question above ("not sure" is not enough)'
          + (needsClinician ? ' and a doctor or physiotherapist has seen you.' : '.'))) : null) : null,
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
      dangerQuestions.forEach((q, i) => {
        const v = danger[i].value();
        if (v !== undefined) answers[q.id] = v;
      });
      if (painSite && chosen.length) answers[painSite.id] = chosen;
      body.danger_answers = answers;
      if (change.value) body.change = change.value;
      if (info.paused && resume.checked) {
        body.resume = true;
        if (needsClinician) body.clinician_seen = seen.value() === 'yes';
      }
    }
    try {
      const saved = await post('/api/v1/checkins', body);
      done(saved, nav);
    } catch (e) {
      error.textContent = e.message;
    }
  });
  nav.show(h('h1', {}, 'Check-in'),
    info.paused ? h('p', { class: 'notice' }, `Your programme is paused: ${info.pause_message}`) : null,
    form,
    h('p', { class: 'muted' }, 'You can check in as often as you like; each entry is kept with its time.'));
}

function done(saved, nav) {
  const flags = saved.red_flags || [];
  const updates = saved.updates || { escalations: [], changes: [] };
  if (flags.length) {
    const worst = flags.some((f) => f.level === 'emergency') ? 'emergency' : 'urgent';
    nav.show(triageCard({
      level: worst,
      title: worst === 'emergency' ? 'Get help now' : 'See a doctor soon',
      action: flags[0].action,
      red_flags: flags,
    }), h('p', {}, 'Your exercise programme is paused until a doctor has checked you.'));
    return;
  }
  nav.show(h('h1', {}, 'Check-in saved'),
    h('p', {}, saved.resumed ? 'No danger signs. Your programme is running again: take it gently at first.' : 'Thank you.'),
    saved.not_resumed ? h('p', { class: 'notice not-resumed', role: 'alert' }, h('strong', {}, 'Your programme stays paused. '), saved.not_resumed) : null,
    updates.escalations.map((e) => h('div', { class: `triage triage-${e.level}`, role: 'alert' }, h('h2', {}, e.title), h('p', {}, e.message))),
    updates.changes.length ? h('section', {}, h('h2', {}, 'Your programme has changed'), h('ul', {}, updates.changes.map((c) => h('li', {}, c.reason)))) : null,
    h('p', { class: 'actions' }, h('a', { class: 'button primary', href: '#/progress' }, 'See your progress'), h('a', { class: 'button', href: '#/programme' }, 'Your programme')));
}
