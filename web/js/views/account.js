// Sign in or create an account (multi-user mode).
import { post, setSession } from '../lib/api.js';
import { h, id } from '../lib/components.js';

function form(kind) {
  const userId = id('user');
  const pwId = id('pw');
  const roleId = id('role');
  const user = h('input', { id: userId, name: 'username', autocomplete: 'username', required: true, minlength: 3, maxlength: 40 });
  const pw = h('input', { id: pwId, name: 'password', type: 'password', autocomplete: kind === 'login' ? 'current-password' : 'new-password', required: true, minlength: kind === 'login' ? 1 : 10 });
  const role = h('input', { id: roleId, type: 'checkbox' });
  const msg = h('p', { class: 'field-error', role: 'alert' });
  const el = h('form', { class: 'account-form', 'data-form': kind },
    h('h2', {}, kind === 'login' ? 'Sign in' : 'Create an account'),
    h('div', { class: 'field' }, h('label', { for: userId }, 'Username'), user),
    h('div', { class: 'field' }, h('label', { for: pwId }, kind === 'login' ? 'Password' : 'Password (at least 10 characters)'), pw),
    kind === 'register' ? h('div', { class: 'choice' }, role, h('label', { for: roleId }, 'I am a physiotherapist (clinician account)')) : null,
    msg,
    h('button', { type: 'submit', class: 'primary' }, kind === 'login' ? 'Sign in' : 'Create account'));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const body = { username: user.value.trim(), password: pw.value };
      if (kind === 'register') body.role = role.checked ? 'clinician' : 'person';
      const r = await post(kind === 'login' ? '/api/v1/account/login' : '/api/v1/account/register', body);
      setSession(r.csrf, r.account);
      window.dispatchEvent(new Event('hipcoach:status'));
      window.location.hash = r.account.role === 'clinician' ? '#/clinician' : '#/';
    } catch (error) {
      msg.textContent = error.message;
    }
  });
  return el;
}

export async function render(nav, status) {
  if (status.mode !== 'multi_user') {
    nav.show(h('h1', {}, 'No account needed'), h('p', {}, 'hipcoach is running in personal mode: no account, and nothing leaves this computer.'));
    return;
  }
  if (status.signed_in) {
    window.location.hash = '#/';
    return;
  }
  nav.show(h('h1', {}, 'Welcome to hipcoach'),
    h('p', {}, 'Self-care guidance for hip and buttock pain. Each person\'s data is private to their account.'),
    h('div', { class: 'two-columns' }, form('login'), form('register')));
}
