// The podcast's accent colour, made safe to read: text on the accent is black or white, whichever
// contrasts more, and the accent used as text (links, focus rings) is darkened or lightened until it
// reaches WCAG AA against the page background. Setting custom properties through the CSSOM is
// allowed under a strict style-src; only style attributes and <style> elements are not.

// A shade just past the darkest light background in recorder.css (the tinted notices) and one
// just past the lightest dark one: accent text that reads on these reads on all of them.
const LIGHT_BACKGROUND = [235, 230, 220];
const DARK_BACKGROUND = [58, 44, 30];

export function parseHex(hex) {
  const match = /^#([0-9a-f]{6})$/i.exec(String(hex).trim());
  if (!match) return null;
  const value = parseInt(match[1], 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const toHex = (rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

export function relativeLuminance([r, g, b]) {
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a, b) {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever reads better on the colour (always at least 4.58:1). */
export function textColourOn(rgb) {
  return contrastRatio(rgb, [0, 0, 0]) >= contrastRatio(rgb, [255, 255, 255])
    ? '#000000'
    : '#ffffff';
}

/** Mixes the colour towards black (or white) until it reaches the ratio against the background. */
export function readableOn(rgb, background, ratio = 4.5) {
  const target = relativeLuminance(background) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  for (let step = 0; step <= 20; step += 1) {
    const mix = step / 20;
    const candidate = rgb.map((c, i) => c + (target[i] - c) * mix);
    if (contrastRatio(candidate, background) >= ratio) return toHex(candidate);
  }
  return toHex(target);
}

export function applyAccent(hex, root = document.documentElement) {
  const rgb = parseHex(hex);
  if (!rgb) return false;
  root.style.setProperty('--accent', toHex(rgb));
  root.style.setProperty('--on-accent', textColourOn(rgb));
  root.style.setProperty('--accent-ink-light', readableOn(rgb, LIGHT_BACKGROUND));
  root.style.setProperty('--accent-ink-dark', readableOn(rgb, DARK_BACKGROUND));
  return true;
}
