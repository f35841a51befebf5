// Explanations: causes, exercises, self-care and education pages, with their sources.
import { get } from '../lib/api.js';
import { h, errorBox, paragraphs } from '../lib/components.js';
import { figure } from '../lib/figures.js';

function sourceList(sources) {
  if (!sources || !sources.length) return null;
  return h('section', { class: 'sources' }, h('h2', {}, 'Sources'),
    h('ul', {}, sources.map((s) => h('li', {}, s.url ? h('a', { href: s.url, rel: 'noreferrer', target: '_blank' }, s.title) : s.title,
      s.verified ? '' : ' (not yet checked against the original)'))));
}

export async function render(nav) {
  const topic = nav.parts[0];
  if (!topic) {
    const list = await get('/api/v1/education');
    nav.show(h('h1', {}, 'Learn'),
      h('ul', { class: 'link-list' }, list.pages.map((p) => h('li', {}, h('a', { href: `#/learn/${p.id}` }, p.title)))),
      h('p', {}, h('a', { href: '#/model' }, 'Weaker glutes and the hip: what the model computes')));
    return;
  }
  let e;
  try {
    e = await get(`/api/v1/explain/${encodeURIComponent(topic)}`);
  } catch (error) {
    nav.show(h('h1', {}, 'Learn'), errorBox(error), h('p', {}, h('a', { href: '#/learn' }, 'All topics')));
    return;
  }
  const body = [];
  if (e.kind === 'exercise') {
    body.push(figure(e.id, { label: `Drawing: ${e.title}` }),
      h('ol', {}, e.instructions.map((s) => h('li', {}, s))),
      h('p', {}, h('strong', {}, 'Why: '), e.why),
      e.not_for_you_if.length ? h('section', {}, h('h2', {}, 'Not for you if'), h('ul', {}, e.not_for_you_if.map((r) => h('li', {}, r)))) : null);
  } else if (e.kind === 'self_care') {
    body.push(h('ul', {}, e.instructions.map((s) => h('li', {}, s))), h('p', {}, e.why));
  } else {
    if (e.summary) body.push(h('p', { class: 'lead' }, e.summary));
    body.push(paragraphs(e.body));
    if (e.programme) body.push(h('p', {}, h('strong', {}, 'In your programme: '), e.programme));
    if (e.action) body.push(h('p', {}, h('strong', {}, 'What to do: '), e.action));
    if (e.model_group) body.push(h('p', {}, h('a', { href: `#/model/${e.model_group}` }, 'See what this weakness does in the hip model')));
  }
  nav.show(h('h1', {}, e.title), body, sourceList(e.sources), h('p', {}, h('a', { href: '#/learn' }, 'All topics')));
}
