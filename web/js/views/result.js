// The result: the triage card first (what to do now), then what the person was not sure about and
// how to check it, what a doctor needs to rule out and why, the likely causes (at most five, each
// with its chance in words, the rest behind "Show more") with "why we think so", what to watch
// for, medicine cautions and where to learn more.
import { get } from '../lib/api.js';
import { h, id } from '../lib/components.js';
import { chanceText, capitalised } from '../lib/format.js';
import { triageCard, sourcesLine } from '../lib/cards.js';

let sources = null;

async function sourceMap() {
  if (!sources) sources = (await get('/api/v1/questions')).sources;
  return sources;
}

function cite(ids) {
  return sourcesLine(ids, sources);
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

// The ranking of a result of any version: one stored before rule_out existed had the causes a
// danger sign points to among its causes (with flagged_by).
function ranking(result) {
  const causes = result.causes || [];
  if (result.rule_out) return { ruleOut: result.rule_out, causes, more: result.more_causes || [] };
  const likely = causes.filter((c) => !c.flagged_by).sort((a, b) => b.probability - a.probability);
  return { ruleOut: causes.filter((c) => c.flagged_by), causes: likely.slice(0, 5), more: likely.slice(5) };
}

function learnMore(c) {
  return h('p', {}, h('a', { href: `#/learn/${c.id}` }, `Learn about ${c.name.toLowerCase()}`));
}

function causeCard(c) {
  const chance = c.chance || chanceText(c.probability);
  return h('article', { class: 'cause', 'data-cause': c.id },
    h('h3', {}, c.name),
    h('p', { class: 'chance' }, h('strong', {}, capitalised(chance))),
    h('p', {}, c.summary),
    c.evidence && c.evidence.length
      ? h('details', {}, h('summary', {}, 'Why we think so'),
        h('ul', { class: 'evidence' }, c.evidence.map((e) => h('li', { class: e.supports ? 'for' : 'against' },
          h('span', { class: 'tag' }, e.supports ? 'Points to it' : 'Points away'), ' ', e.text))))
      : null,
    learnMore(c),
    cite(c.sources));
}

function doubtsSection(doubts) {
  return h('section', { class: 'doubts', 'aria-labelledby': 'doubts-title' },
    h('h2', { id: 'doubts-title' }, 'Where you were not sure'),
    h('p', {}, 'Where you could not say, hipcoach had to make an assumption. Check these when you can, and answer the questions again if anything turns out different.'),
    h('ul', {}, doubts.map((d) => h('li', { 'data-question': d.question }, d.text))));
}

function ruleOutSection(causes, redFlags) {
  const flagName = (flagId) => {
    const flag = (redFlags || []).find((f) => f.id === flagId);
    return flag ? flag.name : null;
  };
  return h('section', { class: 'rule-out', 'aria-labelledby': 'rule-out-title' },
    h('h2', { id: 'rule-out-title' }, 'What a doctor needs to rule out, and why'),
    h('p', {}, 'A danger sign in your answers points to these. They are not the most likely causes, but they need a doctor to check for them first.'),
    causes.map((c) => h('article', { class: 'cause rule-out-cause', 'data-cause': c.id },
      h('h3', {}, c.name),
      flagName(c.flagged_by) ? h('p', { class: 'flagged' }, `Because of: ${flagName(c.flagged_by)}`) : null,
      c.why ? h('p', {}, c.why) : null,
      learnMore(c))));
}

function causesSection(causes, more) {
  const section = h('section', { class: 'causes', 'aria-labelledby': 'causes-title' },
    h('h2', { id: 'causes-title' }, 'What is probably behind the pain'),
    h('p', { class: 'muted' }, 'Each cause is judged on its own, and more than one can be true at once. A questionnaire cannot be certain: an examination by a doctor or physiotherapist can.'),
    causes.map(causeCard));
  if (more.length) {
    const moreId = id('more-causes');
    const list = h('div', { id: moreId, class: 'more-causes', hidden: true },
      h('h3', { class: 'visually-hidden' }, 'Less likely causes'),
      more.map(causeCard));
    const label = () => (list.hidden ? `Show ${more.length} more` : 'Show fewer');
    const toggle = h('button', { type: 'button', class: 'secondary show-more', 'aria-expanded': 'false', 'aria-controls': moreId }, label());
    toggle.addEventListener('click', () => {
      list.hidden = !list.hidden;
      toggle.setAttribute('aria-expanded', String(!list.hidden));
      toggle.textContent = label();
    });
    section.append(toggle, list);
  }
  return section;
}

export async function render(nav) {
  await sourceMap();
  const result = await latestResult();
  if (!result) {
    nav.show(h('h1', {}, 'No result yet'), h('p', {}, h('a', { class: 'button primary', href: '#/interview?new=1' }, 'Answer the questions')));
    return;
  }
  const triage = result.triage;
  const urgent = triage.level === 'emergency' || triage.level === 'urgent';
  const ranked = ranking(result);
  const parts = [triageCard(triage, { sources })];
  if (result.save_error) parts.push(h('p', { class: 'error' }, `Your result was not saved: ${result.save_error}`));
  if (triage.doubts && triage.doubts.length) parts.push(doubtsSection(triage.doubts));
  if (ranked.ruleOut.length) parts.push(ruleOutSection(ranked.ruleOut, triage.red_flags));
  if (urgent) {
    parts.push(h('section', { class: 'no-programme' },
      h('h2', {}, 'No exercise plan for now'),
      h('p', {}, 'With what you told us, exercises could do harm until you have been checked. Please get help first. When a doctor or physiotherapist says it is safe, answer the questions again.')));
  } else if (result.programme) {
    parts.push(h('p', { class: 'actions' },
      h('a', { class: 'button primary', href: '#/programme' }, 'See your programme'),
      h('a', { class: 'button', href: '#/session' }, 'Start today\'s session')));
  }
  if (ranked.causes.length) parts.push(causesSection(ranked.causes, ranked.more));
  if (triage.watch_for && triage.watch_for.length) {
    parts.push(h('section', {}, h('h2', {}, 'Get help sooner if'),
      h('details', {}, h('summary', {}, `${triage.watch_for.length} signs to watch for`),
        h('ul', {}, triage.watch_for.map((w) => h('li', {}, w.text))))));
  }
  if (result.medication && result.medication.length) {
    parts.push(h('section', {}, h('h2', {}, 'About painkillers'),
      h('ul', {}, result.medication.map((m) => h('li', {}, m.message)))));
  }
  nav.show(parts);
}
