// The admin API as the inbox uses it: same-origin requests with the session cookie (the browser
// adds Origin and Sec-Fetch-Site, which the server's CSRF check reads). Errors carry the server's
// code and its localised message.
import { getLocale } from '../i18n.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

let onSignedOut = () => {};
/** Called when a request finds the session gone (401), so the page can ask to sign in again. */
export function whenSignedOut(listener) {
  onSignedOut = listener;
}

export async function request(method, path, body) {
  const headers = { accept: 'application/json', 'accept-language': getLocale() };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined || form ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(
      response.status,
      data?.error?.code ?? 'INTERNAL',
      data?.error?.message,
    );
    if (response.status === 401 && path !== '/api/session') onSignedOut(error);
    throw error;
  }
  return data;
}

const episodePath = (episode) => `/api/admin/episodes/${encodeURIComponent(episode)}`;

export const api = {
  me: () => request('GET', '/api/session'),
  signIn: (email, password) => request('POST', '/api/session', { email, password }),
  signOut: () => request('DELETE', '/api/session'),
  config: () => request('GET', '/api/config'),
  list: (query) => request('GET', `/api/admin/submissions?${new URLSearchParams(query)}`),
  get: (id) => request('GET', `/api/admin/submissions/${id}`),
  review: (id, change) => request('PATCH', `/api/admin/submissions/${id}`, change),
  retry: (id) => request('POST', `/api/admin/submissions/${id}/retry`),
  erase: (id) => request('DELETE', `/api/admin/submissions/${id}`),
  eraseByEmail: (email) => request('POST', '/api/admin/erasures', { email }),
  peaks: (id) => request('GET', `/api/admin/submissions/${id}/peaks`),
  transcript: (id) => request('GET', `/api/admin/submissions/${id}/transcript`),
  editTranscript: (id, text) => request('PUT', `/api/admin/submissions/${id}/transcript`, { text }),
  transcribe: (id) => request('POST', `/api/admin/submissions/${id}/transcribe`),
  audioUrl: (id, variant) => `/api/admin/submissions/${id}/audio/${variant}`,
  thread: (id) => request('GET', `/api/admin/submissions/${id}/thread`),
  reply: (id, form) => request('POST', `/api/admin/submissions/${id}/replies`, form),
  revokeReply: (id, replyId) =>
    request('POST', `/api/admin/submissions/${id}/replies/${replyId}/revoke`),
  replyAudioUrl: (id, replyId) => `/api/admin/submissions/${id}/replies/${replyId}/audio`,
  bundleUrl: (episode) => `/api/admin/bundle?${new URLSearchParams({ episode })}`,
  episode: (episode) => request('GET', episodePath(episode)),
  orderEpisode: (episode, ids) => request('PUT', `${episodePath(episode)}/order`, { ids }),
  renderSegment: (episode) => request('POST', `${episodePath(episode)}/segment`),
  segmentFileUrl: (episode, file) => `${episodePath(episode)}/${file}`,
  saveJingle: (slot, form) => request('PUT', `/api/admin/jingles/${slot}`, form),
  removeJingle: (slot) => request('DELETE', `/api/admin/jingles/${slot}`),
  jingleAudioUrl: (slot) => `/api/admin/jingles/${slot}/audio`,
  sendToGhost: (episode) => request('POST', `${episodePath(episode)}/newsletter`),
};
