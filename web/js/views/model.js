// The hip model: how weaker glutes change the force through the hip in walking, with a weakness
// slider and plots (model::SummariseWeakness on the server).
import { get } from '../lib/api.js';
import { h, errorBox, id } from '../lib/components.js';
import { lineChart, barChart } from '../lib/charts.js';
import { roundTo, signedPercent } from '../lib/format.js';

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
  const result = h('div', { class: 'model-result', 'aria-live': 'polite' });
  const curve = h('div', { class: 'model-curve' });
  const update = async () => {
    const fraction = Number(slider.value) / 100;
    out.textContent = `${slider.value}% weaker`;
    try {
      const s = await summary(group, fraction);
      result.replaceChildren(
        h('p', { class: 'lead' }, `With the ${NAMES[group] || group} ${slider.value}% weaker, the peak force through the hip in walking goes from ${s.baseline_peak_bw.toFixed(2)} to ${s.peak_bw.toFixed(2)} times body weight (${signedPercent(s.change_percent)}).`),
        barChart({ title: 'Hip force at its peak, in body weights', series: ['normal strength', 'weaker'],
          groups: [
            { label: 'total', values: [round(s.baseline_peak_bw), round(s.peak_bw)] },
            { label: 'forward', values: [round(Math.abs(s.components.baseline_anterior_bw)), round(Math.abs(s.components.anterior_bw))] },
            { label: 'inward', values: [round(Math.abs(s.components.baseline_medial_bw)), round(Math.abs(s.components.medial_bw))] },
            { label: 'upward', values: [round(Math.abs(s.components.baseline_superior_bw)), round(Math.abs(s.components.superior_bw))] }] }),
        s.compensators.length ? h('p', {}, 'Muscles that take over most: ', s.compensators.slice(0, 4).map((c) => c.muscle.replace(/_/g, ' ')).join(', '), '.') : null,
        h('p', { class: 'muted small' }, 'The model keeps the walking pattern fixed, so limping or leaning are not included. ', s.credit));
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
  nav.show(h('h1', {}, 'What weak glutes do to the hip'),
    h('p', {}, 'A computer model of normal walking (OpenSim gait2392) shows how the force through the hip joint changes when muscles are weaker.'),
    h('div', { class: 'field' }, h('label', { for: selectId }, 'Muscle group'), select),
    h('div', { class: 'field' }, h('label', { for: sliderId }, 'How much weaker'), slider, out),
    result, curve);
  await update();
  drawCurve().catch((error) => curve.replaceChildren(errorBox(error)));
}

function round(x) {
  return roundTo(x, 2);
}
