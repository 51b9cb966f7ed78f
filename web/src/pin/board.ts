/**
 * The sensor and the stage the figure sits on, with three ways to place the sensor:
 *  - drag it (pointer events: mouse, pen and touch) and drop it on the body;
 *  - click or tap it, then click or tap the body (the single-pointer alternative to dragging, WCAG 2.5.7);
 *  - keyboard: focus the figure, move the crosshair with the arrow keys (Shift: bigger steps), Enter or Space.
 * The board only reports normalised picture points; the page decides whether placing is allowed now.
 */
import { h, s } from '../ui/dom';
import { CROSSHAIR_START, isCrosshairKey, moveCrosshair } from './crosshair';
import type { Figure } from './figure';
import { clientToPicture, onPicture, type Point } from './geometry';

export interface BoardOptions {
  figure: Figure;
  /** Asked before the sensor is picked up; false means "not now" (the page says why). */
  canPick(): boolean;
  /** Places the sensor at a normalised point on the picture; false when the page refused it. */
  place(p: Point): boolean;
  /** A short hint for the page's live region. */
  hint(text: string): void;
  /** Words for a crosshair position (for screen readers). */
  describe(p: Point): string;
}

/** Pointer movement (px) before a press on the sensor counts as a drag rather than a click. */
export const DRAG_THRESHOLD = 6;

export class Board {
  readonly sensor: HTMLButtonElement;
  readonly stage: HTMLDivElement;
  readonly position: HTMLElement;
  private readonly sensorName: HTMLElement;
  private ghost: HTMLElement | null = null;
  private armed = false;
  private enabled = true;
  private crosshair: Point = { ...CROSSHAIR_START };
  private crosshairShown = false;
  private press: { id: number; x: number; y: number; dragging: boolean } | null = null;
  private suppressClick = false;
  private lastPointerDown = 0;
  private describeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: BoardOptions) {
    this.sensorName = h('span', { class: 'pin-sensor-name' }, 'Sensor');
    this.sensor = h(
      'button',
      { type: 'button', class: 'pin-sensor', 'aria-pressed': 'false', 'aria-describedby': 'pin-place-help' },
      sensorIcon(),
      h('span', { class: 'pin-sensor-text' }, this.sensorName, h('span', { class: 'pin-sensor-state' }, 'Drag me, or click me then the body')),
    );
    this.position = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'pin-crosshair-position' });
    this.stage = h(
      'div',
      {
        class: 'pin-stage',
        tabindex: '0',
        role: 'application',
        'aria-roledescription': 'body map',
        'aria-label': 'Body map: arrow keys move the crosshair, Enter places the sensor',
        'aria-describedby': 'pin-place-help',
      },
      options.figure.svg,
    );
    this.wireSensor();
    this.wireStage();
  }

  /** Updates the sensor's name ("Dexcom G7 sensor"). */
  setSensorName(name: string): void {
    this.sensorName.textContent = name;
  }

  /** Allows or stops placing (stopped between the drop and the next round). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.sensor.disabled = !enabled;
    this.stage.dataset['enabled'] = String(enabled);
    if (!enabled) this.disarm();
  }

  /** Picks the sensor up (click-then-click mode): the next click on the body places it. */
  arm(): void {
    this.armed = true;
    this.sensor.setAttribute('aria-pressed', 'true');
    this.stage.dataset['armed'] = 'true';
    this.setSensorState('Picked up: now click the body');
  }

  disarm(): void {
    this.armed = false;
    this.sensor.setAttribute('aria-pressed', 'false');
    delete this.stage.dataset['armed'];
    this.setSensorState(this.enabled ? 'Drag me, or click me then the body' : 'Placed');
  }

  get isArmed(): boolean {
    return this.armed;
  }

  /** Focuses the figure and shows the crosshair (keyboard play). */
  focusStage(): void {
    this.stage.focus();
    this.showCrosshair(true);
  }

  /** Back to the start of a round. */
  reset(): void {
    this.crosshair = { ...CROSSHAIR_START };
    this.setEnabled(true);
    this.disarm();
    if (this.crosshairShown) this.options.figure.setCrosshair(this.crosshair);
  }

  /** The figure was redrawn: put the crosshair back if it was showing. */
  refreshCrosshair(): void {
    this.options.figure.setCrosshair(this.crosshairShown ? this.crosshair : null);
  }

  private setSensorState(text: string): void {
    const state = this.sensor.querySelector('.pin-sensor-state');
    if (state) state.textContent = text;
  }

  private showCrosshair(show: boolean): void {
    this.crosshairShown = show;
    this.options.figure.setCrosshair(show ? this.crosshair : null);
  }

  private pointOnFigure(clientX: number, clientY: number): Point {
    return clientToPicture(clientX, clientY, this.options.figure.svg.getBoundingClientRect());
  }

  private wireSensor(): void {
    const sensor = this.sensor;
    sensor.addEventListener('pointerdown', (event) => {
      if (!this.enabled || !event.isPrimary || event.button !== 0) return;
      this.press = { id: event.pointerId, x: event.clientX, y: event.clientY, dragging: false };
      sensor.setPointerCapture?.(event.pointerId);
    });
    sensor.addEventListener('pointermove', (event) => {
      const press = this.press;
      if (!press || press.id !== event.pointerId) return;
      if (!press.dragging) {
        if (Math.hypot(event.clientX - press.x, event.clientY - press.y) < DRAG_THRESHOLD) return;
        if (!this.options.canPick()) {
          this.endPress(event.pointerId);
          this.suppressNextClick();
          return;
        }
        press.dragging = true;
        this.startGhost();
      }
      event.preventDefault();
      this.moveGhost(event.clientX, event.clientY);
      this.stage.dataset['drop'] = onPicture(this.pointOnFigure(event.clientX, event.clientY)) ? 'over' : 'away';
    });
    sensor.addEventListener('pointerup', (event) => {
      const press = this.press;
      if (!press || press.id !== event.pointerId) return;
      this.endPress(event.pointerId);
      if (!press.dragging) return;
      this.suppressNextClick();
      const p = this.pointOnFigure(event.clientX, event.clientY);
      if (onPicture(p)) {
        this.disarm();
        this.options.place(p);
      } else {
        this.options.hint('The sensor landed outside the body picture. Drag it onto the body, or click it and then click the body.');
      }
    });
    sensor.addEventListener('pointercancel', (event) => this.endPress(event.pointerId));
    sensor.addEventListener('click', (event) => {
      if (this.suppressClick) {
        this.suppressClick = false;
        return;
      }
      if (!this.enabled) return;
      if (this.armed) {
        this.disarm();
        this.options.hint('Sensor put back.');
        return;
      }
      if (!this.options.canPick()) return;
      this.arm();
      // From the keyboard (detail 0), carry on at the figure with the crosshair.
      if (event.detail === 0) {
        this.focusStage();
        this.options.hint('Sensor picked up. Move the crosshair with the arrow keys and press Enter to place it.');
      } else {
        this.options.hint('Sensor picked up. Now click or tap the spot on the body.');
      }
    });
    sensor.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.armed) this.disarm();
    });
  }

  /**
   * A drag ends with a pointerup that may be followed by a click on the sensor (when the press began and ended on
   * it): that click must not pick the sensor up again. Browsers send it in the same task, so the flag only lives
   * until the next one.
   */
  private suppressNextClick(): void {
    this.suppressClick = true;
    setTimeout(() => {
      this.suppressClick = false;
    }, 0);
  }

  private endPress(pointerId: number): void {
    if (this.sensor.hasPointerCapture?.(pointerId)) this.sensor.releasePointerCapture(pointerId);
    this.press = null;
    this.ghost?.remove();
    this.ghost = null;
    delete this.stage.dataset['drop'];
    this.sensor.classList.remove('pin-sensor--dragging');
  }

  private startGhost(): void {
    this.ghost = h('div', { class: 'pin-ghost', 'aria-hidden': 'true' }, sensorIcon());
    document.body.append(this.ghost);
    this.sensor.classList.add('pin-sensor--dragging');
  }

  private moveGhost(x: number, y: number): void {
    if (this.ghost) this.ghost.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }

  private wireStage(): void {
    const stage = this.stage;
    stage.addEventListener('pointerdown', () => {
      this.lastPointerDown = Date.now();
    });
    stage.addEventListener('focus', () => {
      // Keyboard focus shows the crosshair; a click on the figure does not.
      if (Date.now() - this.lastPointerDown > 300) this.showCrosshair(true);
    });
    stage.addEventListener('blur', () => this.showCrosshair(false));
    stage.addEventListener('click', (event) => {
      if (!this.enabled) return;
      if (!this.armed) {
        if (this.options.canPick()) this.options.hint('First pick up the sensor: drag it here, or click it and then click the body.');
        return;
      }
      const p = this.pointOnFigure(event.clientX, event.clientY);
      if (!onPicture(p)) return;
      this.disarm();
      this.options.place(p);
    });
    stage.addEventListener('keydown', (event) => {
      if (isCrosshairKey(event.key)) {
        event.preventDefault();
        this.crosshair = moveCrosshair(this.crosshair, event.key, event.shiftKey);
        this.showCrosshair(true);
        this.announcePosition();
        return;
      }
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        this.showCrosshair(true);
        if (!this.enabled) return;
        if (!this.options.canPick()) return;
        this.disarm();
        this.options.place({ ...this.crosshair });
        return;
      }
      if (event.key === 'Escape' && this.armed) {
        this.disarm();
        this.options.hint('Sensor put back.');
      }
    });
  }

  private announcePosition(): void {
    clearTimeout(this.describeTimer);
    this.describeTimer = setTimeout(() => {
      this.position.textContent = this.options.describe(this.crosshair);
    }, 350);
  }
}

/** A round sensor patch with its centre, as on the Dexcom G7 and Stelo. */
export function sensorIcon(): SVGSVGElement {
  return s(
    'svg',
    { viewBox: '0 0 48 48', class: 'pin-sensor-icon', 'aria-hidden': 'true', focusable: 'false' },
    s('circle', { cx: 24, cy: 24, r: 21, class: 'pin-sensor-patch' }),
    s('circle', { cx: 24, cy: 24, r: 13, class: 'pin-sensor-shell' }),
    s('circle', { cx: 24, cy: 24, r: 5, class: 'pin-sensor-core' }),
  );
}
