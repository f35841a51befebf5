// DOM helpers shared by the views: an element builder, ids for labels, announcements for screen
// readers, painting <main> with focus on its heading, error boxes and paragraphs.
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

// Replaces the content of <main> and moves focus to its heading. The router paints through this,
// only for the navigation that is current (router.js).
export function paintMain(nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
  window.scrollTo(0, 0);
}

export function errorBox(error) {
  return h('div', { class: 'error', role: 'alert' }, error.message || String(error));
}

// Paragraphs from text with blank lines between them.
export function paragraphs(text) {
  return String(text || '').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => h('p', {}, p.trim()));
}
