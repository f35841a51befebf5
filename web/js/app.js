// The router: #/path -> a view. Views live in views/*.js and render into <main>.
import { loadStatus, currentStatus } from './api.js';
import { h, errorBox, hashPath, beginPage, isCurrentPage, pageShow } from './ui.js';

const routes = {
  '': () => import('./views/home.js'),
  interview: () => import('./views/interview.js'),
  result: () => import('./views/result.js'),
  programme: () => import('./views/programme.js'),
  session: () => import('./views/session.js'),
  checkin: () => import('./views/checkin.js'),
  progress: () => import('./views/progress.js'),
  learn: () => import('./views/learn.js'),
  model: () => import('./views/model.js'),
  settings: () => import('./views/settings.js'),
  account: () => import('./views/account.js'),
  clinician: () => import('./views/clinician.js'),
  print: () => import('./views/print.js'),
};

// Pages a signed-out visitor may see in multi-user mode.
const PUBLIC = new Set(['', 'account', 'learn', 'model']);

function updateNav(status) {
  const nav = document.getElementById('nav');
  const clinician = status.account && status.account.role === 'clinician';
  const signedIn = status.signed_in;
  const links = [];
  if (clinician) {
    links.push(['#/clinician', 'My patients']);
  } else if (signedIn) {
    links.push(['#/programme', 'Programme'], ['#/checkin', 'Check-in'], ['#/progress', 'Progress']);
  }
  links.push(['#/learn', 'Learn']);
  if (signedIn) links.push(['#/settings', 'Settings']);
  if (status.mode === 'multi_user' && !signedIn) links.push(['#/account', 'Sign in']);
  const here = window.location.hash.split('?')[0] || '#/';
  nav.replaceChildren(...links.map(([href, text]) => h('li', {},
    h('a', { href, 'aria-current': here.startsWith(href) ? 'page' : null }, text))));
}

async function route() {
  // This navigation's page: after every wait, stop if the person has moved on meanwhile.
  const token = beginPage();
  const show = pageShow();
  const path = hashPath();
  const parts = path.split('/').filter(Boolean);
  const name = parts[0] || '';
  let status = currentStatus();
  try {
    if (!status) status = await loadStatus();
  } catch (error) {
    show(h('h1', {}, 'hipcoach'), errorBox(error));
    return;
  }
  if (!isCurrentPage(token)) return;
  updateNav(status);
  const load = routes[name];
  if (!load) {
    show(h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'Go to the start')));
    return;
  }
  if (status.mode === 'multi_user' && !status.signed_in && !PUBLIC.has(name)) {
    window.location.hash = '#/account';
    return;
  }
  try {
    const view = await load();
    if (!isCurrentPage(token)) return;
    // The view takes its own pageShow() as it starts, still on this page.
    await view.render(parts.slice(1), status);
  } catch (error) {
    show(h('h1', {}, 'Something went wrong'), errorBox(error));
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('hipcoach:status', () => updateNav(currentStatus()));
route();
