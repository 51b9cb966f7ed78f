/**
 * A round's countdown with pause. It counts real time between ticks (not the number of ticks), so a slow or
 * throttled tab still runs out on time.
 */

export interface CountdownOptions {
  seconds: number;
  /** Called about four times a second with the seconds left (fractional). */
  onTick: (secondsLeft: number) => void;
  onExpire: () => void;
  now?: () => number;
  tickMs?: number;
}

export class Countdown {
  private readonly options: CountdownOptions;
  private readonly now: () => number;
  private leftMs: number;
  private startedAt = 0;
  private interval: number | undefined;
  private state: 'idle' | 'running' | 'paused' | 'done' = 'idle';

  constructor(options: CountdownOptions) {
    this.options = options;
    this.now = options.now ?? (() => performance.now());
    this.leftMs = options.seconds * 1000;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  get paused(): boolean {
    return this.state === 'paused';
  }

  /** Seconds left (fractional). */
  get secondsLeft(): number {
    const left = this.state === 'running' ? this.leftMs - (this.now() - this.startedAt) : this.leftMs;
    return Math.max(0, left / 1000);
  }

  start(): void {
    if (this.state === 'running' || this.state === 'done') return;
    this.state = 'running';
    this.startedAt = this.now();
    this.interval = window.setInterval(() => this.tick(), this.options.tickMs ?? 250);
    this.options.onTick(this.secondsLeft);
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.leftMs = this.secondsLeft * 1000;
    this.state = 'paused';
    window.clearInterval(this.interval);
    this.options.onTick(this.secondsLeft);
  }

  resume(): void {
    if (this.state === 'paused') this.start();
  }

  /** Stops for good (the plate was served). */
  stop(): void {
    if (this.state === 'running') this.leftMs = this.secondsLeft * 1000;
    this.state = 'done';
    window.clearInterval(this.interval);
  }

  private tick(): void {
    const left = this.secondsLeft;
    this.options.onTick(left);
    if (left <= 0) {
      this.stop();
      this.options.onExpire();
    }
  }
}
