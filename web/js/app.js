// The entry point: wires the router (lib/router.js) to the views in views/*.js, which render
// into <main>. Before each view: the status (mode, account), the navigation links, and in
// multi-user mode the sign-in page for a signed-out visitor.
import { loadStatus, currentStatus } from './lib/api.js';
import { createRouter } from './lib/router.js';
import { h, errorBox, paintMain } from './lib/components.js';

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

// Runs before each view; its result (the status) is the view's context.
async function prepare(nav) {
  let status = currentStatus();
  try {
    if (!status) status = await loadStatus();
  } catch (error) {
    nav.show(h('h1', {}, 'hipcoach'), errorBox(error));
    return null;
  }
  if (!nav.current) return null;
  updateNav(status);
  if (status.mode === 'multi_user' && !status.signed_in && Object.hasOwn(routes, nav.name) && !PUBLIC.has(nav.name)) {
    window.location.hash = '#/account';
    return null;
  }
  return status;
}

const router = createRouter({
  routes,
  paint: paintMain,
  prepare,
  notFound: (nav) => nav.show(h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'Go to the start'))),
  failed: (nav, error) => nav.show(h('h1', {}, 'Something went wrong'), errorBox(error)),
});

window.addEventListener('hashchange', () => router.navigate(window.location.hash));
window.addEventListener('hipcoach:status', () => updateNav(currentStatus()));
router.navigate(window.location.hash);
