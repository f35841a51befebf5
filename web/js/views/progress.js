// Progress: the pain trend, adherence and load (inline SVG charts), and what changed and why.
import { get } from '../api.js';
import { h, pageShow, errorBox, shortDate } from '../ui.js';
import { lineChart, barChart } from '../charts.js';

export function progressSections(s) {
  const pain = lineChart({
    title: 'Pain each day (mean of your check-ins, 0–10)',
    points: s.days.map((d) => ({ label: shortDate(d.date), value: Math.round(d.pain_now * 10) / 10 })),
    max: 10,
  });
  const adherence = barChart({
    title: 'Exercise days each week: planned and done',
    groups: s.weeks.map((w) => ({ label: `Week ${w.week}`, values: [w.scheduled_days, w.done_days] })),
    series: ['planned', 'done'],
  });
  const load = barChart({
    title: 'Load each week: running (km), cycling (hours), sitting (hours a day)',
    groups: s.weeks.map((w) => ({ label: `Week ${w.week}`, values: [w.running_km, Math.round(w.cycling_minutes / 6) / 10, w.sitting_hours] })),
    series: ['running km', 'cycling h', 'sitting h/day'],
  });
  const trend = s.trend;
  const summary = [];
  if (trend.baseline !== null && trend.current !== null) {
    summary.push(`Pain started at ${trend.baseline.toFixed(1)}/10 and is now ${trend.current.toFixed(1)}/10 (mean of recent days).`);
  }
  if (s.scheduled_days > 0) summary.push(`You exercised on ${s.done_days} of ${s.scheduled_days} planned days.`);
  return [
    h('p', { class: 'lead', id: 'progress-summary' }, summary.join(' ') || 'No check-ins yet: your charts fill in as you log.'),
    h('div', { class: 'charts' }, pain, adherence, load),
    h('section', {}, h('h2', {}, 'What changed and why'),
      s.changes.length ? h('ul', { class: 'changes' }, s.changes.map((c) => h('li', {}, h('time', { datetime: c.at }, shortDate(c.at)), ' ', c.text)))
        : h('p', {}, 'No changes yet.')),
  ];
}

export async function render() {
  const show = pageShow();
  let s;
  try {
    s = await get('/api/v1/progress');
  } catch (error) {
    show(h('h1', {}, 'Your progress'), errorBox(error));
    return;
  }
  show(h('h1', {}, 'Your progress'), progressSections(s),
    h('p', { class: 'actions no-print' },
      h('a', { class: 'button', href: '/api/v1/report', target: '_blank', rel: 'noopener' }, 'Report for your physiotherapist (print)'),
      h('a', { class: 'button', href: '#/checkin' }, 'Check-in')));
}
