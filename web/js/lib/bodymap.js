// A front and back body map for body_location questions. Each region is a shape the person can
// click or reach with Tab and toggle with Space or Enter; a plain checkbox list underneath gives
// the same choices. Region ids: docs/knowledge-schema.md. Drawn for hipcoach (CC0).
import { h } from './components.js';

// Shapes per view; each region appears on both sides of the body where it has two.
const FRONT = {
  tummy: ['M82 128 L118 128 L120 156 L80 156 Z'],
  flank: ['M66 110 L77 110 L78 146 L68 146 Z', 'M134 110 L123 110 L122 146 L132 146 Z'],
  groin: ['M88 168 L100 182 L112 168 L106 160 L94 160 Z'],
  lateral_hip: ['M62 150 Q58 165 64 178 L74 176 L74 152 Z', 'M138 150 Q142 165 136 178 L126 176 L126 152 Z'],
  front_thigh: ['M76 180 L98 186 L96 250 L80 250 Z', 'M124 180 L102 186 L104 250 L120 250 Z'],
  side_of_thigh: ['M64 182 L75 182 L79 250 L70 250 Z', 'M136 182 L125 182 L121 250 L130 250 Z'],
  between_legs: ['M95 184 L105 184 L103 196 L97 196 Z'],
  knee: ['M78 254 L96 254 L96 274 L78 274 Z', 'M104 254 L122 254 L122 274 L104 274 Z'],
  below_knee: ['M80 278 L95 278 L93 340 L82 340 Z', 'M105 278 L120 278 L118 340 L107 340 Z'],
  foot: ['M80 344 L94 344 L96 360 L74 360 Z', 'M106 344 L120 344 L126 360 L104 360 Z'],
};
const BACK = {
  flank: ['M66 110 L77 110 L76 146 L68 146 Z', 'M134 110 L123 110 L124 146 L132 146 Z'],
  lower_back: ['M78 118 L122 118 L124 146 L76 146 Z'],
  buttock: ['M72 150 L99 150 L99 182 L74 182 Z', 'M101 150 L128 150 L126 182 L101 182 Z'],
  lateral_hip: ['M62 150 Q58 165 64 178 L72 178 L72 152 Z', 'M138 150 Q142 165 136 178 L128 178 L128 152 Z'],
  back_of_thigh: ['M76 186 L98 186 L96 250 L80 250 Z', 'M124 186 L102 186 L104 250 L120 250 Z'],
  side_of_thigh: ['M64 182 L75 182 L79 250 L70 250 Z', 'M136 182 L125 182 L121 250 L130 250 Z'],
  knee: ['M78 254 L96 254 L96 274 L78 274 Z', 'M104 254 L122 254 L122 274 L104 274 Z'],
  below_knee: ['M80 278 L95 278 L93 340 L82 340 Z', 'M105 278 L120 278 L118 340 L107 340 Z'],
  foot: ['M82 344 L94 344 L94 358 L80 358 Z', 'M106 344 L118 344 L120 358 L106 358 Z'],
};

// The outline of a standing person, 200 x 370.
const OUTLINE = 'M100 8 a18 18 0 1 1 -0.1 0 Z M88 46 L112 46 L114 56 Q140 60 146 76 L156 150 '
  + 'L146 152 L136 92 L132 150 Q142 168 136 182 L130 254 L122 340 L126 362 L104 362 L102 256 L100 196 '
  + 'L98 256 L96 362 L74 362 L78 340 L70 254 L64 182 Q58 168 68 150 L64 92 L54 152 L44 150 L54 76 '
  + 'Q60 60 86 56 Z';

function view(title, shapes, choices, selected, toggle) {
  const svg = h('svg:svg', { viewBox: '0 0 200 370', class: 'bodymap-view', role: 'group', 'aria-label': title },
    h('svg:title', {}, title),
    h('svg:path', { d: OUTLINE, class: 'outline' }));
  for (const [region, paths] of Object.entries(shapes)) {
    const choice = choices.find((c) => c.id === region);
    if (!choice) continue;
    const group = h('svg:g', {
      class: 'region', tabindex: '0', role: 'checkbox', 'data-region': region,
      'aria-checked': String(selected.has(region)), 'aria-label': `${choice.text} (${title.toLowerCase()})`,
    }, h('svg:title', {}, choice.text), paths.map((d) => h('svg:path', { d })));
    group.addEventListener('click', () => toggle(region));
    group.addEventListener('keydown', (event) => {
      if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
        toggle(region);
      }
    });
    svg.append(group);
  }
  return svg;
}

// Returns {element, value()} for a body_location question; `initial` is a list of region ids.
export function bodyMap(choices, initial = []) {
  const selected = new Set(initial);
  const list = h('fieldset', { class: 'choices' }, h('legend', {}, 'Or tick the areas'));
  const boxes = new Map();
  const sync = () => {
    for (const el of wrapper.querySelectorAll('.region')) {
      el.setAttribute('aria-checked', String(selected.has(el.dataset.region)));
    }
    for (const [region, box] of boxes) box.checked = selected.has(region);
  };
  const toggle = (region) => {
    if (selected.has(region)) selected.delete(region);
    else selected.add(region);
    sync();
  };
  for (const choice of choices) {
    const boxId = `region-${choice.id}`;
    const box = h('input', { type: 'checkbox', id: boxId, value: choice.id, checked: selected.has(choice.id) });
    box.addEventListener('change', () => {
      if (box.checked) selected.add(choice.id);
      else selected.delete(choice.id);
      sync();
    });
    boxes.set(choice.id, box);
    list.append(h('div', { class: 'choice' }, box, h('label', { for: boxId }, choice.text)));
  }
  const wrapper = h('div', { class: 'bodymap' },
    h('div', { class: 'bodymap-views' },
      h('figure', {}, view('Front', FRONT, choices, selected, toggle), h('figcaption', {}, 'Front')),
      h('figure', {}, view('Back', BACK, choices, selected, toggle), h('figcaption', {}, 'Back'))),
    list);
  return { element: wrapper, value: () => choices.map((c) => c.id).filter((c) => selected.has(c)) };
}
