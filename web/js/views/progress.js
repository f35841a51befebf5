// Progress: the pain trend, adherence and load (inline SVG charts), and what changed and why.
import { get } from '../lib/api.js';
import { h, errorBox } from '../lib/components.js';
import { progressSections } from '../lib/cards.js';

export async function render(nav) {
  let s;
  try {
    s = await get('/api/v1/progress');
  } catch (error) {
    nav.show(h('h1', {}, 'Your progress'), errorBox(error));
    return;
  }
  nav.show(h('h1', {}, 'Your progress'), progressSections(s),
    h('p', { class: 'actions no-print' },
      h('a', { class: 'button', href: '/api/v1/report', target: '_blank', rel: 'noopener' }, 'Report for your physiotherapist (print)'),
      h('a', { class: 'button', href: '#/checkin' }, 'Check-in')));
}
