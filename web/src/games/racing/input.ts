/**
 * Steering input: arrow keys or A/D on the focused track, and held on-screen buttons (pointer events) on touch
 * screens. `steer` is -1 (left), 0 or 1 (right); pressing both directions cancels out.
 */

const LEFT_KEYS = new Set(['ArrowLeft', 'a', 'A']);
const RIGHT_KEYS = new Set(['ArrowRight', 'd', 'D']);
const PAUSE_KEYS = new Set(['p', 'P', 'Escape']);

export type KeyAction = 'left' | 'right' | 'pause' | null;

export function keyAction(key: string): KeyAction {
  if (LEFT_KEYS.has(key)) return 'left';
  if (RIGHT_KEYS.has(key)) return 'right';
  if (PAUSE_KEYS.has(key)) return 'pause';
  return null;
}

export class SteeringInput {
  private keyLeft = false;
  private keyRight = false;
  private touchLeft = 0;
  private touchRight = 0;

  get steer(): number {
    const left = this.keyLeft || this.touchLeft > 0;
    const right = this.keyRight || this.touchRight > 0;
    return (right ? 1 : 0) - (left ? 1 : 0);
  }

  /** Handles a key going down or up; returns the action so the caller can prevent scrolling and pause. */
  key(key: string, down: boolean): KeyAction {
    const action = keyAction(key);
    if (action === 'left') this.keyLeft = down;
    else if (action === 'right') this.keyRight = down;
    return action;
  }

  /** Wires a hold-to-steer button (pointer down/up, also when the finger slides off it). */
  bindButton(button: HTMLElement, direction: 'left' | 'right'): void {
    const active = new Set<number>();
    const update = (): void => {
      if (direction === 'left') this.touchLeft = active.size;
      else this.touchRight = active.size;
      button.dataset['pressed'] = String(active.size > 0);
    };
    button.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      active.add(event.pointerId);
      if (button.hasPointerCapture?.(event.pointerId) === false) button.setPointerCapture?.(event.pointerId);
      update();
    });
    const release = (event: PointerEvent): void => {
      active.delete(event.pointerId);
      update();
    };
    button.addEventListener('pointerup', release);
    button.addEventListener('pointercancel', release);
    button.addEventListener('lostpointercapture', release);
    button.addEventListener('contextmenu', (event) => event.preventDefault());
  }

  /** Lets go of everything (on pause, blur, or a new race). */
  reset(): void {
    this.keyLeft = false;
    this.keyRight = false;
    this.touchLeft = 0;
    this.touchRight = 0;
  }
}
