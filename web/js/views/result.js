// The result: the triage card first (what to do now), then the likely causes with "why we think
// so", what to watch for, medicine cautions and where to learn more.
import { get } from '../api.js';
import { h, pageShow, percent } from '../ui.js';

let sources = null;

async function sourceMap() {
  if (!sources) sources = (await get('/api/v1/questions')).sources;
  return sources;
}

export function cite(ids) {
  if (!ids || ids.length === 0 || !sources) return null;
  return h('p', { class: 'sources' }, 'Sources: ', ids.map((sid, i) => {
    const s = sources[sid];
    const text = s ? s.title : sid;
    return [i > 0 ? '; ' : '', s && s.url ? h('a', { href: s.url, rel: 'noreferrer', target: '_blank' }, text) : text];
  }));
}

async function latestResult() {
  const stored = sessionStorage.getItem('hipcoach.result');
  if (stored) return JSON.parse(stored);
  const list = await get('/api/v1/assessments');
  if (list.assessments.length === 0) return null;
  const last = list.assessments[list.assessments.length - 1];
  const full = await get(`/api/v1/assessments/${last.id}`);
  return { ...full.result, id: full.id };
}

export function triageCard(triage, { headingLevel = 'h1' } = {}) {
  const level = triage.level;
  return h('section', { class: `triage triage-${level}`, 'data-level': level, 'aria-labelledby': 'triage-title' },
    h(headingLevel, { id: 'triage-title' }, triage.title),
    h('p', { class: 'action' }, h('strong', {}, 'What to do now: '), triage.action),
    triage.window ? h('p', { class: 'window' }, triage.window) : null,
    triage.red_flags && triage.red_flags.length
      ? h('ul', { class: 'red-flags' }, triage.red_flags.map((f) => h('li', {},
        h('strong', {}, f.name), f.uncertain ? ' (because you were not sure)' : '', h('br'), f.action)))
      : null,
    triage.reasons && triage.reasons.length
      ? h('details', { class: 'why' }, h('summary', {}, 'Why this advice'),
        h('ul', {}, triage.reasons.map((r) => h('li', {}, r.text, cite(r.sources)))))
      : null);
}

export async function render() {
  const show = pageShow();
  await sourceMap();
  const result = await latestResult();
  if (!result) {
    show(h('h1', {}, 'No result yet'), h('p', {}, h('a', { class: 'button primary', href: '#/interview?new=1' }, 'Answer the questions')));
    return;
  }
  const triage = result.triage;
  const urgent = triage.level === 'emergency' || triage.level === 'urgent';
  const parts = [triageCard(triage)];
  if (result.save_error) parts.push(h('p', { class: 'error' }, `Your result was not saved: ${result.save_error}`));
  if (urgent) {
    parts.push(h('section', { class: 'no-programme' },
      h('h2', {}, 'No exercise plan for now'),
      h('p', {}, 'With what you told us, exercises could do harm until you have been checked. Please get help first. When a doctor or physiotherapist says it is safe, answer the questions again.')));
  } else if (result.programme) {
    parts.push(h('p', { class: 'actions' },
      h('a', { class: 'button primary', href: '#/programme' }, 'See your programme'),
      h('a', { class: 'button', href: '#/session' }, 'Start today\'s session')));
  }
  if (result.causes && result.causes.length) {
    parts.push(h('section', { class: 'causes' },
      h('h2', {}, 'What is probably behind the pain'),
      h('p', { class: 'muted' }, 'Each cause is judged on its own: several can be true at once, so the numbers do not add up to 100%.'),
      result.causes.map((c) => h('article', { class: 'cause', 'data-cause': c.id },
        h('h3', {}, c.name),
        c.flagged_by
          ? h('p', { class: 'flagged' }, 'A danger sign in your answers points to this. Get it checked as described above.')
          : h('div', { class: 'meter' },
            h('meter', { min: 0, max: 1, value: c.probability, 'aria-label': `How likely: ${percent(c.probability)}` }),
            h('span', {}, `${percent(c.probability)} likely`)),
        h('p', {}, c.summary),
        h('details', {}, h('summary', {}, 'Why we think so'),
          h('ul', { class: 'evidence' }, c.evidence.map((e) => h('li', { class: e.supports ? 'for' : 'against' },
            h('span', { class: 'tag' }, e.supports ? 'Points to it' : 'Points away'), ' ', e.text)))),
        h('p', {}, h('a', { href: `#/learn/${c.id}` }, `Learn about ${c.name.toLowerCase()}`)),
        cite(c.sources)))));
  }
  if (triage.watch_for && triage.watch_for.length) {
    parts.push(h('section', {}, h('h2', {}, 'Get help sooner if'),
      h('details', {}, h('summary', {}, `${triage.watch_for.length} signs to watch for`),
        h('ul', {}, triage.watch_for.map((w) => h('li', {}, w.text))))));
  }
  if (result.medication && result.medication.length) {
    parts.push(h('section', {}, h('h2', {}, 'About painkillers'),
      h('ul', {}, result.medication.map((m) => h('li', {}, m.message)))));
  }
  show(parts);
}
