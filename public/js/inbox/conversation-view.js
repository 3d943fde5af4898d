// A message's conversation: the team's voice replies with their state and link, the listener's
// answers, and (for the owner, where the listener left an address) the form to reply by voice.
import { dateTime, t } from '../i18n.js';
import { createVoiceCapture } from '../voice-capture.js';
import { api } from './api.js';

const $ = (id) => document.getElementById(id);
const LIVE = ['queued', 'rendering', 'sending'];

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

export function createConversationView({ canReply, announce, maxSeconds = 300 }) {
  const capture = createVoiceCapture($('d-reply-capture'), { maxSeconds });
  let submission = null;
  let poll = null;
  let ticket = 0;

  function showError(error) {
    $('d-reply-error').hidden = !error;
    $('d-reply-error').textContent = error ? (error.message ?? String(error)) : '';
  }

  function replyItem(reply, rootId) {
    const li = element('li', 'thread-item thread-reply');
    li.dataset.replyId = reply.id;
    li.dataset.state = reply.state;
    li.append(
      element(
        'p',
        'thread-head',
        t('threadReply', { who: reply.createdBy, date: dateTime(reply.createdAt) }),
      ),
    );
    if (reply.text) li.append(element('blockquote', 'reply-text', reply.text));
    if (reply.durationSeconds !== undefined) {
      const audio = element('audio');
      audio.controls = true;
      audio.preload = 'none';
      audio.src = api.replyAudioUrl(rootId, reply.id);
      li.append(audio);
    }
    const facts = [t(`reply_${reply.state}`, { error: reply.error ?? '' })];
    facts.push(
      reply.revokedAt
        ? t('replyRevoked')
        : t('replyValidUntil', { date: dateTime(reply.expiresAt) }),
    );
    li.append(element('p', 'hint thread-state', facts.join(' · ')));
    if (canReply() && !reply.revokedAt) {
      const revoke = element('button', 'button button-quiet danger', t('replyRevoke'));
      revoke.type = 'button';
      revoke.dataset.action = 'revoke';
      revoke.addEventListener('click', async () => {
        if (!window.confirm(t('replyRevokeConfirm'))) return;
        try {
          draw(await api.revokeReply(rootId, reply.id));
        } catch (error) {
          showError(error);
        }
      });
      li.append(revoke);
    }
    return li;
  }

  function answerItem(answer) {
    const li = element('li', 'thread-item thread-answer');
    li.dataset.answerId = answer.submissionId;
    li.append(
      element(
        'p',
        'thread-head',
        t('threadAnswer', { name: submission?.name ?? '', date: dateTime(answer.at) }),
      ),
    );
    if (answer.submissionId !== submission?.id) {
      const link = element('a', 'thread-open', t('openAnswer'));
      link.href = `#/s/${answer.submissionId}`;
      li.append(link);
    }
    return li;
  }

  function draw(thread) {
    const items = [];
    for (const reply of thread.replies) {
      items.push(replyItem(reply, thread.rootId));
      if (reply.answer) items.push(answerItem(reply.answer));
    }
    $('d-thread').replaceChildren(...items);
    const isAnswer = thread.rootId !== submission.id;
    $('d-thread-root').hidden = !isAnswer;
    if (isAnswer) {
      const link = element('a', '', t('openFirst'));
      link.href = `#/s/${thread.rootId}`;
      $('d-thread-root').replaceChildren(`${t('answerTo')} `, link);
    }
    const replyable = canReply() && Boolean(submission.email) && !submission.inReplyTo;
    $('d-reply-form').hidden = !replyable;
    if (replyable) $('d-reply-hint').textContent = t('replyHint', { email: submission.email });
    $('d-conversation').hidden = !replyable && items.length === 0 && !isAnswer;
    clearTimeout(poll);
    if (thread.replies.some((r) => LIVE.includes(r.state))) poll = setTimeout(reload, 2000);
  }

  async function reload() {
    if (!submission) return;
    const mine = ++ticket;
    const thread = await api.thread(submission.id).catch(() => null);
    if (mine === ticket && thread && submission) draw(thread);
  }

  $('d-reply-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!submission) return;
    if (capture.recording) return showError(t('replyStillRecording'));
    if (!capture.take) return showError(t('replyNoAudio'));
    showError(null);
    const send = $('d-reply-send');
    send.disabled = true;
    send.textContent = t('replySending');
    const form = new FormData();
    const text = $('d-reply-text').value.trim();
    if (text) form.append('text', text);
    form.append('allowAnswer', String($('d-reply-allow').checked));
    form.append('showOriginal', String($('d-reply-original').checked));
    form.append('audio', capture.take.blob, capture.take.filename);
    try {
      await api.reply(submission.id, form);
      capture.reset();
      $('d-reply-text').value = '';
      announce(t('replySent'));
      await reload();
    } catch (error) {
      showError(error);
    } finally {
      send.disabled = false;
      send.textContent = t('replySend');
    }
  });

  return {
    show(next) {
      const changed = next.id !== submission?.id;
      submission = next;
      if (changed) {
        showError(null);
        capture.reset();
        $('d-reply-text').value = '';
        $('d-thread').replaceChildren();
      }
      capture.relabel();
      if (changed) reload();
    },
    hide() {
      clearTimeout(poll);
      submission = null;
      ticket++;
    },
  };
}
