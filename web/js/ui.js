// Small DOM helpers: an element builder, announcements for screen readers, focus management.
const SVG_NS = 'http://www.w3.org/2000/svg';

// h('button', {class: 'primary', onclick: fn}, 'Next') builds an element; 'svg:path' an SVG one.
export function h(tag, props, ...children) {
  const svg = tag.startsWith('svg:');
  const el = svg ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'text') {
      el.textContent = value;
    } else if (key === 'class') {
      el.setAttribute('class', value);
    } else if (key === 'checked' || key === 'disabled' || key === 'value' || key === 'selected') {
      el[key] = value;
      if (value === true) el.setAttribute(key, '');
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child.nodeType ? child : String(child));
  }
}

let uid = 0;
export function id(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

export function announce(text) {
  const live = document.getElementById('live');
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 30);
}

export function alertNow(text) {
  const el = document.getElementById('alert');
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 30);
}

// Pages and late views. Every navigation begins a new page (beginPage). A view paints with the
// show() it takes from pageShow() when it starts: that show() paints only while its page is still
// the one the person is on, so a view that finishes loading after the person has moved on paints
// nothing. (Comparing the route a view was started for with the current hash is not enough: a
// global "current route" follows the newest navigation just as the hash does.)
let page = 0;
export function hashPath() {
  return window.location.hash.replace(/^#\/?/, '').split('?')[0];
}
export function beginPage() {
  page += 1;
  return page;
}
export function isCurrentPage(token) {
  return token === page;
}

// Replaces the page content and moves focus to its heading.
function paint(nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
  window.scrollTo(0, 0);
}

// A show() for the page current now; it returns whether it painted.
export function pageShow() {
  const mine = page;
  return (...nodes) => {
    if (mine !== page) return false;
    paint(nodes);
    return true;
  };
}

export function errorBox(error) {
  return h('div', { class: 'error', role: 'alert' }, error.message || String(error));
}

// Paragraphs from text with blank lines between them.
export function paragraphs(text) {
  return String(text || '').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => h('p', {}, p.trim()));
}

// "2026-01-05" -> "Mon 5 Jan".
export function shortDate(iso) {
  const d = new Date(`${iso.slice(0, 10)}T12:00:00`);
  return d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
}

// The timer speed factor (?speed=20 makes timers run 20 times faster; for tests and trying out).
export function speedFactor() {
  const value = Number(new URLSearchParams(window.location.search).get('speed'));
  return Number.isFinite(value) && value >= 1 && value <= 1000 ? value : 1;
}
