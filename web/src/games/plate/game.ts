/**
 * The Perfect Plate game: start screen → one round per meal (build a plate, serve it) → the server's scores.
 *
 * A timed game opens a session (`POST /api/games/plate/sessions`) when it starts and sends every served plate
 * in one `POST /api/scores` at the end; the server scores them and answers with the feedback shown on the
 * results screen. A relaxed game has no timer, no session and sends nothing.
 */
import type { User } from '../../api/accounts';
import { ApiError } from '../../api/client';
import type {
  GameSession,
  Leaderboard,
  PlateFood,
  PlateRules,
  PlateScoreResult,
  PlateSubmission,
  Section,
  Standing,
} from '../../api/plate';
import { clear, h } from '../../ui/dom';
import { describeError } from '../../ui/forms';
import { suggestions } from './foods';
import { buildPlayView, type PlayView } from './play-view';
import { notScoredScreen, practiceResults, scoredResults } from './results';
import { renderSetup, type SetupChoice } from './setup';
import {
  MEAL_LABEL,
  Plate,
  ROUND_SECONDS,
  SECTION_LABEL,
  buildSubmission,
  formatClock,
  mealsFor,
  placementMessage,
  waitBeforeServing,
  type Meal,
} from './state';
import { Countdown } from './timer';

export interface PlateApi {
  startSession: () => Promise<GameSession>;
  submit: (body: PlateSubmission) => Promise<PlateScoreResult>;
  leaderboard: () => Promise<Leaderboard>;
  standing: () => Promise<Standing>;
  search: (query: string, signal: AbortSignal) => Promise<PlateFood[]>;
}

export interface GameContext {
  /** Where the screens are drawn. */
  host: HTMLElement;
  /** A polite live region for placements and results. */
  announcer: HTMLElement;
  catalog: readonly PlateFood[];
  rules: PlateRules;
  user: User | null;
  api: PlateApi;
  /** Milliseconds, monotonic (tests pass a fake clock). */
  now?: () => number;
  roundSeconds?: number;
}

export type Screen = 'setup' | 'play' | 'submitting' | 'results' | 'error';

export class PlateGame {
  screen: Screen = 'setup';
  private readonly ctx: GameContext;
  private readonly now: () => number;
  private user: User | null;
  private choice: SetupChoice | undefined;
  private meals: Meal[] = [];
  private plates: Plate[] = [];
  private round = 0;
  private session: GameSession | null = null;
  /** When the session's answer arrived (ms on `now`): the server counts from a moment before this. */
  private sessionClock = 0;
  private selected: PlateFood | null = null;
  private selectedByKeyboard = false;
  private countdown: Countdown | null = null;
  private view: PlayView | null = null;
  private result: PlateScoreResult | null = null;
  private lastError: string | null = null;
  private warned10 = false;

  constructor(ctx: GameContext) {
    this.ctx = ctx;
    this.now = ctx.now ?? (() => performance.now());
    this.user = ctx.user;
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.screen === 'play' && this.countdown?.paused) {
        this.setPaused(false);
        return;
      }
      if (event.key === 'Escape' && this.screen === 'play' && this.selected) {
        const food = this.selected;
        const byKeyboard = this.selectedByKeyboard;
        this.select(null);
        this.announce(`${food.name} put back.`);
        if (byKeyboard) this.view?.tray.focusFood(food.id);
      }
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden' && this.countdown?.running) this.setPaused(true);
    });
  }

  /** A snapshot for the `?test=1` hook and the unit tests. */
  state(): Record<string, unknown> {
    return {
      screen: this.screen,
      relaxed: this.choice?.relaxed ?? null,
      round: this.round,
      meals: [...this.meals],
      sessionId: this.session?.session_id ?? null,
      selected: this.selected?.id ?? null,
      secondsLeft: this.countdown ? Math.ceil(this.countdown.secondsLeft) : null,
      paused: this.countdown?.paused ?? false,
      plates: this.plates.map((p) => ({
        meal: p.meal,
        served: p.served,
        timedOut: p.timedOut,
        items: p.items.map((i) => ({ food_id: i.food.id, name: i.food.name, grams: i.grams, section: i.section })),
      })),
      score: this.result?.score.value ?? null,
      rank: this.result?.rank ?? null,
      error: this.lastError,
    };
  }

  showSetup(problem?: string): void {
    this.stopTimer();
    this.screen = 'setup';
    this.view = null;
    this.render(
      renderSetup({
        user: this.user,
        rules: this.ctx.rules,
        ...(this.choice ? { previous: this.choice } : {}),
        ...(problem ? { problem } : {}),
        onStart: (choice, button) => void this.start(choice, button),
      }),
    );
  }

  /** Starts a game: a session first when it is timed (signed in only). */
  async start(choice: SetupChoice, button?: HTMLButtonElement): Promise<void> {
    this.choice = choice;
    this.session = null;
    this.result = null;
    this.lastError = null;
    if (!choice.relaxed) {
      if (button) {
        button.disabled = true;
        button.textContent = 'Starting…';
      }
      try {
        this.session = await this.ctx.api.startSession();
        this.sessionClock = this.now();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) this.user = null;
        this.showSetup(
          err instanceof ApiError && err.status === 401
            ? 'You are signed out. Sign in to play a timed game, or play relaxed.'
            : `The game could not start. ${describeError(err)}`,
        );
        return;
      }
    }
    this.meals = mealsFor(Math.min(choice.plates, this.ctx.rules.max_plates));
    this.plates = this.meals.map((meal) => new Plate(meal, this.ctx.rules.max_items_per_plate));
    this.round = 0;
    this.buildPlayScreen();
    this.startRound();
  }

  // ---- play ------------------------------------------------------------------------------------------------

  private get plate(): Plate {
    const plate = this.plates[this.round];
    if (!plate) throw new Error('no plate in play');
    return plate;
  }

  private buildPlayScreen(): void {
    this.screen = 'play';
    const view = buildPlayView({
      relaxed: this.choice?.relaxed ?? true,
      search: this.ctx.api.search,
      onActivate: (section, byKeyboard) => this.activateSection(section, byKeyboard),
      onPick: (food, byKeyboard) => this.pick(food, byKeyboard),
      onDrop: (food, section) => this.place(food, section),
      onNudge: (key, steps) => this.changeGrams(() => this.plate.nudge(key, steps)),
      onSetGrams: (key, grams) => this.changeGrams(() => this.plate.setGrams(key, grams)),
      onRemove: (key) => this.removeItem(key),
      onPause: () => this.setPaused(!this.countdown?.paused),
      onResume: () => this.setPaused(false),
      onServe: () => this.serve(false),
      onPutBack: () => {
        const food = this.selected;
        this.select(null);
        if (food) this.announce(`${food.name} put back.`);
      },
      onEnd: () => this.endEarly(),
    });
    this.render(view.root);
    this.view = view;
  }

  private startRound(before = ''): void {
    const view = this.view;
    if (!view) return;
    const meal = this.plate.meal;
    view.kicker.textContent = `Plate ${this.round + 1} of ${this.plates.length}`;
    view.title.textContent = MEAL_LABEL[meal];
    view.serve.textContent = `Serve ${MEAL_LABEL[meal].toLowerCase()}`;
    view.note.textContent = '';
    view.tray.setSuggestions(suggestions(this.ctx.catalog, meal));
    view.tray.reset();
    this.select(null);
    this.redraw();
    view.title.focus();
    this.warned10 = false;
    if (!this.choice?.relaxed) {
      const seconds = this.ctx.roundSeconds ?? ROUND_SECONDS;
      this.countdown = new Countdown({
        seconds,
        now: this.now,
        onTick: (left) => this.showTime(left, seconds),
        onExpire: () => this.timeUp(),
      });
      this.countdown.start();
    }
    this.announce(
      `${before}Plate ${this.round + 1} of ${this.plates.length}: ${MEAL_LABEL[meal].toLowerCase()}.` +
        (this.choice?.relaxed ? ' No timer.' : ` ${this.ctx.roundSeconds ?? ROUND_SECONDS} seconds.`),
    );
  }

  private showTime(left: number, total: number): void {
    const view = this.view;
    if (!view) return;
    view.timer.textContent = formatClock(left);
    view.timerFill.style.width = `${Math.max(0, Math.min(100, (left / total) * 100))}%`;
    const urgent = left <= 10;
    view.timer.parentElement?.classList.toggle('is-urgent', urgent);
    if (urgent && !this.warned10 && left > 0) {
      this.warned10 = true;
      this.announce('10 seconds left.');
    }
  }

  private redraw(): void {
    if (!this.view) return;
    this.view.board.render(this.plate.items);
    this.view.list.render(this.plate);
  }

  private select(food: PlateFood | null, byKeyboard = false): void {
    this.selected = food;
    this.selectedByKeyboard = food !== null && byKeyboard;
    const view = this.view;
    if (!view) return;
    view.tray.setSelected(food?.id ?? null);
    view.board.setSelected(food?.name ?? null);
    view.pickHint.hidden = food === null;
    view.pickText.textContent = food ? `${food.name} picked: now choose a section of the plate.` : '';
  }

  /** A food was picked in the tray. A second pick of the same food puts it back. */
  pick(food: PlateFood, byKeyboard: boolean): void {
    if (this.screen !== 'play' || this.countdown?.paused) return;
    if (this.selected?.id === food.id) {
      this.select(null);
      this.announce(`${food.name} put back.`);
      return;
    }
    this.select(food, byKeyboard);
    this.announce(`${food.name} picked. Now choose a section: vegetables, protein, carbohydrate or drink.`);
    if (byKeyboard) this.view?.board.focusSection('vegetables');
  }

  /** A section was clicked, tapped or pressed. */
  activateSection(section: Section, byKeyboard: boolean): void {
    if (this.screen !== 'play' || this.countdown?.paused) return;
    const food = this.selected;
    if (!food) {
      this.announce(`Pick a food from the tray first, then choose ${SECTION_LABEL[section].toLowerCase()}.`);
      return;
    }
    const returnFocus = this.selectedByKeyboard || byKeyboard;
    this.select(null);
    this.place(food, section);
    if (returnFocus && !this.view?.tray.focusFood(food.id)) this.view?.tray.input.focus();
  }

  /** Puts a food on the current plate. */
  place(food: PlateFood, section: Section): void {
    if (this.screen !== 'play' || this.countdown?.paused) return;
    const added = this.plate.add(food, section);
    if (!added.ok) {
      this.announce(`The plate is full: ${this.plate.maxItems} foods at most. Remove one first.`);
      return;
    }
    if (this.selected?.id === food.id) this.select(null);
    this.redraw();
    this.announce(placementMessage(added.item, added.merged));
  }

  private changeGrams(change: () => { food: PlateFood; grams: number } | undefined): void {
    const item = change();
    if (!item) return;
    this.redraw();
    this.announce(`${item.food.name}: ${item.grams} g.`);
  }

  private removeItem(key: number): void {
    const index = this.plate.items.findIndex((item) => item.key === key);
    const removed = this.plate.remove(key);
    if (!removed) return;
    this.redraw();
    this.view?.list.focusAfterRemove(this.plate, index);
    this.announce(`${removed.food.name} removed from ${SECTION_LABEL[removed.section].toLowerCase()}.`);
  }

  setPaused(paused: boolean): void {
    const view = this.view;
    if (!view || !this.countdown || this.screen !== 'play') return;
    if (paused) this.countdown.pause();
    else this.countdown.resume();
    view.overlay.hidden = !paused;
    for (const el of view.playfield) el.toggleAttribute('inert', paused);
    view.root.classList.toggle('is-paused', paused);
    view.serve.disabled = paused;
    view.pause.textContent = paused ? 'Resume' : 'Pause';
    view.pause.setAttribute('aria-pressed', String(paused));
    if (paused) {
      this.select(null);
      view.resume.focus();
      this.announce('Paused.');
    } else {
      view.pause.focus();
      this.announce('Playing again.');
    }
  }

  private timeUp(): void {
    this.plate.timedOut = true;
    this.serve(true);
  }

  /** Serves the current plate; the last one ends the game. */
  serve(force: boolean): void {
    const view = this.view;
    if (this.screen !== 'play' || !view || this.countdown?.paused) return;
    if (!this.choice?.relaxed && this.session && !force) {
      const wait = waitBeforeServing(this.now() - this.sessionClock, this.round + 1, this.ctx.rules);
      if (wait > 0) {
        view.note.dataset['kind'] = 'warn';
        view.note.textContent = `Not so fast! Each plate needs at least ${this.ctx.rules.min_seconds_per_plate} seconds: you can serve in ${wait} s.`;
        return;
      }
    }
    this.stopTimer();
    this.plate.served = true;
    const meal = MEAL_LABEL[this.plate.meal];
    const said = this.plate.timedOut ? `Time's up! ${meal} was served as it was. ` : `${meal} served. `;
    if (this.round + 1 < this.plates.length) {
      this.round += 1;
      this.startRound(said);
      view.note.dataset['kind'] = 'info';
      view.note.textContent = `${meal} served${this.plates[this.round - 1]?.timedOut ? ' (time ran out)' : ''}. Next up: ${MEAL_LABEL[this.plate.meal].toLowerCase()}.`;
      return;
    }
    this.announce(said.trim());
    void this.finish();
  }

  private endEarly(): void {
    const served = this.plates.filter((p) => p.served).length;
    this.stopTimer();
    if (served === 0) {
      this.announce('Game ended.');
      this.showSetup();
      return;
    }
    this.plates = this.plates.filter((p) => p.served);
    void this.finish();
  }

  private stopTimer(): void {
    this.countdown?.stop();
    this.countdown = null;
  }

  // ---- the end ---------------------------------------------------------------------------------------------

  private async finish(): Promise<void> {
    const served = this.plates.filter((p) => p.served);
    if (this.choice?.relaxed || !this.session) {
      this.screen = 'results';
      this.render(practiceResults(served, this.user !== null, { onPlayAgain: () => this.showSetup() }));
      this.announce('Game over. Here are your plates.');
      return;
    }
    await this.submit(buildSubmission(this.session.session_id, served), served);
  }

  private async submit(body: PlateSubmission, served: readonly Plate[]): Promise<void> {
    this.screen = 'submitting';
    this.render(
      h(
        'div',
        { class: 'plate-submitting' },
        h('h1', { id: 'page-title', tabindex: '-1' }, 'Scoring your plates…'),
        h('p', { class: 'plate-lead', role: 'status' }, 'The server is checking every plate.'),
      ),
    );
    let result: PlateScoreResult;
    try {
      result = await this.ctx.api.submit(body);
    } catch (err) {
      this.showError(err, body, served);
      return;
    }
    this.result = result;
    const [board, standing] = await Promise.all([
      this.ctx.api.leaderboard().catch(() => null),
      this.ctx.api.standing().catch(() => null),
    ]);
    this.screen = 'results';
    this.render(
      scoredResults(
        { plates: served, result, leaderboard: board, standing, userId: this.user?.id ?? null, maxPlateScore: this.ctx.rules.max_plate_score },
        { onPlayAgain: () => this.showSetup() },
      ),
    );
    this.announce(
      `Your score: ${result.score.value.toLocaleString('en-US')} points. Rank ${result.rank}.` + (result.personal_best ? ' A new personal best!' : ''),
    );
  }

  private showError(err: unknown, body: PlateSubmission, served: readonly Plate[]): void {
    this.screen = 'error';
    const screen = notScoredScreen(err, this.ctx.rules, {
      onNewGame: () => this.showSetup(),
      onRetry: () => void this.submit(body, served),
    });
    this.lastError = screen.message;
    this.render(screen.el);
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private render(screen: HTMLElement): void {
    clear(this.ctx.host);
    this.ctx.host.append(screen);
    const title = screen.querySelector<HTMLElement>('#page-title');
    // A new screen starts at its heading (the first start screen leaves the focus where the page put it).
    if (title && (this.screen !== 'setup' || this.choice)) title.focus();
  }

  announce(message: string): void {
    const region = this.ctx.announcer;
    // The same text twice in a row must still change the region to be announced again.
    region.textContent = region.textContent === message ? `${message}\u00a0` : message;
  }
}
