// The listener's details: reading and restoring them, the note counter, and the checks the page
// makes before sending (the same rules as the server, said in the listener's language).
import { t } from './i18n.js';

export const NAME_MAX = 80;
export const NOTE_MAX = 2000;
export const TOPIC_MAX = 100;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

const length = (text) => [...text].length;

export function createDetailsForm(doc = document) {
  const el = {
    name: doc.getElementById('name'),
    email: doc.getElementById('email'),
    message: doc.getElementById('message'),
    counter: doc.getElementById('message-counter'),
    consent: doc.getElementById('consent'),
    consentText: doc.getElementById('consent-text'),
    newsletter: doc.getElementById('newsletter'),
    newsletterText: doc.getElementById('newsletter-text'),
    topic: doc.getElementById('topic'),
    topicLine: doc.getElementById('topic-line'),
    website: doc.getElementById('website'),
    summary: doc.getElementById('form-errors'),
    summaryList: doc.getElementById('form-errors-list'),
  };
  const fieldErrors = {
    name: doc.getElementById('name-error'),
    email: doc.getElementById('email-error'),
    message: doc.getElementById('message-error'),
    consent: doc.getElementById('consent-error'),
    audio: doc.getElementById('audio-error'),
  };
  let topic = '';

  function renderCounter() {
    el.counter.textContent = t('noteCounter', { count: length(el.message.value), max: NOTE_MAX });
  }
  el.message.addEventListener('input', renderCounter);

  function clearError(field) {
    const target = el[field];
    target?.removeAttribute('aria-invalid');
    fieldErrors[field].textContent = '';
    fieldErrors[field].hidden = true;
  }
  for (const field of ['name', 'email', 'message']) {
    el[field].addEventListener('input', () => clearError(field));
  }
  el.consent.addEventListener('change', () => clearError('consent'));

  return {
    elements: el,

    /** The text parts as the API expects them (consent is sent only when ticked). */
    values() {
      return {
        name: el.name.value,
        email: el.email.value,
        message: el.message.value,
        topic,
        consent: el.consent.checked,
        newsletter: el.newsletter.checked,
        website: el.website.value,
      };
    },

    restore(fields) {
      for (const key of ['name', 'email', 'message']) {
        if (typeof fields?.[key] === 'string') el[key].value = fields[key];
      }
      renderCounter();
    },

    setTopic(value) {
      topic = [...(value ?? '').replace(/\s+/g, ' ').trim()].slice(0, TOPIC_MAX).join('');
      el.topic.value = topic;
      el.topicLine.hidden = !topic;
      this.render();
    },

    setConsentText(text, newsletterText) {
      el.consentText.textContent = text;
      el.newsletterText.textContent = newsletterText;
    },

    render() {
      renderCounter();
      if (topic) el.topicLine.textContent = t('topicLine', { topic });
    },

    /** Problems the page can see itself: [{ field, text }] in the order of the form. */
    check({ hasAudio, audioTooShort, minText, recording }) {
      const problems = [];
      if (recording) problems.push({ field: 'audio', text: t('errRecordFirst') });
      else if (!hasAudio) problems.push({ field: 'audio', text: t('errNoAudio') });
      else if (audioTooShort)
        problems.push({ field: 'audio', text: t('errTooShort', { min: minText }) });
      const name = el.name.value.replace(/\s+/g, ' ').trim();
      if (length(name) < 1 || length(name) > NAME_MAX)
        problems.push({ field: 'name', text: t('errName') });
      const email = el.email.value.trim();
      if (email && (email.length > 254 || !EMAIL.test(email))) {
        problems.push({ field: 'email', text: t('errEmail') });
      }
      if (length(el.message.value.trim()) > NOTE_MAX)
        problems.push({ field: 'message', text: t('errNote') });
      if (!el.consent.checked) problems.push({ field: 'consent', text: t('errConsent') });
      return problems;
    },

    /** Marks each field, lists the problems above the send button and moves focus there. */
    showProblems(problems) {
      for (const field of Object.keys(fieldErrors)) clearError(field);
      el.summaryList.replaceChildren();
      for (const { field, text } of problems) {
        const message = fieldErrors[field];
        message.textContent = text;
        message.hidden = false;
        el[field]?.setAttribute('aria-invalid', 'true');
        const item = doc.createElement('li');
        const link = doc.createElement('a');
        link.href = `#${field === 'audio' ? 'step-message' : field}`;
        link.textContent = text;
        link.addEventListener('click', (event) => {
          event.preventDefault();
          doc.getElementById(field === 'audio' ? 'step-message' : field)?.focus();
        });
        item.append(link);
        el.summaryList.append(item);
      }
      el.summary.hidden = problems.length === 0;
      if (problems.length) el.summary.focus();
    },

    /** A refusal from the server about one field. */
    markField(field, text) {
      if (!fieldErrors[field]) return;
      fieldErrors[field].textContent = text;
      fieldErrors[field].hidden = false;
      el[field]?.setAttribute('aria-invalid', 'true');
    },

    clearProblems() {
      for (const field of Object.keys(fieldErrors)) clearError(field);
      el.summary.hidden = true;
      el.summaryList.replaceChildren();
    },

    reset() {
      el.name.form.reset();
      el.topic.value = topic;
      this.clearProblems();
      renderCounter();
    },
  };
}
