// Inline SVG charts: a line chart and a grouped bar chart, each with a text summary for screen
// readers and a table fallback.
import { h } from './components.js';

const W = 340;
const H = 180;
const PAD = { left: 34, right: 10, top: 12, bottom: 30 };

function axes(svg, max, ticks, unit) {
  for (let i = 0; i <= ticks; i += 1) {
    const value = (max * i) / ticks;
    const y = H - PAD.bottom - ((H - PAD.top - PAD.bottom) * i) / ticks;
    svg.append(h('svg:line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: 'grid' }));
    svg.append(h('svg:text', { x: PAD.left - 4, y: y + 4, class: 'tick', 'text-anchor': 'end' },
      `${Math.round(value * 10) / 10}${i === ticks ? unit : ''}`));
  }
}

// points: [{label, value}], values 0..max.
export function lineChart({ title, points, max = 10, unit = '' }) {
  const svg = h('svg:svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title },
    h('svg:title', {}, title));
  axes(svg, max, 5, unit);
  const n = points.length;
  const x = (i) => PAD.left + (n <= 1 ? 0.5 : i / (n - 1)) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (Math.min(v, max) / max) * (H - PAD.top - PAD.bottom);
  if (n > 0) {
    svg.append(h('svg:polyline', { class: 'line', points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ') }));
    points.forEach((p, i) => svg.append(h('svg:circle', { class: 'dot', cx: x(i), cy: y(p.value), r: 3 },
      h('svg:title', {}, `${p.label}: ${p.value}`))));
    const step = Math.max(1, Math.ceil(n / 6));
    points.forEach((p, i) => {
      if (i % step === 0 || i === n - 1) {
        svg.append(h('svg:text', { x: x(i), y: H - 10, class: 'tick', 'text-anchor': 'middle' }, p.label));
      }
    });
  }
  return h('figure', { class: 'chart-figure' }, svg, h('figcaption', {}, title), table(title, ['', 'value'], points.map((p) => [p.label, p.value])));
}

// groups: [{label, values: [..]}], series: names of each value.
export function barChart({ title, groups, series, max, unit = '' }) {
  const top = max || Math.max(1, ...groups.flatMap((g) => g.values));
  const svg = h('svg:svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title },
    h('svg:title', {}, title));
  axes(svg, top, 4, unit);
  const gw = (W - PAD.left - PAD.right) / Math.max(1, groups.length);
  const bw = Math.min(24, (gw - 8) / series.length);
  groups.forEach((g, gi) => {
    g.values.forEach((v, si) => {
      const height = (Math.min(v, top) / top) * (H - PAD.top - PAD.bottom);
      svg.append(h('svg:rect', {
        class: `bar bar-${si}`, x: PAD.left + gi * gw + 4 + si * bw, y: H - PAD.bottom - height, width: bw - 2, height,
      }, h('svg:title', {}, `${g.label}, ${series[si]}: ${v}`)));
    });
    svg.append(h('svg:text', { x: PAD.left + gi * gw + gw / 2, y: H - 10, class: 'tick', 'text-anchor': 'middle' }, g.label));
  });
  const legend = h('ul', { class: 'legend' }, series.map((s, i) => h('li', {}, h('span', { class: `swatch bar-${i}` }), s)));
  return h('figure', { class: 'chart-figure' }, svg, h('figcaption', {}, title), legend,
    table(title, ['', ...series], groups.map((g) => [g.label, ...g.values])));
}

function table(title, header, rows) {
  return h('details', { class: 'chart-table' }, h('summary', {}, 'Show as a table'),
    h('table', {}, h('caption', {}, title),
      h('thead', {}, h('tr', {}, header.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, String(c)))))))));
}
