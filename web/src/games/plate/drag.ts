/**
 * Dragging with pointer events (mouse, pen and touch). A press that moves more than a few pixels becomes a drag:
 * a copy of the card follows the pointer, the section under it lights up, and letting go over a section drops
 * the food there. A press that does not move stays a click (the single-pointer way to place a food).
 *
 * Touch scrolls the page as usual; a drag by touch starts from the card's grip (which has `touch-action: none`).
 */

/** Pixels the pointer must travel before a press becomes a drag. */
export const DRAG_THRESHOLD = 6;
/** Near the top or bottom edge of the window, a drag scrolls the page by up to this many pixels a frame. */
const EDGE = 48;
const EDGE_SPEED = 14;

export interface DragHooks<T> {
  /** What is being dragged. */
  payload: () => T;
  /** The drop target at a point (client coordinates), or null. */
  targetAt: (x: number, y: number) => string | null;
  onOver: (target: string | null) => void;
  onDrop: (target: string, payload: T) => void;
  onStart?: () => void;
  onEnd?: () => void;
  /** On touch, only a press inside an element matching this selector starts a drag. */
  touchHandle?: string;
}

/** Makes `source` draggable; returns a function that undoes it. */
export function makeDraggable<T>(source: HTMLElement, hooks: DragHooks<T>): () => void {
  let pointerId: number | null = null;
  let startX = 0;
  let startY = 0;
  let lastX = 0;
  let lastY = 0;
  let dragging = false;
  let ghost: HTMLElement | null = null;
  let target: string | null = null;
  let frame = 0;

  const moveGhost = (): void => {
    if (ghost) ghost.style.transform = `translate(${lastX - 28}px, ${lastY - 28}px)`;
  };

  const scrollTick = (): void => {
    frame = 0;
    if (!dragging) return;
    const dy = lastY < EDGE ? -EDGE_SPEED : lastY > window.innerHeight - EDGE ? EDGE_SPEED : 0;
    if (dy !== 0) {
      window.scrollBy(0, dy);
      updateTarget();
      frame = window.requestAnimationFrame(scrollTick);
    }
  };

  const updateTarget = (): void => {
    const next = hooks.targetAt(lastX, lastY);
    if (next !== target) {
      target = next;
      hooks.onOver(target);
    }
  };

  const begin = (): void => {
    dragging = true;
    source.dataset['dragged'] = '1';
    source.classList.add('is-dragging');
    ghost = source.cloneNode(true) as HTMLElement;
    ghost.removeAttribute('id');
    ghost.classList.remove('is-dragging', 'is-selected');
    ghost.classList.add('drag-ghost');
    ghost.setAttribute('aria-hidden', 'true');
    ghost.style.width = `${Math.min(source.offsetWidth || 220, 260)}px`;
    document.body.append(ghost);
    document.body.classList.add('is-plate-dragging');
    moveGhost();
    hooks.onStart?.();
  };

  const finish = (drop: boolean): void => {
    if (frame) window.cancelAnimationFrame(frame);
    frame = 0;
    const id = pointerId;
    pointerId = null; // first: releasing the capture fires lostpointercapture
    if (id !== null && source.hasPointerCapture?.(id)) source.releasePointerCapture(id);
    if (!dragging) return;
    dragging = false;
    ghost?.remove();
    ghost = null;
    source.classList.remove('is-dragging');
    document.body.classList.remove('is-plate-dragging');
    const where = target;
    target = null;
    hooks.onOver(null);
    if (drop && where) hooks.onDrop(where, hooks.payload());
    hooks.onEnd?.();
    // A drop that ends outside the card fires no click there: forget the "just dragged" mark soon after.
    window.setTimeout(() => delete source.dataset['dragged'], 0);
  };

  const onDown = (event: PointerEvent): void => {
    if (event.button !== 0 || pointerId !== null) return;
    if (event.pointerType === 'touch' && hooks.touchHandle) {
      const inHandle = event.target instanceof Element && event.target.closest(hooks.touchHandle);
      if (!inHandle) return;
    }
    pointerId = event.pointerId;
    startX = lastX = event.clientX;
    startY = lastY = event.clientY;
    source.setPointerCapture?.(event.pointerId);
  };

  const onMove = (event: PointerEvent): void => {
    if (event.pointerId !== pointerId) return;
    lastX = event.clientX;
    lastY = event.clientY;
    if (!dragging) {
      if (Math.hypot(lastX - startX, lastY - startY) < DRAG_THRESHOLD) return;
      begin();
    }
    event.preventDefault();
    moveGhost();
    updateTarget();
    if (!frame) frame = window.requestAnimationFrame(scrollTick);
  };

  const onUp = (event: PointerEvent): void => {
    if (event.pointerId !== pointerId) return;
    lastX = event.clientX;
    lastY = event.clientY;
    if (dragging) updateTarget();
    finish(true);
  };

  const onCancel = (event: PointerEvent): void => {
    if (event.pointerId === pointerId) finish(false);
  };

  const onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && dragging) {
      target = null;
      finish(false);
    }
  };

  source.addEventListener('pointerdown', onDown);
  source.addEventListener('pointermove', onMove);
  source.addEventListener('pointerup', onUp);
  source.addEventListener('pointercancel', onCancel);
  source.addEventListener('lostpointercapture', onCancel);
  document.addEventListener('keydown', onKey);
  return () => {
    finish(false);
    source.removeEventListener('pointerdown', onDown);
    source.removeEventListener('pointermove', onMove);
    source.removeEventListener('pointerup', onUp);
    source.removeEventListener('pointercancel', onCancel);
    source.removeEventListener('lostpointercapture', onCancel);
    document.removeEventListener('keydown', onKey);
  };
}
