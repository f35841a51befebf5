// The clinician's view: people who shared with them (by code), each person's progress and report,
// and changes to their programme, each recorded with who and why.
import { get, post } from '../lib/api.js';
import { h, id, errorBox } from '../lib/components.js';
import { doseText } from '../lib/format.js';
import { progressSections } from '../lib/cards.js';

function adjustForm(link, item, after) {
  const ids = { sets: id('sets'), min: id('rmin'), max: id('rmax'), hold: id('hold'), why: id('why') };
  const sets = h('input', { id: ids.sets, type: 'number', min: 1, max: 10, value: item.sets });
  const rmin = h('input', { id: ids.min, type: 'number', min: 1, max: 50, value: item.reps_min });
  const rmax = h('input', { id: ids.max, type: 'number', min: 1, max: 50, value: item.reps_max });
  const hold = h('input', { id: ids.hold, type: 'number', min: 0, max: 120, value: item.hold_seconds });
  const why = h('input', { id: ids.why, required: true, maxlength: 500 });
  const msg = h('p', { role: 'status' });
  const form = h('form', { class: 'adjust', 'data-exercise': item.exercise },
    h('h3', {}, item.name), h('p', {}, doseText(item)),
    h('div', { class: 'field-row' },
      h('label', { for: ids.sets }, 'Sets'), sets, h('label', { for: ids.min }, 'Reps from'), rmin,
      h('label', { for: ids.max }, 'to'), rmax, h('label', { for: ids.hold }, 'Hold (s)'), hold),
    h('div', { class: 'field' }, h('label', { for: ids.why }, 'Why (the person sees this)'), why),
    h('button', { type: 'submit' }, 'Change'), msg);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const r = await post(`/api/v1/links/${link.id}/programme`, {
        exercise: item.exercise, sets: Number(sets.value), reps_min: Number(rmin.value), reps_max: Number(rmax.value),
        hold_seconds: Number(hold.value), why: why.value.trim(),
      });
      msg.textContent = r.reason;
      after();
    } catch (error) {
      msg.textContent = error.message;
    }
  });
  return form;
}

async function patient(link, nav) {
  const parts = [h('h1', {}, `${link.person}`), h('p', {}, h('a', { class: 'button', href: `/api/v1/links/${link.id}/report`, target: '_blank', rel: 'noopener' }, 'Open the report (print)'))];
  try {
    const p = await get(`/api/v1/links/${link.id}/programme`);
    parts.push(h('section', {}, h('h2', {}, 'Programme'), p.items.map((item) => adjustForm(link, item, () => patient(link, nav)))));
    const s = await get(`/api/v1/links/${link.id}/progress`);
    parts.push(h('section', {}, h('h2', {}, 'Progress'), progressSections(s)));
  } catch (error) {
    parts.push(errorBox(error));
  }
  parts.push(h('p', {}, h('a', { href: '#/clinician' }, 'All my patients')));
  nav.show(parts);
}

export async function render(nav, status) {
  if (!status.account || status.account.role !== 'clinician') {
    nav.show(h('h1', {}, 'For physiotherapists'), h('p', {}, 'This page is for clinician accounts.'));
    return;
  }
  const links = (await get('/api/v1/links')).links;
  const linkId = nav.parts[0];
  if (linkId) {
    const link = links.find((l) => String(l.id) === linkId);
    if (!link) {
      nav.show(h('h1', {}, 'No access'), h('p', {}, 'You have no access to that person (they may have stopped sharing).'));
      return;
    }
    await patient(link, nav);
    return;
  }
  const codeId = id('code');
  const code = h('input', { id: codeId, autocomplete: 'off', placeholder: 'XXXX-XXXX-XXXX' });
  const msg = h('p', { class: 'field-error', role: 'alert' });
  const form = h('form', {}, h('div', { class: 'field' }, h('label', { for: codeId }, 'Code from your patient'), code), msg,
    h('button', { type: 'submit', class: 'primary' }, 'Add'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const r = await post('/api/v1/links', { code: code.value });
      window.location.hash = `#/clinician/${r.link.id}`;
    } catch (error) {
      msg.textContent = error.message;
    }
  });
  nav.show(h('h1', {}, 'My patients'),
    links.length ? h('ul', { class: 'link-list' }, links.map((l) => h('li', {}, h('a', { href: `#/clinician/${l.id}` }, l.person)))) : h('p', {}, 'Nobody has shared with you yet.'),
    form);
}
