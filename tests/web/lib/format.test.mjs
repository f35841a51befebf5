// web/js/lib/format.js: dates, durations, doses, numbers and plural text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  shortDate, isoDay, formatSeconds, plural, rangeText, idToWords, capitalised, chanceText, roundTo,
  signedPercent, sideOrder, doseText,
} from '../../../web/js/lib/format.js';

test('shortDate gives the weekday, day and month of the calendar date, in the locale asked for', () => {
  assert.equal(shortDate('2026-01-05', 'en-GB'), 'Mon 5 Jan');
  // A timestamp counts by its date as written: late in the evening UTC is still that day, in
  // whatever time zone the test runs.
  assert.equal(shortDate('2026-03-29T23:30:00Z', 'en-GB'), 'Sun 29 Mar');
  assert.equal(shortDate('2024-02-29', 'en-GB'), 'Thu 29 Feb');
  assert.equal(shortDate('2026-01-05', 'en-US'), 'Mon, Jan 5');
});

test('isoDay keeps the date of a timestamp', () => {
  assert.equal(isoDay('2026-11-30T08:00:00Z'), '2026-11-30');
  assert.equal(isoDay('2026-11-30'), '2026-11-30');
});

test('formatSeconds shows m:ss, rounding up and never below zero', () => {
  assert.equal(formatSeconds(0), '0:00');
  assert.equal(formatSeconds(5), '0:05');
  assert.equal(formatSeconds(59.01), '1:00');
  assert.equal(formatSeconds(1.2), '0:02');
  assert.equal(formatSeconds(600), '10:00');
  assert.equal(formatSeconds(1200), '20:00');
  assert.equal(formatSeconds(-3), '0:00');
});

test('plural picks the singular for exactly one', () => {
  assert.equal(plural(1, 'set'), '1 set');
  assert.equal(plural(0, 'set'), '0 sets');
  assert.equal(plural(3, 'set'), '3 sets');
  assert.equal(plural(1, 'person', 'people'), '1 person');
  assert.equal(plural(2, 'person', 'people'), '2 people');
});

test('rangeText and the words of an id', () => {
  assert.equal(rangeText(8, 12), '8–12');
  assert.equal(rangeText(10, 10), '10');
  assert.equal(idToWords('single_leg_biased_bridge'), 'single leg biased bridge');
  assert.equal(idToWords('plank'), 'plank');
  assert.equal(capitalised('about 7 in 10'), 'About 7 in 10');
  assert.equal(capitalised(''), '');
});

test('chanceText words a probability in tenths, capped at 9 in 10', () => {
  assert.equal(chanceText(0.7), 'about 7 in 10 people with answers like yours');
  assert.equal(chanceText(0.66), 'about 7 in 10 people with answers like yours');
  assert.equal(chanceText(0.99), 'about 9 in 10 people with answers like yours');
  assert.equal(chanceText(0.05), 'about 1 in 10 people with answers like yours');
  assert.equal(chanceText(0.04), 'fewer than 1 in 10 people with answers like yours');
  assert.equal(chanceText(0), 'fewer than 1 in 10 people with answers like yours');
});

test('roundTo and signedPercent', () => {
  assert.equal(roundTo(2.345678, 2), 2.35);
  assert.equal(roundTo(3.25, 1), 3.3);
  assert.equal(roundTo(7, 1), 7);
  assert.equal(roundTo(-1.26, 1), -1.3);
  assert.equal(signedPercent(12.46), '+12.5%');
  assert.equal(signedPercent(0), '+0.0%');
  assert.equal(signedPercent(-3), '-3.0%');
});

test('sideOrder puts the less painful side first', () => {
  const perSide = { per_side: true };
  assert.deepEqual(sideOrder(perSide, 'left'), ['right', 'left']);
  assert.deepEqual(sideOrder(perSide, 'right'), ['left', 'right']);
  assert.deepEqual(sideOrder(perSide, 'both'), ['left', 'right']);
  assert.deepEqual(sideOrder(perSide, undefined), ['left', 'right']);
  assert.deepEqual(sideOrder({ per_side: false }, 'left'), ['both']);
});

test('doseText words sets, repetitions, holds, sides and times a day', () => {
  const item = { sets: 3, reps_min: 8, reps_max: 12, hold_seconds: 0, per_side: false, times_per_day: 1 };
  assert.equal(doseText(item), '3 sets of 8–12');
  assert.equal(doseText({ ...item, sets: 1, reps_min: 10, reps_max: 10 }), '1 set of 10');
  assert.equal(doseText({ ...item, hold_seconds: 30, per_side: true }), '3 sets of 8–12, hold 30 s on each side');
  assert.equal(doseText({ ...item, times_per_day: 2 }), '3 sets of 8–12, 2 times a day');
  assert.equal(doseText({ ...item, sets: 2, reps_min: 5, reps_max: 5, hold_seconds: 10, per_side: true, times_per_day: 3 }),
    '2 sets of 5, hold 10 s on each side, 3 times a day');
});
