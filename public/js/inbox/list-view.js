// The list of messages: one link per message with its name, date, length, topic, the start of the
// note, its states and a small waveform. Built with DOM calls (text is never parsed as HTML).
import { clock, dateTime, t } from '../i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The 48-point preview as bars in an SVG (presentation attributes, allowed by a strict CSP). */
function miniWaveform(preview) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${preview.length * 3} 24`);
  svg.setAttribute('class', 'mini-wave');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  preview.forEach((value, i) => {
    const height = Math.max(1, value * 22);
    const bar = document.createElementNS(SVG, 'rect');
    bar.setAttribute('x', String(i * 3));
    bar.setAttribute('y', String((24 - height) / 2));
    bar.setAttribute('width', '2');
    bar.setAttribute('height', String(height));
    svg.append(bar);
  });
  return svg;
}

export function reviewLabel(item) {
  return item.review === 'used'
    ? t('review_used', { episode: item.episode ?? '' })
    : t(`review_${item.review}`);
}

function row(item, selected) {
  const li = element('li', 'list-item');
  const link = element('a', `row review-${item.review} processing-${item.processing}`);
  link.href = `#/s/${item.id}`;
  link.dataset.id = item.id;
  if (selected) link.setAttribute('aria-current', 'true');
  const head = element('span', 'row-head');
  head.append(element('span', 'row-name', item.name));
  if (item.starred) {
    const star = element('span', 'row-star', '★');
    star.title = t('starred');
    head.append(star);
  }
  const meta = [dateTime(item.receivedAt)];
  if (item.answerTo) meta.unshift(t('listAnswer'));
  if (item.durationSeconds) meta.push(clock(item.durationSeconds));
  if (item.topic) meta.push(item.topic);
  if (item.episode) meta.push(item.episode);
  link.append(head, element('span', 'row-meta', meta.join(' · ')));
  if (item.messagePreview) link.append(element('span', 'row-note', item.messagePreview));
  if (item.transcript?.firstLine)
    link.append(element('span', 'row-transcript', item.transcript.firstLine));
  const states = element('span', 'row-states');
  states.append(element('span', `badge badge-${item.review}`, reviewLabel(item)));
  if (item.processing !== 'ready') {
    states.append(
      element(
        'span',
        `badge badge-${item.processing}`,
        t(`processing_${item.processing}`, { error: '' }).replace(/:\s*$/, ''),
      ),
    );
  }
  link.append(states);
  if (item.peaksPreview?.length) link.append(miniWaveform(item.peaksPreview));
  li.append(link);
  return li;
}

export function renderList(list, items, selectedId) {
  list.replaceChildren(...items.map((item) => row(item, item.id === selectedId)));
}
