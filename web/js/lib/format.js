// Text for people: dates, durations, doses, numbers and plurals. Pure functions of their
// arguments (no DOM), so the node tests (tests/web/lib/format.test.mjs) run them as they are.

// ---- Dates

// "2026-01-05" (or a timestamp starting with it) -> "Mon 5 Jan" in the browser's language. The
// date is read as noon local time, so no time zone moves it to another day.
export function shortDate(iso, locale = undefined) {
  const d = new Date(`${isoDay(iso)}T12:00:00`);
  return d.toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short' });
}

// "2026-01-05T08:30:00Z" -> "2026-01-05".
export function isoDay(timestamp) {
  return String(timestamp).slice(0, 10);
}

// Seconds left on a timer -> "m:ss", rounded up (1.2 s left shows 0:02), never negative.
export function formatSeconds(total) {
  const s = Math.max(0, Math.ceil(total));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// ---- Plurals and words

// plural(1, 'set') -> "1 set"; plural(3, 'set') -> "3 sets"; plural(2, 'person', 'people').
export function plural(count, singular, pluralForm = `${singular}s`) {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

// "from 8 to 12" as "8–12", or "10" when both ends are the same.
export function rangeText(min, max) {
  return min === max ? `${min}` : `${min}–${max}`;
}

// A knowledge id as words: "single_leg_bridge" -> "single leg bridge".
export function idToWords(id) {
  return String(id).replace(/_/g, ' ');
}

export function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// "about 7 in 10 people with answers like yours", as the core words a cause's chance
// (inference.cpp); for results stored before causes carried their chance in words.
export function chanceText(probability) {
  const tenths = Math.round(Math.min(probability, 0.9) * 10);
  return tenths < 1 ? 'fewer than 1 in 10 people with answers like yours'
    : `about ${tenths} in 10 people with answers like yours`;
}

// ---- Numbers

// roundTo(2.345, 2) -> 2.35 (a number, for charts and tables).
export function roundTo(value, places) {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

// A change in percent with its sign and one decimal: "+12.5%", "-3.0%", "+0.0%".
export function signedPercent(value) {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
}

// ---- Doses

// The order of sides for an exercise done on each side: the less painful side first. An exercise
// for both sides at once has the one side 'both'.
export function sideOrder(item, painfulSide) {
  if (!item.per_side) return ['both'];
  return painfulSide === 'left' ? ['right', 'left'] : ['left', 'right'];
}

// A programme item's dose: "3 sets of 8–12, hold 5 s on each side, 2 times a day".
export function doseText(item) {
  const hold = item.hold_seconds > 0 ? `, hold ${item.hold_seconds} s` : '';
  const sets = `${plural(item.sets, 'set')} of ${rangeText(item.reps_min, item.reps_max)}${hold}`;
  return `${sets}${item.per_side ? ' on each side' : ''}${item.times_per_day > 1 ? `, ${item.times_per_day} times a day` : ''}`;
}
