/**
 * Toasts for notifications that arrive live. One persistent `role="status"` region (polite), created before any
 * toast goes in, so screen readers announce each one. A toast disappears by itself after a while — but not while
 * the pointer is over it or focus is inside it — and has a Dismiss button. Everything it says is also in the bell's
 * list, so missing one loses nothing.
 */
import { h } from '../ui/dom';

export const TOAST_MS = 8000;
/** More than this and the oldest goes. */
export const MAX_TOASTS = 3;

export interface ToastContent {
  /** A short heading in plain text, e.g. the notification's kind. */
  title?: string;
  /** Plain text (set with textContent). */
  message: string;
  /** A path on this site, and the link's text. */
  link?: { href: string; label: string } | null;
  /** Called when the link is followed (e.g. to mark the notification read). */
  onFollow?: (event: MouseEvent) => void;
}

export class Toaster {
  readonly region: HTMLElement;
  private timers = new Map<HTMLElement, ReturnType<typeof setTimeout>>();

  /**
   * @param whereFocusGoes where focus moves when a toast that holds it goes away (the bell), so it is never lost.
   */
  constructor(private readonly whereFocusGoes: () => HTMLElement | null = () => null) {
    this.region = h('div', { class: 'toast-region', role: 'status', 'aria-live': 'polite', 'aria-label': 'New notifications' });
  }

  /** Adds the region to the page (once). */
  attach(host: HTMLElement = document.body): void {
    if (!this.region.isConnected) host.append(this.region);
  }

  show(content: ToastContent): HTMLElement {
    this.attach();
    const dismiss = h('button', { type: 'button', class: 'toast-dismiss', 'aria-label': 'Dismiss' }, h('span', { 'aria-hidden': 'true' }, '×'));
    const title = content.title ? h('p', { class: 'toast-title' }, content.title) : null;
    const message = h('p', { class: 'toast-message' }, content.message);
    const toast = h('div', { class: 'toast' }, h('div', { class: 'toast-body' }, title, message));
    if (content.link) {
      const link = h('a', { class: 'toast-link', href: content.link.href }, content.link.label);
      if (content.onFollow) link.addEventListener('click', content.onFollow);
      toast.querySelector('.toast-body')?.append(link);
    }
    toast.append(dismiss);
    dismiss.addEventListener('click', () => this.remove(toast));
    toast.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.remove(toast);
      }
    });

    // Hold the timer while the pointer is over the toast or focus is inside it (WCAG 2.2.1).
    toast.addEventListener('mouseenter', () => {
      toast.dataset['hover'] = 'true';
      this.hold(toast);
    });
    toast.addEventListener('mouseleave', () => {
      delete toast.dataset['hover'];
      if (!toast.contains(document.activeElement)) this.arm(toast);
    });
    toast.addEventListener('focusin', () => this.hold(toast));
    toast.addEventListener('focusout', (event) => {
      const stillInside = event.relatedTarget instanceof Node && toast.contains(event.relatedTarget);
      if (!stillInside && toast.dataset['hover'] !== 'true') this.arm(toast);
    });

    this.region.append(toast);
    while (this.region.children.length > MAX_TOASTS) {
      const oldest = this.region.firstElementChild;
      if (!(oldest instanceof HTMLElement)) break;
      this.remove(oldest);
    }
    this.arm(toast);
    return toast;
  }

  /** The toasts on screen, oldest first. */
  get toasts(): HTMLElement[] {
    return [...this.region.querySelectorAll<HTMLElement>('.toast')];
  }

  remove(toast: HTMLElement): void {
    this.hold(toast);
    const hadFocus = toast.contains(document.activeElement);
    toast.remove();
    if (hadFocus) this.whereFocusGoes()?.focus();
  }

  /** Removes every toast and the region (sign-out). */
  destroy(): void {
    for (const toast of this.toasts) this.remove(toast);
    this.region.remove();
  }

  private arm(toast: HTMLElement): void {
    this.hold(toast);
    if (!toast.isConnected) return;
    this.timers.set(
      toast,
      setTimeout(() => this.remove(toast), TOAST_MS),
    );
  }

  private hold(toast: HTMLElement): void {
    const timer = this.timers.get(toast);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(toast);
  }
}
