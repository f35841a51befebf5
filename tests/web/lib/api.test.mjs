// web/js/lib/api.js against a stubbed globalThis.fetch: what each call sends, how answers and
// errors map to values and ApiError, and the status cache with its CSRF token. The tests run in
// order: the module keeps the status (and its token) between them, as in the browser.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiError, call, get, post, put, del, loadStatus, currentStatus, setSession,
} from '../../../web/js/lib/api.js';

// The requests the stub saw, and what it answers next.
let requests = [];
let answer = null;

beforeEach(() => {
  requests = [];
  answer = null;
  globalThis.fetch = async (path, options) => {
    requests.push({ path, ...options });
    if (answer instanceof Error) throw answer;
    return answer();
  };
});

function json(body, status = 200) {
  return () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

function text(body, status = 200, type = 'text/plain') {
  return () => new Response(body, { status, headers: { 'Content-Type': type } });
}

test('a GET returns the JSON and sends no body and no CSRF token', async () => {
  answer = json({ questions: [1, 2] });
  assert.deepEqual(await get('/api/v1/questions'), { questions: [1, 2] });
  assert.equal(requests.length, 1);
  const [r] = requests;
  assert.equal(r.path, '/api/v1/questions');
  assert.equal(r.method, 'GET');
  assert.equal(r.body, undefined);
  assert.equal(r.credentials, 'same-origin');
  assert.deepEqual(r.headers, { Accept: 'application/json' });
});

test('an answer that is not JSON comes back as text', async () => {
  answer = text('BEGIN:VCALENDAR', 200, 'text/calendar');
  assert.equal(await get('/api/v1/calendar.ics'), 'BEGIN:VCALENDAR');
});

test('a JSON error becomes an ApiError with its code, message and HTTP status', async () => {
  answer = json({ error: { code: 'no_programme', message: 'Answer the questions first.' } }, 404);
  const error = await get('/api/v1/programme').then(() => null, (e) => e);
  assert.ok(error instanceof ApiError);
  assert.ok(error instanceof Error);
  assert.equal(error.code, 'no_programme');
  assert.equal(error.message, 'Answer the questions first.');
  assert.equal(error.status, 404);
});

test('an error without a JSON error object is "Something went wrong." with code http', async () => {
  answer = text('<html>Bad gateway</html>', 502, 'text/html');
  await assert.rejects(get('/api/v1/progress'),
    (e) => e instanceof ApiError && e.code === 'http' && e.status === 502 && e.message === 'Something went wrong.');
  answer = json({ detail: 'no error member' }, 500);
  await assert.rejects(get('/api/v1/progress'),
    (e) => e instanceof ApiError && e.code === 'http' && e.status === 500 && e.message === 'Something went wrong.');
});

test('a server that does not answer is ApiError offline with status 0', async () => {
  answer = new TypeError('fetch failed');
  await assert.rejects(post('/api/v1/checkins', { pain_now: 3 }), (e) => e instanceof ApiError
    && e.code === 'offline' && e.status === 0 && e.message === 'hipcoach is not answering. Is it still running?');
});

test('writes send JSON; a string body goes as it is; post() without a body sends {}', async () => {
  answer = json({ ok: true });
  await post('/api/v1/checkins', { pain_now: 3 });
  await call('POST', '/api/v1/import?replace=false', '{"already":"json"}');
  await post('/api/v1/account/logout');
  await put('/api/v1/sessions/4', { status: 'stopped' });
  await del('/api/v1/links/2');
  assert.deepEqual(requests.map((r) => [r.method, r.body]), [
    ['POST', '{"pain_now":3}'],
    ['POST', '{"already":"json"}'],
    ['POST', '{}'],
    ['PUT', '{"status":"stopped"}'],
    ['DELETE', undefined],
  ]);
  assert.equal(requests[0].headers['Content-Type'], 'application/json');
  assert.equal(requests[4].headers['Content-Type'], undefined);
  // No status loaded yet, so no token to send.
  assert.ok(requests.every((r) => !('X-CSRF-Token' in r.headers)));
});

test('loadStatus keeps the status, and every write then carries its CSRF token', async () => {
  assert.equal(currentStatus(), null);
  answer = json({ mode: 'multi_user', signed_in: false, account: null, csrf: 'token-1' });
  const status = await loadStatus();
  assert.equal(status.csrf, 'token-1');
  assert.equal(currentStatus(), status);
  answer = json({});
  await get('/api/v1/links');
  await post('/api/v1/links', { code: 'X' });
  await put('/api/v1/sessions/1', {});
  await del('/api/v1/links/1');
  assert.deepEqual(requests.slice(1).map((r) => [r.method, r.headers['X-CSRF-Token']]), [
    ['GET', undefined], ['POST', 'token-1'], ['PUT', 'token-1'], ['DELETE', 'token-1'],
  ]);
});

test('setSession replaces the token and the account of the cached status', async () => {
  setSession('token-2', { username: 'ann', role: 'person' });
  assert.equal(currentStatus().signed_in, true);
  assert.equal(currentStatus().account.username, 'ann');
  assert.equal(currentStatus().csrf, 'token-2');
  answer = json({});
  await post('/api/v1/share-codes');
  assert.equal(requests[0].headers['X-CSRF-Token'], 'token-2');
  setSession(null, null);
  assert.equal(currentStatus().signed_in, false);
  await post('/api/v1/account/login', {});
  assert.equal('X-CSRF-Token' in requests[1].headers, false);
});
