// The start page: what hipcoach does, and where to begin or carry on.
import { get } from '../lib/api.js';
import { h } from '../lib/components.js';
import { figure } from '../lib/figures.js';

export async function render(nav, status) {
  const clinician = status.account && status.account.role === 'clinician';
  if (clinician) {
    window.location.hash = '#/clinician';
    return;
  }
  let latest = null;
  if (status.signed_in) {
    try {
      const list = await get('/api/v1/assessments');
      latest = list.assessments.length ? list.assessments[list.assessments.length - 1] : null;
    } catch {
      latest = null;
    }
  }
  const actions = [];
  if (status.mode === 'multi_user' && !status.signed_in) {
    actions.push(h('a', { class: 'button primary', href: '#/account' }, 'Sign in or create an account'));
  } else {
    actions.push(h('a', { class: 'button primary', href: '#/interview?new=1' },
      latest ? 'Answer the questions again' : 'Start: answer a few questions'));
    if (latest) {
      actions.push(h('a', { class: 'button', href: '#/programme' }, 'My programme'),
        h('a', { class: 'button', href: '#/checkin' }, 'Daily check-in'));
    }
  }
  nav.show(
    h('h1', {}, 'Hip and buttock pain from the glutes'),
    h('div', { class: 'notice', id: 'not-a-diagnosis' },
      h('strong', {}, 'Self-care guidance, not a diagnosis. '),
      'hipcoach checks for danger signs first and tells you when to see a doctor or physiotherapist.'),
    h('div', { class: 'hero' },
      figure('glute_bridge', { label: 'A person lying on their back lifting their hips' }),
      h('div', {},
        h('p', {}, 'Answer one question at a time. You get what to do now, what is probably behind the pain, and a weekly programme of exercises with timers.'),
        h('p', {}, status.mode === 'personal'
          ? 'No account. Nothing you enter leaves this computer.'
          : `Signed in${status.account ? ` as ${status.account.username}` : ''}. Only you can see your data.`))),
    latest ? h('p', { class: 'latest' }, `Your last result: ${latest.title}. `,
      h('a', { href: '#/result' }, 'See it again')) : null,
    h('div', { class: 'actions' }, actions),
    h('p', {}, h('a', { href: '#/model' }, 'Weaker glutes and the hip in walking: what the hip model computes')),
  );
}
