/**
 * The race's live text for screen readers: events ("Collected apple: glucose steadier") with the score, lives
 * and gauge, at most one message every {@link MIN_GAP_MS} so a fast race does not flood the reader. Urgent
 * messages (a life lost, the end) go out at once.
 */
import type { GaugeZone } from './rules';

export const MIN_GAP_MS = 1500;

export interface RaceStatus {
  score: number;
  lives: number;
  glucose: number;
  zone: GaugeZone;
}

export function describeStatus(status: RaceStatus): string {
  const zone = status.zone === 'in-range' ? 'in range, points doubled' : status.zone === 'high' ? 'high' : 'low';
  const lives = status.lives === 1 ? '1 life' : `${status.lives} lives`;
  return `Score ${Math.floor(status.score)}, ${lives}, glucose ${Math.round(status.glucose)} mg/dL ${zone}.`;
}

export class Announcer {
  private pending: string | null = null;
  private last = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly region: HTMLElement,
    private readonly status: () => RaceStatus,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queues `event` (the newest queued event wins); `urgent` speaks now. */
  say(event: string, urgent = false): void {
    this.pending = event;
    if (urgent) {
      this.flush();
      return;
    }
    const wait = this.last + MIN_GAP_MS - this.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Says `text` as it is, at once (screens such as "Paused"). */
  sayPlain(text: string): void {
    this.cancel();
    this.write(text);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === null) return;
    const text = `${this.pending} ${describeStatus(this.status())}`;
    this.pending = null;
    this.write(text);
  }

  private write(text: string): void {
    this.last = this.now();
    // Re-setting identical text is not announced again; a trailing no-break space makes it differ.
    this.region.textContent = this.region.textContent === text ? `${text}\u00a0` : text;
  }
}
