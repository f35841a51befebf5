// Pieces of pages that more than one view shows: the triage card (result, check-in), an exercise
// card (programme, print), the progress charts (progress, clinician) and a line of sources.
import { h } from './components.js';
import { figure } from './figures.js';
import { lineChart, barChart } from './charts.js';
import { shortDate, doseText, sideOrder, idToWords, roundTo } from './format.js';

// "Sources: A; B" for source ids, each a link where it has one; `sources` maps id -> {title, url}
// (GET /api/v1/questions). Nothing without ids or without the map.
export function sourcesLine(ids, sources) {
  if (!ids || ids.length === 0 || !sources) return null;
  return h('p', { class: 'sources' }, 'Sources: ', ids.map((sid, i) => {
    const s = sources[sid];
    const text = s ? s.title : sid;
    return [i > 0 ? '; ' : '', s && s.url ? h('a', { href: s.url, rel: 'noreferrer', target: '_blank' }, text) : text];
  }));
}

// What to do now: the level, the action, the danger signs and why. `sources` as for sourcesLine.
export function triageCard(triage, { headingLevel = 'h1', sources = null } = {}) {
  const level = triage.level;
  return h('section', { class: `triage triage-${level}`, 'data-level': level, 'aria-labelledby': 'triage-title' },
    h(headingLevel, { id: 'triage-title' }, triage.title),
    h('p', { class: 'action' }, h('strong', {}, 'What to do now: '), triage.action),
    triage.window ? h('p', { class: 'window' }, triage.window) : null,
    triage.red_flags && triage.red_flags.length
      ? h('ul', { class: 'red-flags' }, triage.red_flags.map((f) => h('li', {},
        h('strong', {}, f.name), f.uncertain ? ' (you were not sure, so it cannot be ruled out)' : '', h('br'), f.action)))
      : null,
    triage.reasons && triage.reasons.length
      ? h('details', { class: 'why' }, h('summary', {}, 'Why this advice'),
        h('ul', {}, triage.reasons.map((r) => h('li', {}, r.text, sourcesLine(r.sources, sources)))))
      : null);
}

// One exercise of a programme: drawing, dose, which side first, why, and (unless compact) how.
export function exerciseCard(item, painfulSide, { compact = false } = {}) {
  const sides = sideOrder(item, painfulSide);
  const firstNote = item.per_side && (painfulSide === 'left' || painfulSide === 'right')
    ? `Start with your ${sides[0]} (less painful) side.` : null;
  return h('article', { class: 'exercise-card', 'data-exercise': item.exercise },
    figure(item.exercise, { label: `Drawing: ${item.name}` }),
    h('div', {},
      h('h3', {}, item.name),
      h('p', { class: 'dose' }, doseText(item)),
      firstNote ? h('p', { class: 'side-note' }, firstNote) : null,
      h('p', { class: 'why' }, h('strong', {}, 'Why: '), item.why),
      compact ? null : h('details', {}, h('summary', {}, 'How to do it'),
        h('ol', {}, item.instructions.map((step) => h('li', {}, step))),
        item.easier ? h('p', {}, h('strong', {}, 'Too hard? '), `Try ${idToWords(item.easier)}.`) : null),
      compact ? null : h('p', {}, h('a', { href: `#/learn/${item.exercise}` }, 'More about this exercise'))));
}

// The progress summary, its charts (pain, adherence, load) and what changed and why, from
// GET /api/v1/progress (or a clinician's view of it).
export function progressSections(s) {
  const pain = lineChart({
    title: 'Pain each day (mean of your check-ins, 0–10)',
    points: s.days.map((d) => ({ label: shortDate(d.date), value: roundTo(d.pain_now, 1) })),
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
