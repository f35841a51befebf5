// The interview: one question per screen, the protocol of `hipcoach interview` (POST the answers
// so far, get the next question or the result). Answers are kept in sessionStorage until the
// result is saved, so a reload carries on.
import { get, post } from '../lib/api.js';
import { h, errorBox, id, announce } from '../lib/components.js';
import { bodyMap } from '../lib/bodymap.js';

const KEY = 'hipcoach.interview';
let questionsById = null;

function load() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY));
    if (saved && saved.answers && Array.isArray(saved.history)) return saved;
  } catch {
    // start afresh
  }
  return { answers: {}, history: [] };
}

function save(state) {
  sessionStorage.setItem(KEY, JSON.stringify(state));
}

export function clearInterview() {
  sessionStorage.removeItem(KEY);
}

async function questions() {
  if (!questionsById) {
    const list = await get('/api/v1/questions');
    questionsById = new Map(list.questions.map((q) => [q.id, q]));
  }
  return questionsById;
}

export async function render(nav) {
  if (nav.query.get('new') === '1') {
    clearInterview();
    history.replaceState(null, '', '#/interview');
  }
  // Each step paints through this navigation (nav.show), so a reply that comes back after the
  // person has left paints nothing.
  await step(nav, load());
}

async function step(nav, state, revisit) {
  let reply;
  try {
    if (revisit) {
      reply = { question: (await questions()).get(revisit), revisit: true };
    } else {
      reply = await post('/api/v1/interview', { answers: state.answers });
    }
  } catch (error) {
    nav.show(h('h1', {}, 'Your answers'), errorBox(error),
      h('button', { type: 'button', onclick: () => { clearInterview(); render(nav); } }, 'Start again'));
    return;
  }
  if (reply.result) {
    await finish(nav, state, reply.result);
    return;
  }
  renderQuestion(nav, state, reply.question, reply.question.progress);
}

async function finish(nav, state, result) {
  nav.show(h('h1', {}, 'Working out your result…'));
  try {
    const saved = await post('/api/v1/assessments', { answers: state.answers });
    sessionStorage.setItem('hipcoach.result', JSON.stringify({ ...saved.result, stop_reason: result.stop_reason, id: saved.id }));
  } catch (error) {
    // Show the result even if saving failed, and say so.
    sessionStorage.setItem('hipcoach.result', JSON.stringify({ ...result, save_error: error.message }));
  }
  clearInterview();
  if (nav.current) window.location.hash = '#/result';
}

function answerAndGo(nav, state, question, value) {
  state.answers[question.id] = value;
  if (state.history[state.history.length - 1] !== question.id) state.history.push(question.id);
  save(state);
  step(nav, state);
}

function goBack(nav, state, question) {
  // The question on screen may already be answered (when revisiting); go to the one before it.
  let index = state.history.lastIndexOf(question.id);
  if (index < 0) index = state.history.length;
  const previous = state.history[index - 1];
  if (!previous) return;
  state.history = state.history.slice(0, index);
  save(state);
  step(nav, state, previous);
}

function renderQuestion(nav, state, q, progress) {
  const current = state.answers[q.id];
  const headingId = id('q');
  const checkId = id('check');
  const form = h('form', { class: 'question', 'data-question': q.id, 'aria-labelledby': headingId, novalidate: true });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const fail = (text) => {
    error.textContent = text;
    error.hidden = false;
  };
  const notSure = h('button', { type: 'button', class: 'secondary not-sure', onclick: () => answerAndGo(nav, state, q, 'unknown') }, 'Not sure');
  let body;
  let submit = null;

  if (q.type === 'yes_no') {
    body = h('div', { class: 'big-choices' },
      h('button', { type: 'button', class: current === true ? 'choice-button selected' : 'choice-button', onclick: () => answerAndGo(nav, state, q, true) }, 'Yes'),
      h('button', { type: 'button', class: current === false ? 'choice-button selected' : 'choice-button', onclick: () => answerAndGo(nav, state, q, false) }, 'No'));
  } else if (q.type === 'single_choice' || q.type === 'side') {
    const choices = q.type === 'side' && q.choices.length === 0
      ? [{ id: 'left', text: 'Left' }, { id: 'right', text: 'Right' }, { id: 'both', text: 'Both' }]
      : q.choices;
    body = h('div', { class: q.type === 'side' ? 'big-choices side-choices' : 'big-choices stacked' },
      choices.map((c) => h('button', {
        type: 'button', class: current === c.id ? 'choice-button selected' : 'choice-button', 'data-choice': c.id,
        onclick: () => answerAndGo(nav, state, q, c.id),
      }, c.text)));
  } else if (q.type === 'number') {
    const inputId = id('n');
    const scale = q.min === 0 && q.max === 10 && q.integer;
    if (scale) {
      body = h('div', { class: 'scale', role: 'group', 'aria-label': '0 (none) to 10 (worst)' },
        Array.from({ length: 11 }, (_, n) => h('button', {
          type: 'button', class: current === n ? 'choice-button selected' : 'choice-button', 'data-value': n,
          onclick: () => answerAndGo(nav, state, q, n),
        }, String(n))),
        h('p', { class: 'scale-labels', 'aria-hidden': 'true' }, h('span', {}, 'no pain'), h('span', {}, 'worst imaginable')));
    } else {
      const input = h('input', {
        id: inputId, type: 'number', inputmode: q.integer ? 'numeric' : 'decimal', min: q.min, max: q.max,
        step: q.integer ? 1 : 'any', value: typeof current === 'number' ? String(current) : '', required: true,
      });
      body = h('div', { class: 'number-field' }, h('label', { for: inputId }, `Your answer${q.unit ? ` (${q.unit})` : ''}`), input);
      submit = () => {
        const value = Number(input.value);
        if (input.value.trim() === '' || !Number.isFinite(value)) return fail('Please type a number, or choose "Not sure".');
        if (value < q.min || value > q.max) return fail(`Please give a number from ${q.min} to ${q.max}.`);
        if (q.integer && !Number.isInteger(value)) return fail('Please give a whole number.');
        return answerAndGo(nav, state, q, value);
      };
    }
  } else if (q.type === 'multi_choice') {
    const chosen = new Set(Array.isArray(current) ? current : []);
    const fieldset = h('fieldset', { class: 'choices' }, h('legend', { class: 'visually-hidden' }, q.text));
    for (const c of q.choices) {
      const boxId = id('c');
      const box = h('input', { type: 'checkbox', id: boxId, value: c.id, checked: chosen.has(c.id) });
      box.addEventListener('change', () => {
        // "None of these" and the others exclude each other.
        if (box.checked && c.id === 'none') fieldset.querySelectorAll('input').forEach((b) => { if (b !== box) b.checked = false; });
        if (box.checked && c.id !== 'none') { const none = fieldset.querySelector('input[value="none"]'); if (none) none.checked = false; }
      });
      fieldset.append(h('div', { class: 'choice' }, box, h('label', { for: boxId }, c.text)));
    }
    body = fieldset;
    submit = () => {
      const values = [...fieldset.querySelectorAll('input:checked')].map((b) => b.value);
      if (values.length === 0) return fail('Tick at least one, or choose "Not sure".');
      return answerAndGo(nav, state, q, values);
    };
  } else if (q.type === 'body_location') {
    const map = bodyMap(q.choices, Array.isArray(current) ? current : []);
    body = map.element;
    submit = () => {
      const values = map.value();
      if (values.length === 0) return fail('Choose at least one area on the map or in the list, or choose "Not sure".');
      return answerAndGo(nav, state, q, values);
    };
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit) submit();
  });
  const asked = progress ? progress.asked : state.history.length;
  const total = progress ? progress.asked + progress.remaining_estimate + 1 : asked + 1;
  const canGoBack = state.history.length > 0 && state.history[0] !== q.id;
  form.append(
    h('div', { class: 'progress' },
      h('progress', { max: total, value: asked + 1, 'aria-label': 'Progress' }),
      h('span', {}, `Question ${asked + 1} of about ${total}`)),
    q.stage === 'red_flag' ? h('p', { class: 'stage' }, 'Safety questions first') : null,
    q.follows_up ? h('p', { class: 'follows-up' }, 'You were not sure, so here is one sign at a time.') : null,
    h('h1', { id: headingId }, q.text),
    q.check ? h('section', { class: 'check', 'aria-labelledby': checkId },
      h('h2', { id: checkId }, 'How to check'), h('p', {}, q.check)) : null,
    q.help ? h('details', { class: 'help' }, h('summary', {}, 'Help with this question'), h('p', {}, q.help)) : null,
    body,
    error,
    h('div', { class: 'actions' },
      submit ? h('button', { type: 'submit', class: 'primary' }, 'Next') : null,
      notSure,
      canGoBack ? h('button', { type: 'button', class: 'link-button', onclick: () => goBack(nav, state, q) }, 'Back') : null));
  if (!nav.show(form)) return;
  announce(`Question ${asked + 1}`);
}
