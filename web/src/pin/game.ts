/**
 * One Pin the Dexcom session: the setup, the routine, the body map, the verdict and the progress panel, and the
 * round that ties them together. The server judges each placement; guests see the sites but are asked to sign in
 * for a verdict.
 */
import { AGE_GROUPS, CGM_MODELS, type User } from '../api/accounts';
import { ApiError } from '../api/client';
import { getSites, listAttempts, postAttempt, type PinSites, type PinVerdict, type PinView } from '../api/pin';
import { h } from '../ui/dom';
import { describeError } from '../ui/forms';
import { SIGNIN_PATH, SIGNUP_PATH, withNext } from '../ui/navigation';
import { onSessionChange, setCurrentUser } from '../ui/session';
import { renderAbout } from './about';
import { Board, sensorIcon } from './board';
import { describeCrosshair } from './crosshair';
import { Figure, type PinMarker } from './figure';
import type { Point } from './geometry';
import { renderLegend, roundNote } from './legend';
import { rollObstacles, type RoundObstacle } from './obstacles';
import { RECENT, renderProgress, renderProgressGuest, zoneNames } from './progress';
import { setupCard, type SetupCard, type SetupChoice } from './setup';
import { StepsPanel } from './steps-panel';
import { outOfOrderMessage, shuffled, STEP_ORDER, StepSequence, stepsFor, type Step, type StepId } from './steps';
import { renderGuestVerdict, renderVerdict, verdictAnnouncement, type VerdictContext } from './verdict';

export const PIN_PATH = '/pin-dexcom.html';

interface Round {
  sequence: StepSequence;
  steps: Step[];
  obstacles: RoundObstacle[];
  /** Step 3 chosen: the sensor waits to be placed. */
  placing: boolean;
  pin: PinMarker | null;
  verdict: PinVerdict | 'guest' | null;
}

export class PinGame {
  private user: User | null;
  private choice: SetupChoice;
  private sites: PinSites | null = null;
  private view: PinView = 'front';
  private round: Round | null = null;
  private readonly random: () => number;
  private readonly sitesCache = new Map<string, PinSites>();

  private readonly setup: SetupCard;
  private readonly steps: StepsPanel;
  private readonly figure = new Figure();
  private readonly board: Board;
  private readonly viewButtons: Record<PinView, HTMLButtonElement>;
  private readonly boardHint = h('p', { class: 'pin-hint', role: 'status', 'aria-live': 'polite' });
  private readonly roundNote = h('p', { class: 'pin-round-note' });
  private readonly legend = h('div', { class: 'pin-legend' });
  private readonly result = h('div', { class: 'pin-result-body' });
  private readonly nextButton = h('button', { type: 'button', class: 'button button--primary pin-next' }, 'Next round');
  private readonly progress = h('div', { class: 'pin-progress-slot', 'aria-live': 'polite' });
  private readonly about = h('section', { class: 'card pin-card pin-about', 'aria-labelledby': 'pin-about-title' });

  constructor(private readonly container: HTMLElement, user: User | null, random: () => number = Math.random) {
    this.user = user;
    this.random = random;
    this.choice = { model: user?.settings.cgm_model ?? 'g7', ageGroup: user?.settings.age_group ?? 'adult', obstacles: true };
    this.setup = setupCard(this.choice, (choice, what) => {
      this.choice = choice;
      if (what === 'sensor') void this.loadSites();
      else this.newRound();
    });
    this.steps = new StepsPanel({ choose: (step, keyboard) => this.choose(step, keyboard) });
    this.board = new Board({
      figure: this.figure,
      canPick: () => this.canPick(),
      place: (p) => this.place(p),
      hint: (text) => this.hint(text),
      describe: (p) => (this.sites ? describeCrosshair(p, this.sites, this.view) : ''),
    });
    const viewButton = (view: PinView, label: string): HTMLButtonElement => {
      const button = h('button', { type: 'button', class: 'pin-view-button', 'aria-pressed': String(view === this.view) }, label);
      button.addEventListener('click', () => this.setView(view));
      return button;
    };
    this.viewButtons = { front: viewButton('front', 'Front'), back: viewButton('back', 'Back') };
    this.nextButton.addEventListener('click', () => {
      this.newRound();
      this.steps.button(this.round?.sequence.next() ?? 'wash')?.focus();
    });
    onSessionChange((next) => {
      this.user = next;
      this.renderGuestNote();
      void this.refreshProgress();
    });
  }

  async start(): Promise<void> {
    this.container.append(
      h(
        'header',
        { class: 'pin-head' },
        h('div', { class: 'pin-head-icon', 'aria-hidden': 'true' }, sensorIcon()),
        h(
          'div',
          undefined,
          h('p', { class: 'kicker-muted' }, 'Practice game'),
          h('h1', { id: 'page-title' }, 'Pin the Dexcom'),
          h('p', { class: 'pin-lead' }, 'Learn where a Dexcom sensor may go. Do the routine in order and place the sensor on an approved site for your model and age.'),
        ),
      ),
      this.setup.element,
      h(
        'div',
        { class: 'pin-layout' },
        this.steps.element,
        this.boardCard(),
        h(
          'section',
          { class: 'card pin-card pin-result', 'aria-labelledby': 'pin-result-title' },
          h('h2', { id: 'pin-result-title' }, 'How did you do?'),
          this.result,
        ),
        h(
          'section',
          { class: 'card pin-card pin-progress', 'aria-labelledby': 'pin-progress-title' },
          h('h2', { id: 'pin-progress-title' }, 'Your progress'),
          this.progress,
        ),
      ),
      this.about,
    );
    this.renderGuestNote();
    void this.refreshProgress();
    await this.loadSites();
  }

  private boardCard(): HTMLElement {
    return h(
      'section',
      { class: 'card pin-card pin-board', 'aria-labelledby': 'pin-board-title' },
      h(
        'div',
        { class: 'pin-card-head' },
        h('h2', { id: 'pin-board-title' }, 'Body map'),
        h('div', { class: 'pin-view-toggle', role: 'group', 'aria-label': 'Which side of the body' }, this.viewButtons.front, this.viewButtons.back),
      ),
      this.roundNote,
      h(
        'p',
        { class: 'pin-help', id: 'pin-place-help' },
        'Drag the sensor onto the body, or click it and then click the body. Keyboard: press Enter on the sensor, then move the crosshair with the arrow keys (Shift for big steps) and press Enter.',
      ),
      h('div', { class: 'pin-play' }, h('div', { class: 'pin-tray' }, this.board.sensor, this.boardHint, this.nextButton), this.board.stage),
      this.board.position,
      this.legend,
    );
  }

  // ---- sites and rounds ----------------------------------------------------------------------------------------

  private async loadSites(): Promise<void> {
    const { model, ageGroup } = this.choice;
    const key = `${model}/${ageGroup}`;
    this.result.replaceChildren(h('p', { class: 'loading' }, 'Loading the body map…'));
    try {
      const sites = this.sitesCache.get(key) ?? (await getSites(model, ageGroup));
      this.sitesCache.set(key, sites);
      // A newer choice may have been made while this one loaded.
      if (this.choice.model !== model || this.choice.ageGroup !== ageGroup) return;
      this.sites = sites;
    } catch (err) {
      const retry = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
      retry.addEventListener('click', () => void this.loadSites());
      this.result.replaceChildren(h('p', { role: 'alert', class: 'pin-error' }, `The body map could not be loaded. ${describeError(err)}`), retry);
      return;
    }
    this.board.setSensorName(`${this.modelName()} sensor`);
    this.about.replaceChildren(...renderAbout(this.sites, this.audience()));
    this.renderGuestNote();
    this.newRound();
  }

  private newRound(): void {
    const sites = this.sites;
    if (!sites) return;
    const warmUp = sites.models[this.choice.model]?.warm_up_minutes ?? 0;
    const steps = stepsFor(this.choice.model, this.modelName(), warmUp);
    const obstacles = this.choice.obstacles ? rollObstacles(sites, this.choice.model, this.random) : [];
    this.round = { sequence: new StepSequence(), steps, obstacles, placing: false, pin: null, verdict: null };
    this.steps.setRound(steps, shuffled(STEP_ORDER, this.random));
    this.board.reset();
    this.hint('');
    this.result.replaceChildren(h('p', { class: 'pin-result-empty' }, 'Do steps 1 and 2, then place the sensor. The verdict shows here.'));
    this.nextButton.hidden = true;
    this.roundNote.replaceChildren(...roundNote(obstacles, sites));
    this.refresh();
  }

  private setView(view: PinView): void {
    this.view = view;
    for (const [name, button] of Object.entries(this.viewButtons)) button.setAttribute('aria-pressed', String(name === view));
    this.refresh();
  }

  /** Redraws the routine, the figure and the legend from the current state. */
  private refresh(): void {
    const sites = this.sites;
    const round = this.round;
    if (!sites || !round) return;
    this.steps.update(round.sequence, round.placing);
    const reveal = round.verdict !== null;
    this.figure.render({ sites, view: this.view, obstacles: round.obstacles, reveal, audience: this.audience(), pin: round.pin });
    this.board.refreshCrosshair();
    this.figure.svg.setAttribute('aria-label', this.figureLabel(sites, round, reveal));
    this.legend.replaceChildren(...(reveal ? renderLegend(sites, this.view, round.obstacles, this.audience()) : []));
  }

  private figureLabel(sites: PinSites, round: Round, reveal: boolean): string {
    const parts = [`Body figure, ${this.view} view.`];
    for (const o of round.obstacles) if (o.view === this.view) parts.push(`${sites.obstacles.find((r) => r.kind === o.kind)?.name ?? o.kind} on ${o.where}.`);
    if (round.pin && round.pin.view === this.view) {
      const result = round.pin.result === 'correct' ? ' (correct)' : round.pin.result === 'incorrect' ? ' (incorrect)' : '';
      parts.push(`Your sensor is placed here${result}.`);
    }
    if (reveal) {
      const approved = sites.zones.filter((z) => z.approved && z.view === this.view).map((z) => z.name);
      parts.push(approved.length > 0 ? `Approved sites shown: ${approved.join(', ')}.` : 'No approved site on this side.');
    }
    return parts.join(' ');
  }

  // ---- the routine ---------------------------------------------------------------------------------------------

  private choose(step: StepId, keyboard: boolean): void {
    const round = this.round;
    if (!round) return;
    if (step === 'place' && round.sequence.canPlace()) {
      round.placing = true;
      this.board.arm();
      this.steps.say(
        keyboard
          ? 'Step 3: sensor picked up. Move the crosshair with the arrow keys and press Enter to place it.'
          : 'Step 3: sensor picked up. Click or tap the spot on the body, or drag the sensor there.',
        'info',
      );
      this.hint('');
      this.refresh();
      if (keyboard) this.board.focusStage();
      return;
    }
    const result = round.sequence.attempt(step);
    const info = (id: StepId): Step => round.steps.find((s) => s.id === id) ?? (round.steps[0] as Step);
    if (result.ok) {
      const done = info(step);
      if (result.complete) {
        this.steps.say(`✓ Routine complete! ${done.detail} Great job.`, 'ok');
      } else if (round.sequence.next() === 'place') {
        this.steps.say(`✓ Step ${done.number} done. Now step 3: place the sensor on the body map.`, 'ok');
      } else {
        this.steps.say(`✓ Step ${done.number} done: ${done.label}.`, 'ok');
      }
    } else if (result.reason === 'out_of_order') {
      this.steps.say(outOfOrderMessage(info(step), info(result.expected), round.sequence.slipsInARow), 'warn');
    }
    this.refresh();
    if (result.ok && round.sequence.next() === 'place') {
      // The next thing to do is at the sensor.
      if (this.container.contains(document.activeElement) && document.activeElement?.closest('.pin-choices')) {
        this.steps.button('place')?.focus();
      }
    }
  }

  /** Before a pick-up: only once hands are washed and the site is clean, and once a round. */
  private canPick(): boolean {
    const round = this.round;
    if (!round || round.pin) return false;
    if (round.sequence.canPlace()) return true;
    const expected = round.sequence.next();
    const tried = round.steps.find((s) => s.id === 'place');
    const next = round.steps.find((s) => s.id === expected);
    if (expected && tried && next) {
      round.sequence.attempt('place'); // counts the slip
      const text = outOfOrderMessage(tried, next, round.sequence.slipsInARow);
      // Said next to the sensor, where the player is (one live region, so it is announced once).
      this.hint(text, 'warn');
    }
    return false;
  }

  private hint(text: string, tone: 'info' | 'ok' | 'bad' | 'warn' = 'info'): void {
    this.boardHint.dataset['tone'] = tone;
    this.boardHint.textContent = text;
  }

  // ---- placing and the verdict -----------------------------------------------------------------------------------

  private place(p: Point): boolean {
    const round = this.round;
    const sites = this.sites;
    if (!round || !sites || !this.canPick()) return false;
    round.sequence.attempt('place');
    round.placing = false;
    const x = Math.round(p.x * 10000) / 10000;
    const y = Math.round(p.y * 10000) / 10000;
    round.pin = { view: this.view, x, y, result: 'pending' };
    this.board.setEnabled(false);
    this.hint('');
    this.steps.say('✓ Step 3 done: sensor placed. Carry on with step 4.', 'ok');
    this.refresh();
    void this.judge(round, sites, { view: this.view, x, y });
    return true;
  }

  private async judge(round: Round, sites: PinSites, at: { view: PinView; x: number; y: number }): Promise<void> {
    const ctx: VerdictContext = {
      sites,
      model: this.choice.model,
      ageGroup: this.choice.ageGroup,
      view: at.view,
      modelName: this.modelName(),
      ageLabel: this.ageLabel(),
    };
    if (!this.user) {
      this.showGuest(round, ctx);
      return;
    }
    this.result.replaceChildren(h('p', { class: 'loading' }, 'Checking your placement…'));
    let verdict: PinVerdict;
    try {
      verdict = await postAttempt({
        model: this.choice.model,
        age_group: this.choice.ageGroup,
        view: at.view,
        x: at.x,
        y: at.y,
        obstacles: round.obstacles.map(({ kind, view, x, y }) => ({ kind, view, x, y })),
      });
    } catch (err) {
      if (round !== this.round) return;
      if (err instanceof ApiError && err.status === 401) {
        setCurrentUser(null);
        this.showGuest(round, ctx);
        return;
      }
      const retry = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
      retry.addEventListener('click', () => void this.judge(round, sites, at));
      this.result.replaceChildren(h('p', { role: 'alert', class: 'pin-error' }, `Your placement could not be checked. ${describeError(err)}`), retry);
      this.hint('');
      return;
    }
    if (round !== this.round) return;
    round.verdict = verdict;
    if (round.pin) round.pin.result = verdict.correct ? 'correct' : 'incorrect';
    this.result.replaceChildren(renderVerdict(verdict, ctx));
    this.hint(verdictAnnouncement(verdict, ctx), verdict.correct ? 'ok' : 'bad');
    this.nextButton.hidden = false;
    this.refresh();
    void this.refreshProgress();
  }

  private showGuest(round: Round, ctx: VerdictContext): void {
    round.verdict = 'guest';
    if (round.pin) round.pin.result = 'unjudged';
    this.result.replaceChildren(renderGuestVerdict(ctx, withNext(SIGNIN_PATH, PIN_PATH), withNext(SIGNUP_PATH, PIN_PATH)));
    this.hint('Placed. Sign in to have it checked and scored; the approved sites are now shown on the body.');
    this.nextButton.hidden = false;
    this.refresh();
  }

  private async refreshProgress(): Promise<void> {
    if (!this.user) {
      this.progress.replaceChildren(renderProgressGuest(withNext(SIGNIN_PATH, PIN_PATH)));
      return;
    }
    try {
      const data = await listAttempts(RECENT);
      const sites = this.sites ?? this.sitesCache.values().next().value;
      this.progress.replaceChildren(renderProgress(data, sites ? zoneNames(sites) : new Map()));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setCurrentUser(null);
        return;
      }
      this.progress.replaceChildren(h('p', { class: 'pin-error' }, `Your progress could not be loaded. ${describeError(err)}`));
    }
  }

  // ---- words ---------------------------------------------------------------------------------------------------

  private renderGuestNote(): void {
    const notes: HTMLElement[] = [];
    const info = this.sites?.models[this.choice.model];
    if (info?.adults_only && this.choice.ageGroup !== 'adult') {
      notes.push(
        h('p', { class: 'notice pin-notice' }, `${info.name} is for adults (18 and over) who do not use insulin: no site is approved for a ${this.ageLabel()}. Try it anyway, or pick Dexcom G7 or G6.`),
      );
    }
    if (!this.user) {
      notes.push(
        h(
          'p',
          { class: 'notice pin-notice pin-guest-note' },
          'You are playing as a guest: you can practise, but only signed-in players get their placements checked and scored. ',
          h('a', { href: withNext(SIGNIN_PATH, PIN_PATH) }, 'Sign in'),
          ' or ',
          h('a', { href: withNext(SIGNUP_PATH, PIN_PATH) }, 'create an account'),
          '.',
        ),
      );
    }
    this.setup.note.replaceChildren(...notes);
  }

  private modelName(): string {
    return this.sites?.models[this.choice.model]?.name ?? CGM_MODELS.find((m) => m.value === this.choice.model)?.label ?? 'Dexcom';
  }

  private ageLabel(): string {
    return (AGE_GROUPS.find((a) => a.value === this.choice.ageGroup)?.label ?? this.choice.ageGroup).toLowerCase();
  }

  /** "G7 adult". */
  private audience(): string {
    return `${this.modelName().replace(/^Dexcom /, '')} ${this.ageLabel()}`;
  }
}

