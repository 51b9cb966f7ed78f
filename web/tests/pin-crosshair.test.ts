import { afterEach, describe, expect, it, vi } from 'vitest';
import { Board } from '../src/pin/board';
import { BIG_STEP, CROSSHAIR_START, describeCrosshair, moveCrosshair, STEP } from '../src/pin/crosshair';
import { Figure } from '../src/pin/figure';
import type { Point } from '../src/pin/geometry';
import { SITES_G7_ADULT } from './pin-fixtures';

describe('the keyboard crosshair', () => {
  it('moves by one step, the same length across and down on screen', () => {
    const p = { x: 0.5, y: 0.3 };
    const expectAt = (q: Point, x: number, y: number): void => {
      expect(q.x).toBeCloseTo(x, 4);
      expect(q.y).toBeCloseTo(y, 4);
    };
    expectAt(moveCrosshair(p, 'ArrowRight'), 0.5 + STEP, 0.3);
    expectAt(moveCrosshair(p, 'ArrowLeft'), 0.5 - STEP, 0.3);
    // Half as much in normalised y: the picture is twice as tall as it is wide.
    expectAt(moveCrosshair(p, 'ArrowDown'), 0.5, 0.3 + STEP / 2);
    expectAt(moveCrosshair(p, 'ArrowUp'), 0.5, 0.3 - STEP / 2);
  });

  it('takes big steps with Shift and stays on the picture', () => {
    expect(moveCrosshair({ x: 0.5, y: 0.5 }, 'ArrowLeft', true)).toEqual({ x: 0.5 - BIG_STEP, y: 0.5 });
    expect(moveCrosshair({ x: 0.01, y: 0.5 }, 'ArrowLeft', true)).toEqual({ x: 0, y: 0.5 });
    expect(moveCrosshair({ x: 0.5, y: 0.99 }, 'ArrowDown', true)).toEqual({ x: 0.5, y: 1 });
  });

  it('says where it is, naming the areas but not whether they are approved', () => {
    expect(describeCrosshair({ x: 0.277, y: 0.279 }, SITES_G7_ADULT, 'back')).toBe(
      'Crosshair 28% across, 28% down, on the body: Back of the upper arm (left).',
    );
    expect(describeCrosshair({ x: 0.5, y: 0.44 }, SITES_G7_ADULT, 'front')).toBe(
      'Crosshair 50% across, 44% down, on the body: Belly (abdomen), Around the navel.',
    );
    expect(describeCrosshair({ x: 0.05, y: 0.5 }, SITES_G7_ADULT, 'front')).toBe('Crosshair 5% across, 50% down, off the body.');
  });
});

describe('the board, from the keyboard', () => {
  afterEach(() => {
    document.body.replaceChildren();
    vi.useRealTimers();
  });

  function setup(allowed = true): { board: Board; figure: Figure; placed: Point[]; hints: string[] } {
    const figure = new Figure();
    figure.render({ sites: SITES_G7_ADULT, view: 'back', obstacles: [], reveal: false, audience: 'G7 adult', pin: null });
    const placed: Point[] = [];
    const hints: string[] = [];
    const board = new Board({
      figure,
      canPick: () => allowed,
      place: (p) => {
        placed.push(p);
        return true;
      },
      hint: (t) => hints.push(t),
      describe: (p) => describeCrosshair(p, SITES_G7_ADULT, 'back'),
    });
    document.body.append(board.sensor, board.stage, board.position);
    return { board, figure, placed, hints };
  }

  const key = (el: Element, k: string, shiftKey = false): void => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true, cancelable: true }));
  };

  it('moves the crosshair with the arrow keys and places the sensor with Enter', () => {
    vi.useFakeTimers();
    const { board, figure, placed } = setup();
    board.stage.focus();
    key(board.stage, 'ArrowLeft', true);
    key(board.stage, 'ArrowLeft', true);
    key(board.stage, 'ArrowLeft', true);
    key(board.stage, 'ArrowLeft', true);
    key(board.stage, 'ArrowLeft');
    key(board.stage, 'ArrowDown', true);
    key(board.stage, 'ArrowDown');
    // The crosshair is drawn where it is.
    const ring = figure.svg.querySelector('.pin-crosshair-ring');
    expect(Number(ring?.getAttribute('cx'))).toBeCloseTo((CROSSHAIR_START.x - 4 * BIG_STEP - STEP) * 400, 6);
    vi.advanceTimersByTime(400);
    expect(board.position.textContent).toMatch(/^Crosshair 29% across, 33% down, on the body: Back of the upper arm \(left\)/);
    key(board.stage, 'Enter');
    expect(placed).toHaveLength(1);
    expect(placed[0]?.x).toBeCloseTo(0.2875, 4);
    expect(placed[0]?.y).toBeCloseTo(0.3 + BIG_STEP / 2 + STEP / 2, 3);
  });

  it('does not place when the page says it is not the time (and leaves the page to explain)', () => {
    const { board, placed } = setup(false);
    key(board.stage, 'Enter');
    key(board.stage, ' ');
    expect(placed).toHaveLength(0);
  });

  it('picks the sensor up from the keyboard and moves to the figure', () => {
    const { board, figure, hints } = setup();
    board.sensor.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 0 }));
    expect(board.sensor.getAttribute('aria-pressed')).toBe('true');
    expect(document.activeElement).toBe(board.stage);
    expect(figure.svg.querySelector('.pin-crosshair-ring')).not.toBeNull();
    expect(hints.at(-1)).toMatch(/arrow keys/);
    key(board.stage, 'Escape');
    expect(board.sensor.getAttribute('aria-pressed')).toBe('false');
  });

  it('places where the body is clicked after the sensor was clicked', () => {
    const { board, figure, placed } = setup();
    figure.svg.getBoundingClientRect = () => ({ left: 0, top: 0, width: 400, height: 800, right: 400, bottom: 800, x: 0, y: 0, toJSON: () => ({}) });
    board.stage.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 110, clientY: 223, detail: 1 }));
    expect(placed).toHaveLength(0); // not picked up yet
    board.sensor.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }));
    board.stage.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 110.8, clientY: 223.2, detail: 1 }));
    expect(placed).toHaveLength(1);
    expect(placed[0]?.x).toBeCloseTo(0.277, 6);
    expect(placed[0]?.y).toBeCloseTo(0.279, 6);
    expect(board.sensor.getAttribute('aria-pressed')).toBe('false');
  });
});
