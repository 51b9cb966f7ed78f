/**
 * The play screen's DOM: the round bar (meal, timer, Pause, Serve), the plate, "On your plate", the food tray,
 * the pause overlay and "End game". The game (game.ts) owns the state and passes its handlers in.
 */
import type { PlateFood, Section } from '../../api/plate';
import { h } from '../../ui/dom';
import { PlateBoard } from './board';
import { makeDraggable } from './drag';
import { PlateItemList } from './items';
import { isSection } from './state';
import { FoodTray } from './tray';

export interface PlayHandlers {
  relaxed: boolean;
  search: (query: string, signal: AbortSignal) => Promise<PlateFood[]>;
  onActivate: (section: Section, byKeyboard: boolean) => void;
  onPick: (food: PlateFood, byKeyboard: boolean) => void;
  onDrop: (food: PlateFood, section: Section) => void;
  onNudge: (key: number, steps: number) => void;
  onSetGrams: (key: number, grams: number) => void;
  onRemove: (key: number) => void;
  onPause: () => void;
  onResume: () => void;
  onServe: () => void;
  onPutBack: () => void;
  onEnd: () => void;
}

export interface PlayView {
  root: HTMLElement;
  board: PlateBoard;
  tray: FoodTray;
  list: PlateItemList;
  title: HTMLElement;
  kicker: HTMLElement;
  timer: HTMLElement;
  timerFill: HTMLElement;
  pause: HTMLButtonElement;
  resume: HTMLButtonElement;
  serve: HTMLButtonElement;
  note: HTMLElement;
  pickHint: HTMLElement;
  pickText: HTMLElement;
  /** What the pause hides and freezes (made `inert`). */
  playfield: HTMLElement[];
  overlay: HTMLElement;
}

export function buildPlayView(on: PlayHandlers): PlayView {
  const relaxed = on.relaxed;
  const board = new PlateBoard({ interactive: true, onActivate: on.onActivate });
  const tray = new FoodTray({
    search: on.search,
    onPick: on.onPick,
    onCard: (card, food) => {
      makeDraggable(card, {
        payload: () => food,
        targetAt: (x, y) => board.sectionAt(x, y),
        onOver: (target) => board.setHover(target && isSection(target) ? target : null),
        onDrop: (target, dropped) => {
          if (isSection(target)) on.onDrop(dropped, target);
        },
        onStart: () => board.svg.classList.add('is-drag-active'),
        onEnd: () => board.svg.classList.remove('is-drag-active'),
        touchHandle: '.food-card-grip',
      });
    },
  });
  const list = new PlateItemList({ onNudge: on.onNudge, onSetGrams: on.onSetGrams, onRemove: on.onRemove });

  const kicker = h('p', { class: 'round-kicker' });
  const title = h('h1', { id: 'page-title', class: 'round-title', tabindex: '-1' });
  const timerFill = h('span', { class: 'timer-fill' });
  const timer = h('span', { class: 'timer-value' });
  const timerBox = relaxed
    ? h('div', { class: 'round-timer round-timer--relaxed' }, h('span', { class: 'timer-value' }, 'Relaxed'), h('span', { class: 'timer-note' }, 'No timer · not scored'))
    : h('div', { class: 'round-timer', role: 'timer', 'aria-label': 'Time left for this plate' }, timer, h('span', { class: 'timer-bar', 'aria-hidden': 'true' }, timerFill));
  const pause = h('button', { type: 'button', class: 'button button--secondary button--small', id: 'plate-pause', 'aria-pressed': 'false' }, 'Pause');
  pause.hidden = relaxed;
  pause.addEventListener('click', on.onPause);
  const serve = h('button', { type: 'button', class: 'button button--primary button--small', id: 'plate-serve' }, 'Serve');
  serve.addEventListener('click', on.onServe);
  const note = h('p', { class: 'serve-note', role: 'status' });

  const putBack = h('button', { type: 'button', class: 'link-button' }, 'Put it back');
  putBack.addEventListener('click', on.onPutBack);
  const pickText = h('span', { class: 'pick-text' });
  const pickHint = h('p', { class: 'pick-hint', hidden: true }, pickText, ' ', putBack);

  const resume = h('button', { type: 'button', class: 'button button--primary', id: 'plate-resume' }, 'Resume');
  resume.addEventListener('click', on.onResume);
  const overlay = h(
    'div',
    { class: 'pause-overlay', hidden: true, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'plate-paused-title' },
    h(
      'div',
      { class: 'pause-card' },
      h('h2', { id: 'plate-paused-title' }, 'Paused'),
      h('p', undefined, 'The clock has stopped. The time bonus still counts the whole game.'),
      resume,
    ),
  );

  const boardWrap = h('div', { class: 'board-wrap' }, board.svg);
  const end = h('button', { type: 'button', class: 'link-button', id: 'plate-end' }, 'End game');
  end.addEventListener('click', on.onEnd);
  const endRow = h('p', { class: 'play-end' }, relaxed ? 'Relaxed game: nothing is sent to the leaderboard. ' : '', end);

  // One grid: on wide screens the bar spans both columns, the plate and its list fill the left one and the tray the
  // right one; on narrow screens the bar and the plate stay on screen (sticky) while the list and tray scroll.
  const root = h(
    'div',
    { class: `plate-play${relaxed ? ' plate-play--relaxed' : ''}` },
    h(
      'div',
      { class: 'play-stage' },
      h('div', { class: 'round-bar' }, h('div', { class: 'round-info' }, kicker, title), timerBox, h('div', { class: 'round-actions' }, pause, serve)),
      note,
      boardWrap,
    ),
    pickHint,
    list.el,
    tray.el,
    endRow,
    overlay,
  );
  const playfield = [boardWrap, pickHint, list.el, tray.el, endRow];
  return { root, board, tray, list, title, kicker, timer, timerFill, pause, resume, serve, note, pickHint, pickText, playfield, overlay };
}
