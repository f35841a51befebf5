// Settings: export, import, calendar; in multi-user mode the account, sharing with a
// physiotherapist (revocable codes) and deleting the account with all its data.
import { get, post, del, call, setSession, currentStatus } from '../lib/api.js';
import { h, id, errorBox } from '../lib/components.js';
import { isoDay, idToWords } from '../lib/format.js';

function calendarSection() {
  const timeId = id('time');
  const time = h('input', { id: timeId, type: 'time', value: '18:00' });
  const breaksId = id('breaks');
  const breaks = h('input', { id: breaksId, type: 'checkbox', checked: true });
  const link = h('a', { class: 'button', href: '/api/v1/calendar.ics?hour=18&minute=0', download: 'hipcoach.ics' }, 'Download the calendar (.ics)');
  const update = () => {
    const [hour, minute] = (time.value || '18:00').split(':').map(Number);
    link.href = `/api/v1/calendar.ics?hour=${hour}&minute=${minute}&sitting_breaks=${breaks.checked}`;
  };
  time.addEventListener('change', update);
  breaks.addEventListener('change', update);
  return h('section', {}, h('h2', {}, 'Calendar reminders'),
    h('p', {}, 'Add your sessions (and sitting-break reminders on weekdays) to any calendar app.'),
    h('div', { class: 'field' }, h('label', { for: timeId }, 'Time for your session'), time),
    h('div', { class: 'choice' }, breaks, h('label', { for: breaksId }, 'Sitting-break reminders')),
    link);
}

function dataSection() {
  const fileId = id('file');
  const file = h('input', { id: fileId, type: 'file', accept: 'application/json,.json' });
  const replaceId = id('replace');
  const replace = h('input', { id: replaceId, type: 'checkbox' });
  const status = h('p', { role: 'status' });
  const importButton = h('button', { type: 'button' }, 'Import');
  importButton.addEventListener('click', async () => {
    if (!file.files.length) {
      status.textContent = 'Choose a file written by hipcoach first.';
      return;
    }
    const text = await file.files[0].text();
    try {
      const r = await call('POST', `/api/v1/import?replace=${replace.checked}`, text);
      const n = r.imported;
      status.textContent = `Imported ${n.assessments} assessments, ${n.checkins} check-ins and ${n.exercise_logs} exercise entries.`;
    } catch (error) {
      status.textContent = error.message;
    }
  });
  return h('section', {}, h('h2', {}, 'Your data'),
    h('p', {}, h('a', { class: 'button', href: '/api/v1/export', download: 'hipcoach-export.json' }, 'Export everything (JSON)')),
    h('p', {}, 'Logs as spreadsheets (CSV): ',
      ['exercise_logs', 'checkins', 'outcomes', 'events'].map((n, i) => [i ? ', ' : '', h('a', { href: `/api/v1/export/${n}.csv`, download: `${n}.csv` }, idToWords(n))])),
    h('div', { class: 'field' }, h('label', { for: fileId }, 'Import an export file'), file),
    h('div', { class: 'choice' }, replace, h('label', { for: replaceId }, 'Replace my data with the file\'s data')),
    importButton, status,
    h('p', {}, h('a', { class: 'button', href: '/api/v1/report', target: '_blank', rel: 'noopener' }, 'Report for your physiotherapist (print)'),
      ' ', h('a', { class: 'button', href: '#/print/programme' }, 'Print the programme')));
}

async function sharingSection(nav) {
  const links = (await get('/api/v1/links')).links;
  const codeOut = h('p', { role: 'status', class: 'code' });
  const newCode = h('button', { type: 'button' }, 'Make a code for my physiotherapist');
  newCode.addEventListener('click', async () => {
    try {
      const r = await post('/api/v1/share-codes');
      codeOut.textContent = `Code: ${r.code} (works once, until ${isoDay(r.expires_at)})`;
    } catch (error) {
      codeOut.textContent = error.message;
    }
  });
  return h('section', { id: 'sharing' }, h('h2', {}, 'Share with a physiotherapist'),
    h('p', {}, 'A physiotherapist with a hipcoach clinician account can see your report and progress, and adjust your programme (every change is shown to you with who and why). You can stop this at any time.'),
    newCode, codeOut,
    links.length ? h('ul', {}, links.map((l) => h('li', {}, `${l.clinician} since ${isoDay(l.created_at)}`,
      l.revoked_at ? ` (stopped ${isoDay(l.revoked_at)})`
        : [' ', h('button', { type: 'button', class: 'link-button', onclick: async () => { await del(`/api/v1/links/${l.id}`); render(nav, currentStatus()); } }, `Stop sharing with ${l.clinician}`)]))) : null);
}

function accountSection(status) {
  const pwId = id('pw');
  const pw = h('input', { id: pwId, type: 'password', autocomplete: 'current-password' });
  const msg = h('p', { role: 'status' });
  const remove = h('button', { type: 'button', class: 'danger' }, 'Delete my account and all my data');
  remove.addEventListener('click', async () => {
    try {
      await del('/api/v1/account', { password: pw.value });
      setSession(null, null);
      window.location.hash = '#/account';
      window.location.reload();
    } catch (error) {
      msg.textContent = error.message;
    }
  });
  const signOut = h('button', { type: 'button' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    await post('/api/v1/account/logout');
    window.location.hash = '#/account';
    window.location.reload();
  });
  return h('section', {}, h('h2', {}, 'Account'), h('p', {}, `Signed in as ${status.account.username}.`), signOut,
    h('h3', {}, 'Delete account'), h('p', {}, 'This deletes your account and everything stored for you. It cannot be undone.'),
    h('div', { class: 'field' }, h('label', { for: pwId }, 'Your password, to confirm'), pw), remove, msg);
}

export async function render(nav, status) {
  const sections = [];
  if (!status.account || status.account.role === 'person') sections.push(calendarSection(), dataSection());
  if (status.account) {
    try {
      if (status.account.role === 'person') sections.push(await sharingSection(nav));
    } catch (error) {
      sections.push(errorBox(error));
    }
    sections.push(accountSection(status));
  } else {
    sections.push(h('section', {}, h('h2', {}, 'Privacy'), h('p', {}, 'Personal mode: no account, and nothing leaves this computer. Your data is in one file on this computer.')));
  }
  nav.show(h('h1', {}, 'Settings'), sections);
}
