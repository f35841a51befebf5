// The hip model: how weaker glutes change the force through the hip in walking, with a weakness
// slider and plots (model::SummariseWeakness on the server). Every sentence about what the model
// shows (title, headline, the muscles that work harder, what it cannot show) is the server's
// model::Interpret of the computed numbers, so the words follow the model.
import { get } from '../lib/api.js';
import { h, errorBox, id } from '../lib/components.js';
import { lineChart, barChart } from '../lib/charts.js';
import { roundTo } from '../lib/format.js';

const NAMES = { glute_max: 'gluteus maximus', glute_med: 'gluteus medius', glute_min: 'gluteus minimus', glutes: 'all three glutes', hip_abductors: 'hip abductors' };
const cache = new Map();

async function summary(group, fraction) {
  const key = `${group}:${fraction}`;
  if (!cache.has(key)) cache.set(key, get(`/api/v1/model/summary?group=${group}&fraction=${fraction}`));
  return cache.get(key);
}

export async function render(nav) {
  const info = await get('/api/v1/model');
  if (!info.available) {
    nav.show(h('h1', {}, 'The hip model'), h('p', {}, 'This build of hipcoach has no hip model.'));
    return;
  }
  let group = info.groups.includes(nav.parts[0]) ? nav.parts[0] : 'glutes';
  const selectId = id('group');
  const sliderId = id('weak');
  const select = h('select', { id: selectId }, info.groups.map((g) => h('option', { value: g, selected: g === group }, NAMES[g] || g)));
  const slider = h('input', { id: sliderId, type: 'range', min: 0, max: 90, step: 10, value: 50 });
  const out = h('output', { for: sliderId }, '50% weaker');
  const title = h('h1', {}, 'Weaker glutes and the hip: what the model computes');
  const result = h('div', { class: 'model-result', 'aria-live': 'polite' });
  const limits = h('div', { class: 'model-limits' });
  const curve = h('div', { class: 'model-curve' });
  const update = async () => {
    const fraction = Number(slider.value) / 100;
    out.textContent = `${slider.value}% weaker`;
    try {
      const s = await summary(group, fraction);
      const reading = s.interpretation;
      title.textContent = reading.title;
      result.replaceChildren(
        h('p', { class: 'lead' }, reading.headline),
        barChart({ title: 'Hip force at its peak, in body weights', series: ['normal strength', 'weaker'],
          groups: [
            { label: 'total', values: [round(s.baseline_peak_bw), round(s.peak_bw)] },
            { label: 'forward', values: [round(Math.abs(s.components.baseline_anterior_bw)), round(Math.abs(s.components.anterior_bw))] },
            { label: 'inward', values: [round(Math.abs(s.components.baseline_medial_bw)), round(Math.abs(s.components.medial_bw))] },
            { label: 'upward', values: [round(Math.abs(s.components.baseline_superior_bw)), round(Math.abs(s.components.superior_bw))] }] }),
        h('p', {}, reading.muscles),
        reading.reserve ? h('p', {}, reading.reserve) : null,
        h('p', { class: 'muted small' }, s.credit));
      limits.replaceChildren(h('h2', {}, 'What the model cannot show'),
        h('ul', {}, reading.cannot_show.map((item) => h('li', {}, item))));
    } catch (error) {
      result.replaceChildren(errorBox(error));
    }
  };
  const drawCurve = async () => {
    const points = [];
    for (let pct = 0; pct <= 90; pct += 10) {
      const s = await summary(group, pct / 100);
      points.push({ label: `${pct}%`, value: round(s.peak_bw) });
    }
    const max = Math.ceil(Math.max(...points.map((p) => p.value)) + 0.5);
    curve.replaceChildren(lineChart({ title: `Peak hip force (body weights) as the ${NAMES[group] || group} get weaker`, points, max }));
  };
  slider.addEventListener('input', update);
  select.addEventListener('change', () => { group = select.value; update(); drawCurve(); });
  nav.show(title,
    h('p', {}, 'A computer model of walking (OpenSim gait2392) computes the force through the hip joint, and how hard each muscle works, when muscles are weaker. The sentences below are written from its numbers.'),
    h('div', { class: 'field' }, h('label', { for: selectId }, 'Muscle group'), select),
    h('div', { class: 'field' }, h('label', { for: sliderId }, 'How much weaker'), slider, out),
    result, curve, limits);
  await update();
  drawCurve().catch((error) => curve.replaceChildren(errorBox(error)));
}

function round(x) {
  return roundTo(x, 2);
}
