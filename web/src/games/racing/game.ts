/**
 * Runs a race on the page: the requestAnimationFrame loop (time-based, dt capped), keyboard and touch input,
 * the countdown, pause (P / Esc / the pause button / losing focus / hiding the tab), pit stops, and the end of
 * the race. The page (views/racing.ts) starts runs and shows the result.
 */
import type { RacingRules } from '../../api/games';
import { Announcer, describeStatus } from './announcer';
import { SteeringInput } from './input';
import { ITEMS, collectMessage, type ItemKind } from './items';
import { pitStop, type PitOutcome, type PitReason, type PitStop, type QuizApi } from './pitstop';
import { RaceRenderer, fitHeight } from './renderer';
import type { GaugeZone } from './rules';
import { countdownScreen, pauseScreen, type CountdownScreen, type PauseScreen } from './screens';
import { Race, type RaceListener } from './sim';

export type Phase = 'idle' | 'countdown' | 'running' | 'paused' | 'pit' | 'over';

export interface RaceRun {
  seed: number;
  /** The server session, or null for a guest (or when the server could not start one). */
  sessionId: number | null;
  /** `performance.now()` when the session was created (after the server's own start time). */
  sessionStart: number;
}

export interface RaceResult {
  /** Whole points. */
  score: number;
  time: number;
  healthy: number;
  sugary: number;
  correctAnswers: number;
  reason: 'lives' | 'finish' | 'ended';
  sessionId: number | null;
  /** Seconds since the session started. */
  elapsed: number;
}

export interface RaceSnapshot {
  phase: Phase;
  score: number;
  lives: number;
  glucose: number;
  zone: GaugeZone;
  time: number;
  healthy: number;
  sugary: number;
  carX: number;
  sessionId: number | null;
}

export interface GameElements {
  /** Everything that belongs to the game (focus moving inside it does not pause). */
  root: HTMLElement;
  /** The focusable track area that receives the keys. */
  stage: HTMLElement;
  canvas: HTMLCanvasElement;
  pauseButton: HTMLButtonElement;
  touchLeft: HTMLButtonElement;
  touchRight: HTMLButtonElement;
  touchPause: HTMLButtonElement;
  live: HTMLElement;
}

export interface GameOptions {
  rules: RacingRules;
  reducedMotion: boolean;
  onOver: (result: RaceResult) => void;
  quiz?: QuizApi;
  /** Seconds of driving between the countdown numbers (tests shorten it). */
  countdownStep?: number;
}

const SPIKE_LABEL = 'Spike!';
const FIX_LABEL = 'Sugar fix!';
const BONUS_LABEL = '+25';

export class RaceGame {
  phase: Phase = 'idle';
  private race: Race;
  private run: RaceRun = { seed: 0, sessionId: null, sessionStart: 0 };
  private readonly renderer: RaceRenderer;
  private readonly input = new SteeringInput();
  private readonly announcer: Announcer;
  private readonly countdown: CountdownScreen;
  private readonly pauseUi: PauseScreen;
  private readonly pit: PitStop;
  private raf = 0;
  private last = 0;
  private timers: Array<ReturnType<typeof setTimeout>> = [];
  private pendingPit: PitReason | null = null;
  private quizLeft = true;
  private readonly listener: RaceListener;
  private readonly resizeObserver: ResizeObserver | null = null;

  constructor(
    private readonly els: GameElements,
    private readonly options: GameOptions,
  ) {
    this.race = new Race(0, { rules: options.rules, reducedMotion: options.reducedMotion });
    this.renderer = new RaceRenderer(els.canvas, { rules: options.rules, reducedMotion: options.reducedMotion });
    this.announcer = new Announcer(els.live, () => this.race);
    this.countdown = countdownScreen();
    this.pauseUi = pauseScreen(
      () => this.resume(),
      () => this.end(),
    );
    this.pit = pitStop(options.quiz);
    els.stage.append(this.countdown.el, this.pauseUi.el, this.pit.el);
    this.listener = this.makeListener();

    els.stage.addEventListener('keydown', (event) => this.onKey(event, true));
    els.stage.addEventListener('keyup', (event) => this.onKey(event, false));
    els.stage.addEventListener('focusout', (event) => {
      const next = event.relatedTarget;
      if (this.phase === 'running' && !(next instanceof Node && els.root.contains(next))) this.pause();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.hidden && this.phase === 'running') this.pause();
    });
    els.pauseButton.addEventListener('click', () => this.togglePause());
    els.touchPause.addEventListener('click', () => this.togglePause());
    this.input.bindButton(els.touchLeft, 'left');
    this.input.bindButton(els.touchRight, 'right');

    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.fit());
      this.resizeObserver.observe(els.stage);
    }
    this.fit();
    this.setPhase('idle');
  }

  /** Sizes the canvas to the stage and redraws. */
  fit(): void {
    const width = this.els.stage.clientWidth;
    const maxH = this.els.stage.clientHeight;
    if (width <= 0 || maxH <= 0) return;
    const height = fitHeight(width, maxH);
    this.els.canvas.style.width = `${width}px`;
    this.els.canvas.style.height = `${height}px`;
    this.renderer.resize(width, height, window.devicePixelRatio || 1);
    if (!this.raf) this.renderer.draw(this.race, 0);
  }

  /** Starts a new race (after the page has its session, or none). */
  start(run: RaceRun): void {
    this.clearTimers();
    this.pit.close();
    this.run = run;
    this.race = new Race(run.seed, { rules: this.options.rules, reducedMotion: this.options.reducedMotion });
    this.race.listener = this.listener;
    this.renderer.effects.clear();
    this.input.reset();
    this.pendingPit = null;
    this.quizLeft = true;
    this.pauseUi.el.hidden = true;
    this.setPhase('countdown');
    this.els.stage.focus();
    this.announcer.sayPlain('Race starting. Steer with the left and right arrow keys; press P to pause.');
    const step = (this.options.countdownStep ?? 0.8) * 1000;
    const numbers = ['3', '2', '1', 'GO!'];
    this.countdown.el.hidden = false;
    numbers.forEach((text, i) => {
      this.later(i * step, () => this.countdown.show(text));
    });
    this.later(numbers.length * step - step * 0.4, () => {
      this.countdown.el.hidden = true;
      this.setPhase('running');
      this.announcer.sayPlain(`Go! ${describeStatus(this.race)}`);
    });
    this.loop();
  }

  pause(): void {
    if (this.phase !== 'running') return;
    this.setPhase('paused');
    this.input.reset();
    const age = (performance.now() - this.run.sessionStart) / 1000;
    const ttl = this.options.rules.session_ttl_seconds;
    const warning =
      this.run.sessionId !== null && age > ttl - 180
        ? `Resume soon: a race can be saved for ${Math.round(ttl / 60)} minutes after it starts.`
        : null;
    this.pauseUi.update(describeStatus(this.race), warning);
    this.pauseUi.el.hidden = false;
    this.pauseUi.resume.focus();
    this.announcer.sayPlain(`Paused. ${describeStatus(this.race)}`);
  }

  resume(): void {
    if (this.phase !== 'paused') return;
    this.pauseUi.el.hidden = true;
    this.setPhase('running');
    this.els.stage.focus();
    this.announcer.sayPlain('Resumed.');
    this.loop();
  }

  togglePause(): void {
    if (this.phase === 'running') this.pause();
    else if (this.phase === 'paused') this.resume();
  }

  /** Ends the race now (End race, or the test hook with an optional score). */
  end(score?: number): void {
    if (this.phase === 'idle' || this.phase === 'over') return;
    this.race.end(score);
    this.finish('ended');
  }

  snapshot(): RaceSnapshot {
    const r = this.race;
    return {
      phase: this.phase,
      score: Math.floor(r.score),
      lives: r.lives,
      glucose: Math.round(r.glucose),
      zone: r.zone,
      time: Math.round(r.time * 100) / 100,
      healthy: r.healthy,
      sugary: r.sugary,
      carX: Math.round(r.carX),
      sessionId: this.run.sessionId,
    };
  }

  private setPhase(phase: Phase): void {
    this.phase = phase;
    this.els.root.dataset['phase'] = phase;
    // Before the first race the Start button is the way in; from then on the track is a Tab stop of its own.
    this.els.stage.tabIndex = phase === 'idle' ? -1 : 0;
    this.syncControls();
  }

  private syncControls(): void {
    const playing = this.phase === 'running' || this.phase === 'paused';
    const label = this.phase === 'paused' ? 'Resume' : 'Pause';
    for (const button of [this.els.pauseButton, this.els.touchPause]) {
      button.disabled = !playing;
      button.setAttribute('aria-label', `${label} (P)`);
      button.dataset['state'] = this.phase === 'paused' ? 'paused' : 'running';
    }
    const glyph = this.els.touchPause.firstElementChild;
    if (glyph) glyph.textContent = this.phase === 'paused' ? '▶' : 'II';
  }

  private onKey(event: KeyboardEvent, down: boolean): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const live = this.phase === 'running' || this.phase === 'countdown';
    if (!down) {
      this.input.key(event.key, false);
      return;
    }
    const action = live ? this.input.key(event.key, true) : null;
    if (action === 'left' || action === 'right') {
      event.preventDefault();
      return;
    }
    if ((event.key === 'p' || event.key === 'P' || event.key === 'Escape') && (this.phase === 'running' || this.phase === 'paused')) {
      event.preventDefault();
      this.togglePause();
    }
  }

  private loop(): void {
    if (this.raf) return;
    this.last = performance.now();
    const frame = (now: number): void => {
      const dt = Math.min(Math.max((now - this.last) / 1000, 0), 0.05);
      this.last = now;
      if (this.phase === 'running') {
        this.race.step(dt, this.input.steer);
        this.afterStep();
      }
      this.renderer.draw(this.race, dt);
      if (this.phase === 'running' || this.phase === 'countdown') {
        this.raf = requestAnimationFrame(frame);
      } else {
        this.raf = 0;
      }
    };
    this.raf = requestAnimationFrame(frame);
  }

  /** Things the step asked for that change the page: a pit stop, or the end. */
  private afterStep(): void {
    const race = this.race;
    if (race.over && !(race.overReason === 'lives' && this.pendingPit === 'rescue')) {
      this.finish(race.overReason ?? 'ended');
      return;
    }
    if (this.pendingPit) {
      const reason = this.pendingPit;
      this.pendingPit = null;
      this.openPit(reason);
    }
  }

  private canQuiz(): boolean {
    return this.run.sessionId !== null && this.quizLeft;
  }

  private openPit(reason: PitReason): void {
    const sessionId = this.run.sessionId;
    if (sessionId === null) return;
    this.setPhase('pit');
    this.input.reset();
    this.announcer.sayPlain(reason === 'rescue' ? 'Out of lives: pit-stop question to get back in the race.' : 'Pit stop: a quick question.');
    this.pit.show(sessionId, reason, this.options.rules.quiz_bonus_points, (outcome, message) => this.closePit(reason, outcome, message));
  }

  private closePit(reason: PitReason, outcome: PitOutcome, message: string): void {
    if (outcome === 'unavailable') this.quizLeft = false;
    if (outcome === 'correct') {
      this.race.answeredCorrectly();
      this.renderer.effects.label(this.race.carX, 300, `+${this.options.rules.quiz_bonus_points}`, '#fde047');
    }
    if (reason === 'rescue' && outcome !== 'correct') {
      this.finish('lives');
      return;
    }
    this.setPhase('running');
    this.els.stage.focus();
    this.announcer.say(message, true);
    this.loop();
  }

  private finish(reason: RaceResult['reason']): void {
    if (this.phase === 'over') return;
    this.clearTimers();
    this.pit.close();
    this.countdown.el.hidden = true;
    this.pauseUi.el.hidden = true;
    this.setPhase('over');
    this.input.reset();
    this.renderer.draw(this.race, 0);
    const race = this.race;
    const result: RaceResult = {
      score: Math.floor(race.score),
      time: race.time,
      healthy: race.healthy,
      sugary: race.sugary,
      correctAnswers: race.correctAnswers,
      reason,
      sessionId: this.run.sessionId,
      elapsed: (performance.now() - this.run.sessionStart) / 1000,
    };
    this.announcer.cancel();
    this.options.onOver(result);
  }

  private makeListener(): RaceListener {
    return {
      collect: (kind: ItemKind, x: number, y: number, zoneBefore: GaugeZone) => {
        const healthy = ITEMS[kind].healthy;
        this.renderer.effects.burst(x, y, healthy);
        if (healthy) this.renderer.effects.label(x, y - 24, BONUS_LABEL, '#bbf7d0');
        else {
          this.renderer.effects.label(x, y - 24, zoneBefore === 'low' ? FIX_LABEL : SPIKE_LABEL, zoneBefore === 'low' ? '#fde047' : '#fda4af');
          if (zoneBefore !== 'low') this.renderer.shake();
        }
        this.announcer.say(collectMessage(kind, zoneBefore));
      },
      zoneChange: (zone: GaugeZone) => {
        if (zone === 'in-range') this.announcer.say('Back in range: points doubled.');
        else if (zone === 'high') this.announcer.say('Glucose high: grab water or veg to steady it.');
        else this.announcer.say('Glucose low: a sugary snack brings it up.');
      },
      lifeLost: (zone: GaugeZone, lives: number) => {
        this.renderer.flash();
        this.renderer.shake();
        const why = zone === 'high' ? 'glucose too high for too long' : 'glucose too low for too long';
        this.announcer.say(`Life lost: ${why}. ${lives === 1 ? '1 life' : `${lives} lives`} left.`, true);
        if (this.canQuiz()) this.pendingPit = lives === 0 ? 'rescue' : 'life';
      },
      pitDue: () => {
        if (this.canQuiz() && this.pendingPit === null) this.pendingPit = 'scheduled';
      },
      finished: () => {
        this.announcer.say('Chequered flag: you drove the full race!', true);
      },
    };
  }

  private later(ms: number, run: () => void): void {
    this.timers.push(setTimeout(run, ms));
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
