// The JSON API (docs/api.md). Every write carries the CSRF token from /api/v1/status or login.
let csrf = null;
let status = null;

export class ApiError extends Error {
  constructor(message, code, httpStatus) {
    super(message);
    this.code = code;
    this.status = httpStatus;
  }
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError('hipcoach is not answering. Is it still running?', 'offline', 0);
  }
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const error = data && data.error ? data.error : { code: 'http', message: 'Something went wrong.' };
    throw new ApiError(error.message, error.code, res.status);
  }
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path, body) => call('DELETE', path, body);

export async function loadStatus() {
  status = await get('/api/v1/status');
  csrf = status.csrf;
  return status;
}

export function currentStatus() {
  return status;
}

export function setSession(token, account) {
  csrf = token;
  if (status) {
    status.csrf = token;
    status.account = account;
    status.signed_in = Boolean(account);
  }
}
