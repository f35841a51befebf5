// hipcoach's own exercise drawings (CC0, part of the project): a few generic figures, drawn as
// simple lines, with the working muscle area highlighted. A left-side version is the same figure
// mirrored. Each exercise id maps to one figure.
import { h } from './components.js';

// Each figure: body lines (polylines), a head (circle) and a highlighted area (the glutes).
const FIGURES = {
  bridge: {
    title: 'Lying on the back, knees bent, hips lifted',
    head: [30, 92], lines: [[[40, 92], [95, 70], [120, 92], [125, 112]], [[95, 70], [112, 94], [110, 112]], [[48, 90], [70, 104]]],
    glute: [92, 74], floor: 114,
  },
  side_lying: {
    title: 'Lying on one side, knees bent, top knee lifted',
    head: [28, 88], lines: [[[38, 92], [92, 100], [118, 84], [138, 104]], [[92, 100], [120, 100], [140, 106]], [[44, 94], [40, 110]]],
    glute: [90, 96], floor: 112,
  },
  standing: {
    title: 'Standing, knees slightly bent, hips back',
    head: [80, 20], lines: [[[80, 30], [74, 64], [96, 84], [84, 112]], [[74, 64], [90, 88], [78, 112]], [[78, 38], [104, 54]]],
    glute: [72, 66], floor: 114,
  },
  kneeling: {
    title: 'Half-kneeling stretch: back knee down, front foot forward',
    head: [78, 18], lines: [[[78, 28], [78, 66], [108, 72], [110, 112]], [[78, 66], [66, 92], [40, 112]], [[78, 36], [96, 50]]],
    glute: [74, 66], floor: 114,
  },
  seated: {
    title: 'Sitting on a chair, one ankle over the other knee, leaning forward',
    head: [62, 24], lines: [[[64, 34], [76, 74], [112, 74], [112, 112]], [[76, 74], [108, 66], [118, 80]], [[66, 44], [100, 60]], [[60, 74], [120, 74]]],
    glute: [78, 72], floor: 114,
  },
  floor_stretch: {
    title: 'Lying on the back, hugging one knee towards the chest',
    head: [30, 96], lines: [[[40, 98], [96, 100], [140, 104]], [[96, 100], [86, 70], [66, 76]], [[46, 96], [80, 76]]],
    glute: [94, 98], floor: 112,
  },
  plank: {
    title: 'Plank on the forearms, body in a straight line',
    head: [28, 62], lines: [[[38, 68], [140, 94]], [[42, 70], [40, 96], [62, 96]], [[140, 94], [146, 100]]],
    glute: [96, 82], floor: 100,
  },
  quadruped: {
    title: 'On hands and knees, moving the back up and down',
    head: [30, 60], lines: [[[40, 66], [104, 64]], [[44, 68], [44, 104]], [[104, 64], [108, 104], [134, 104]]],
    glute: [102, 64], floor: 106,
  },
  roller: {
    title: 'Sitting on a foam roller, rolling the buttock slowly',
    head: [50, 34], lines: [[[52, 44], [80, 84], [118, 80], [126, 104]], [[56, 54], [40, 96]]],
    glute: [80, 86], floor: 106, roller: [82, 96],
  },
};

const EXERCISE_FIGURE = {
  bridge_hold: 'bridge', glute_bridge: 'bridge', single_leg_biased_bridge: 'bridge', hip_thrust: 'bridge',
  sit_to_stand: 'standing', double_leg_squat: 'standing', single_leg_biased_squat: 'standing', wall_sit: 'standing',
  squat: 'standing', lunge: 'kneeling', isometric_abduction_lying: 'side_lying',
  isometric_abduction_standing: 'standing', side_stepping: 'standing', band_side_slide: 'standing',
  lateral_band_walk: 'standing', clamshell: 'side_lying', side_lying_leg_lift: 'side_lying',
  seated_glute_stretch: 'seated', seated_figure_four: 'seated', pigeon_pose: 'floor_stretch',
  standing_glute_stretch: 'standing', standing_toe_reach: 'standing', hip_flexor_stretch: 'kneeling',
  dead_bug: 'floor_stretch', plank: 'plank', side_plank_knees: 'plank', russian_twist: 'seated',
  cat_cow: 'quadruped', foam_roll_glutes: 'roller', massage_ball_glutes: 'roller',
};

export function figureFor(exercise) {
  return EXERCISE_FIGURE[exercise] || 'standing';
}

// An SVG drawing for an exercise; `mirror` draws the left-side version.
export function figure(exercise, { mirror = false, label } = {}) {
  const f = FIGURES[figureFor(exercise)];
  const body = h('svg:g', { transform: mirror ? 'translate(160 0) scale(-1 1)' : null },
    h('svg:line', { x1: 8, y1: f.floor, x2: 152, y2: f.floor, class: 'fig-floor' }),
    f.roller ? h('svg:circle', { cx: f.roller[0], cy: f.roller[1], r: 9, class: 'fig-roller' }) : null,
    h('svg:ellipse', { cx: f.glute[0], cy: f.glute[1], rx: 13, ry: 9, class: 'fig-muscle' }),
    f.lines.map((points) => h('svg:polyline', { points: points.map((p) => p.join(',')).join(' '), class: 'fig-body' })),
    h('svg:circle', { cx: f.head[0], cy: f.head[1], r: 9, class: 'fig-head' }));
  return h('svg:svg', { viewBox: '0 0 160 120', class: 'figure', role: 'img', 'aria-label': label || f.title },
    h('svg:title', {}, label || f.title), body);
}
