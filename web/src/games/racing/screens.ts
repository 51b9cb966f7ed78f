/**
 * The DOM screens over the track: the start card, the 3-2-1 countdown, the pause card, and the legend of items
 * (drawn with the same art as the game). All text goes in through text nodes.
 */
import { h } from '../../ui/dom';
import { drawItem, SPRITE_HALF } from './art-items';
import { HEALTHY_KINDS, ITEMS, SUGARY_KINDS, type ItemKind } from './items';

/** A small canvas with the item's art, for the legend (decorative: the text beside it names the item). */
export function itemIcon(kind: ItemKind, cssSize = 40): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'race-item-icon', width: cssSize * 2, height: cssSize * 2, 'aria-hidden': 'true' });
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const scale = (cssSize * 2) / (SPRITE_HALF * 2);
    ctx.scale(scale, scale);
    ctx.translate(SPRITE_HALF, SPRITE_HALF);
    drawItem(ctx, kind, false);
  }
  return canvas;
}

function legendList(kinds: readonly ItemKind[]): HTMLUListElement {
  const list = h('ul', { class: 'race-legend-list' });
  for (const kind of kinds) {
    const info = ITEMS[kind];
    const label = info.label.charAt(0).toUpperCase() + info.label.slice(1);
    list.append(h('li', undefined, itemIcon(kind), h('span', undefined, h('strong', undefined, label), h('small', undefined, info.why))));
  }
  return list;
}

/** "How to play": the two groups of items and what they do. */
export function legend(low: number, high: number): HTMLElement {
  return h(
    'section',
    { class: 'race-card race-legend', 'aria-labelledby': 'race-legend-title' },
    h('h2', { id: 'race-legend-title' }, 'How to play'),
    h('p', undefined, `Keep your glucose gauge between ${low} and ${high} mg/dL: every second in range scores double. Stay out of range for 5 seconds and you lose a life.`),
    h('h3', { class: 'race-legend-head race-legend-head--good' }, h('span', { class: 'race-legend-mark', 'aria-hidden': 'true' }, '✓'), 'Grab these: +25 and a steadier gauge'),
    legendList(HEALTHY_KINDS),
    h('h3', { class: 'race-legend-head race-legend-head--bad' }, h('span', { class: 'race-legend-mark', 'aria-hidden': 'true' }, '!'), 'Dodge these: they spike your glucose'),
    legendList(SUGARY_KINDS),
    h('p', { class: 'race-legend-tip' }, 'Tip: if your glucose runs low, a sugary snack is exactly what brings it back up — just like the 15-15 rule.'),
  );
}

/** The keys and the pit-stop rule, in a strip under the track. */
export function controlsStrip(): HTMLElement {
  const key = (text: string, label?: string): HTMLElement => h('kbd', label ? { 'aria-label': label } : undefined, text);
  return h(
    'section',
    { class: 'race-controls', 'aria-label': 'Controls' },
    h('p', undefined, key('←', 'Left arrow'), key('→', 'Right arrow'), h('span', { class: 'race-controls-or' }, 'or'), key('A'), key('D'), h('span', { class: 'race-controls-what' }, 'steer')),
    h('p', undefined, key('P'), h('span', { class: 'race-controls-or' }, 'or'), key('Esc'), h('span', { class: 'race-controls-what' }, 'pause')),
    h('p', { class: 'race-controls-pit' }, h('span', { class: 'race-chip race-chip--range' }, 'Pit stop'), 'Every 45 s (and when you lose a life) a quick quiz: right answers win a life back and +250. Signed-in players only.'),
  );
}

export interface StartScreen {
  el: HTMLElement;
  button: HTMLButtonElement;
  note: HTMLElement;
  setBusy(busy: boolean): void;
}

export function startScreen(onStart: () => void): StartScreen {
  const button = h('button', { type: 'button', class: 'button button--race race-start' }, 'Start race');
  const note = h('p', { class: 'race-start-note' });
  button.addEventListener('click', () => {
    if (!button.disabled) onStart();
  });
  const el = h(
    'div',
    { class: 'race-overlay race-overlay--start' },
    h(
      'div',
      { class: 'race-panel' },
      h('p', { class: 'race-kicker' }, 'Lights out and away we go'),
      h('h2', { class: 'race-panel-title' }, 'Ready to race?'),
      h(
        'ul',
        { class: 'race-rules' },
        h('li', undefined, h('span', { class: 'race-chip race-chip--good' }, '+25'), 'Grab healthy food and water'),
        h('li', undefined, h('span', { class: 'race-chip race-chip--bad' }, 'spike'), 'Dodge sugary snacks and soda'),
        h('li', undefined, h('span', { class: 'race-chip race-chip--range' }, '×2'), 'Stay in 70–180 mg/dL for double points'),
      ),
      button,
      note,
    ),
  );
  return {
    el,
    button,
    note,
    setBusy(busy) {
      button.disabled = busy;
      button.textContent = busy ? 'Getting on the grid…' : 'Start race';
    },
  };
}

export interface CountdownScreen {
  el: HTMLElement;
  show(text: string): void;
}

export function countdownScreen(): CountdownScreen {
  const number = h('p', { class: 'race-count', 'aria-hidden': 'true' });
  const el = h('div', { class: 'race-overlay race-overlay--count', hidden: true }, number);
  return {
    el,
    show(text) {
      number.textContent = text;
      // Restart the pop animation for each number.
      number.classList.remove('race-count--pop');
      void number.offsetWidth;
      number.classList.add('race-count--pop');
    },
  };
}

export interface PauseScreen {
  el: HTMLElement;
  resume: HTMLButtonElement;
  update(summary: string, warning: string | null): void;
}

export function pauseScreen(onResume: () => void, onEnd: () => void): PauseScreen {
  const resume = h('button', { type: 'button', class: 'button button--race' }, 'Resume');
  const end = h('button', { type: 'button', class: 'button button--ghost-dark' }, 'End race');
  resume.addEventListener('click', onResume);
  end.addEventListener('click', onEnd);
  const summary = h('p', { class: 'race-pause-summary' });
  const warning = h('p', { class: 'race-pause-warning', hidden: true });
  const el = h(
    'div',
    { class: 'race-overlay race-overlay--pause', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'race-pause-title', hidden: true },
    h(
      'div',
      { class: 'race-panel' },
      h('h2', { class: 'race-panel-title', id: 'race-pause-title' }, 'Paused'),
      summary,
      warning,
      h('div', { class: 'race-panel-actions' }, resume, end),
      h('p', { class: 'race-hint' }, 'Press P or Esc to resume.'),
    ),
  );
  return {
    el,
    resume,
    update(text, warn) {
      summary.textContent = text;
      warning.textContent = warn ?? '';
      warning.hidden = warn === null;
    },
  };
}
