// Print views: the programme on A4 (print stylesheet), and the physiotherapist report (server HTML).
import { get } from '../lib/api.js';
import { h, errorBox } from '../lib/components.js';
import { shortDate } from '../lib/format.js';
import { exerciseCard } from '../lib/cards.js';

export async function render(nav) {
  if (nav.parts[0] !== 'programme') {
    window.location.href = '/api/v1/report';
    return;
  }
  let p;
  try {
    p = await get('/api/v1/programme');
  } catch (error) {
    nav.show(h('h1', {}, 'Print'), errorBox(error));
    return;
  }
  const byId = new Map(p.items.map((i) => [i.exercise, i]));
  nav.show(h('div', { class: 'print-page' },
    h('h1', {}, 'My hipcoach programme'),
    h('p', {}, `Phase ${p.phase}: ${p.phase_name}. Week ${p.week_of_programme}, from ${shortDate(p.today)}.`),
    h('p', { class: 'no-print actions' }, h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, 'Print'),
      h('a', { class: 'button', href: '#/programme' }, 'Back')),
    h('table', { class: 'print-week' }, h('caption', {}, 'This week'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Exercises'))),
      h('tbody', {}, p.days.map((d) => h('tr', {}, h('th', { scope: 'row' }, shortDate(d.date)),
        h('td', {}, d.rest_day ? 'Rest day' : d.exercises.map((e) => (byId.get(e) || { name: e }).name).join(', ')))))),
    h('div', { class: 'cards' }, p.items.map((item) => exerciseCard(item, p.painful_side, { compact: true }))),
    h('p', { class: 'small' }, `Pain during exercise: up to ${p.rules.pain_safe_max}/10 is fine, up to ${p.rules.pain_acceptable_max}/10 if settled by the next morning. Self-care guidance, not a diagnosis.`)));
}
