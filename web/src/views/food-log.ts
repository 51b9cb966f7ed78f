/**
 * Food Log: one day at a time in the user's time zone. Add catalog or custom foods, see the entries by meal with
 * their GI and GL bands, edit or delete them (with undo), the day's totals, the last 14 or 30 days as charts, and
 * what GI and GL mean. Signed out, it explains itself and links to sign-in.
 */
import '../food/food-log.css';
import type { User } from '../api/accounts';
import { ApiError } from '../api/client';
import { addEntry, deleteEntry, entryToNew, getDayLog, getDaySummary, type DaySummary, type FoodLogEntry } from '../api/food';
import { clear, h } from '../ui/dom';
import { describeError, setBusy } from '../ui/forms';
import { featureIcon } from '../ui/icons';
import { SIGNIN_PATH, SIGNUP_PATH, withNext } from '../ui/navigation';
import { loadSession, onSessionChange, setCurrentUser } from '../ui/session';
import { addFoodCard, type AddForm, type DayContext } from '../food/add-form';
import { historyCard, type HistoryCard } from '../food/history';
import { addDays, dayInZone, displayDay, isDay } from '../food/dates';
import { renderEntries } from '../food/entries';
import { explainerCard } from '../food/explainer';
import { renderSummary } from '../food/summary';

export const FOOD_LOG_PATH = '/food-log.html';

export async function mount(root: HTMLElement): Promise<void> {
  const container = h('div', { class: 'container food-log' });
  root.append(container);
  await load(container);
}

async function load(container: HTMLElement): Promise<void> {
  clear(container);
  container.append(h('p', { class: 'loading', role: 'status' }, 'Loading your food log…'));
  let user: User | null;
  try {
    user = await loadSession();
  } catch (err) {
    clear(container);
    container.append(loadFailed(err, () => void load(container)));
    return;
  }
  clear(container);
  if (!user) {
    container.append(signedOut());
    return;
  }
  const page = new FoodLogPage(container, user);
  // Signed out elsewhere on the page (the header's button, or a 401 here): show the signed-out view.
  const stop = onSessionChange((next) => {
    if (next === null) {
      stop();
      page.destroy();
      clear(container);
      container.append(signedOut());
    }
  });
  await page.start(initialDate());
}

/** `?date=YYYY-MM-DD` from the address, when it is a real date. */
function initialDate(): string | undefined {
  const date = new URLSearchParams(window.location.search).get('date');
  return date && isDay(date) ? date : undefined;
}

export function signedOut(): HTMLElement {
  return h(
    'section',
    { class: 'placeholder placeholder--food-log food-signed-out', 'aria-labelledby': 'page-title' },
    h('div', { class: 'placeholder-icon' }, featureIcon('food-log')),
    h('h1', { id: 'page-title' }, 'Food Log'),
    h(
      'p',
      { class: 'lead' },
      'Log what you eat and see the carbohydrate, glycemic index (GI) and glycemic load (GL) of every food, meal and day, with charts of the last weeks. Sign in to keep your own log.',
    ),
    h(
      'p',
      { class: 'placeholder-actions button-row' },
      h('a', { class: 'button button--primary', href: withNext(SIGNIN_PATH, FOOD_LOG_PATH) }, 'Sign in'),
      h('a', { class: 'button button--secondary', href: withNext(SIGNUP_PATH, FOOD_LOG_PATH) }, 'Create an account'),
    ),
  );
}

function loadFailed(err: unknown, retry: () => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
  button.addEventListener('click', retry);
  return h(
    'section',
    { class: 'placeholder placeholder--food-log', 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title' }, 'Food Log'),
    h('p', { class: 'lead', role: 'alert' }, `Your food log could not be loaded. ${describeError(err)}`),
    h('p', { class: 'placeholder-actions' }, button),
  );
}

/** The signed-in page and its state: the day shown, today, and the user's time zone. */
class FoodLogPage {
  private date = '';
  private today = '';
  private timeZone: string;
  private loadSeq = 0;
  private readonly dateInput: HTMLInputElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly todayButton: HTMLButtonElement;
  private readonly dayTitle: HTMLElement;
  private readonly entriesBody: HTMLElement;
  private readonly entriesStatus: HTMLElement;
  private readonly summaryBody: HTMLElement;
  private readonly addForm: AddForm;
  private readonly history: HistoryCard;

  constructor(
    container: HTMLElement,
    private readonly user: User,
  ) {
    this.timeZone = user.settings.time_zone;

    const arrow = (text: string): HTMLElement => h('span', { 'aria-hidden': 'true' }, text);
    const stepText = (text: string): HTMLElement => h('span', { class: 'day-step-text' }, text);
    this.prev = h('button', { type: 'button', class: 'day-step', 'aria-label': 'Previous day' }, arrow('‹'), stepText('Previous'));
    this.next = h('button', { type: 'button', class: 'day-step', 'aria-label': 'Next day' }, stepText('Next'), arrow('›'));
    this.todayButton = h('button', { type: 'button', class: 'day-today', hidden: true }, 'Today');
    this.dateInput = h('input', { type: 'date', id: 'food-date', class: 'input input--compact day-input', required: true });
    this.prev.addEventListener('click', () => void this.show(addDays(this.date, -1)));
    this.next.addEventListener('click', () => void this.show(addDays(this.date, 1)));
    this.todayButton.addEventListener('click', () => void this.show(this.today));
    this.dateInput.addEventListener('change', () => {
      const value = this.dateInput.value;
      // A typed date after today shows today: the log takes no entries for days to come.
      if (isDay(value)) void this.show(this.today && value > this.today ? this.today : value);
    });
    this.dayTitle = h('h2', { id: 'day-title', class: 'day-title', 'aria-live': 'polite' }, ' ');

    this.addForm = addFoodCard({
      context: () => this.context(),
      onAdded: () => void this.refresh(),
      onSignedOut: () => this.signedOut(),
    });

    this.entriesStatus = h('div', { class: 'entries-status', role: 'status' });
    this.entriesBody = h('div', { class: 'entries-body' });
    this.summaryBody = h('div', { class: 'summary-body' });
    this.history = historyCard({ onSignedOut: () => this.signedOut() });

    const head = h(
      'header',
      { class: 'food-head' },
      h('div', { class: 'food-head-icon' }, featureIcon('food-log')),
      h(
        'div',
        undefined,
        h('p', { class: 'kicker-muted food-kicker' }, 'Food Log'),
        h('h1', { id: 'page-title', class: 'food-title' }, 'What did you eat?'),
        h('p', { class: 'food-lead' }, `Carbs, glycemic index and glycemic load, one day at a time. Days run midnight to midnight in ${this.timeZone}.`),
      ),
    );
    const dayBar = h(
      'nav',
      { class: 'day-bar', 'aria-label': 'Choose a day' },
      this.dayTitle,
      h(
        'div',
        { class: 'day-controls' },
        this.prev,
        h('label', { for: 'food-date', class: 'visually-hidden' }, 'Day'),
        this.dateInput,
        this.next,
        this.todayButton,
      ),
    );
    const entriesCard = h(
      'section',
      { class: 'card food-card food-entries', 'aria-labelledby': 'entries-title' },
      h('h2', { id: 'entries-title' }, 'Entries'),
      this.entriesStatus,
      this.entriesBody,
    );
    const summaryCard = h(
      'section',
      { class: 'card food-card food-summary', 'aria-labelledby': 'summary-title' },
      h('h2', { id: 'summary-title' }, 'Day totals'),
      this.summaryBody,
    );

    container.append(
      head,
      dayBar,
      h('div', { class: 'food-grid' }, h('div', { class: 'food-main' }, this.addForm.element, entriesCard), h('div', { class: 'food-side' }, summaryCard)),
      this.history.element,
      explainerCard(),
    );
  }

  private context(): DayContext {
    return { date: this.date, today: this.today, timeZone: this.timeZone };
  }

  async start(date: string | undefined): Promise<void> {
    await this.show(date);
  }

  destroy(): void {
    this.loadSeq++;
    this.history.destroy();
  }

  /** Loads and shows `date` (undefined: the server's today). */
  async show(date: string | undefined, focusEntry?: number): Promise<void> {
    const seq = ++this.loadSeq;
    this.entriesBody.setAttribute('aria-busy', 'true');
    this.summaryBody.setAttribute('aria-busy', 'true');
    let log;
    let summary: DaySummary;
    try {
      [log, summary] = await Promise.all([getDayLog(date), getDaySummary(date)]);
    } catch (err) {
      if (seq !== this.loadSeq) return;
      this.entriesBody.removeAttribute('aria-busy');
      this.summaryBody.removeAttribute('aria-busy');
      if (err instanceof ApiError && err.status === 401) return this.signedOut();
      this.entriesBody.replaceChildren(h('p', { class: 'form-alert', role: 'alert' }, `This day could not be loaded. ${describeError(err)}`));
      return;
    }
    if (seq !== this.loadSeq) return;
    this.timeZone = log.time_zone;
    if (date === undefined) this.today = log.date;
    else if (this.today === '') this.today = dayInZone(new Date().toISOString(), this.timeZone);
    const dayChanged = this.date !== log.date;
    this.date = log.date;
    this.updateDayBar();
    this.renderDay(log.items, summary);
    if (dayChanged) {
      this.addForm.refreshDefaults();
      if (focusEntry === undefined && !this.entriesStatus.contains(document.activeElement)) this.announce('');
    }
    this.history.ensure(this.today);
    if (focusEntry !== undefined) {
      this.entriesBody.querySelector<HTMLButtonElement>(`[data-entry-id="${focusEntry}"] .entry-edit`)?.focus();
    }
  }

  /** Reloads the day shown and the charts after a change. */
  private async refresh(focusEntry?: number): Promise<void> {
    this.history.invalidate();
    await this.show(this.date, focusEntry);
  }

  private updateDayBar(): void {
    const isToday = this.date === this.today;
    this.dayTitle.textContent = isToday ? `Today, ${displayDay(this.date)}` : displayDay(this.date);
    this.dateInput.value = this.date;
    this.dateInput.max = this.today;
    this.next.disabled = this.date >= this.today;
    this.todayButton.hidden = isToday;
    const url = new URL(window.location.href);
    if (isToday) url.searchParams.delete('date');
    else url.searchParams.set('date', this.date);
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url);
  }

  private renderDay(entries: FoodLogEntry[], summary: DaySummary): void {
    this.entriesBody.removeAttribute('aria-busy');
    this.summaryBody.removeAttribute('aria-busy');
    this.entriesBody.replaceChildren(
      renderEntries(entries, {
        timeZone: () => this.timeZone,
        unit: () => this.user.settings.glucose_unit,
        onUpdated: (updated) => {
          this.announce(`Saved ${updated.food.name}.`);
          void this.refresh(updated.id);
        },
        onDelete: (entry, button) => this.remove(entry, button),
        onSignedOut: () => this.signedOut(),
      }),
    );
    this.summaryBody.replaceChildren(renderSummary(summary));
  }

  private announce(message: string, ...extra: HTMLElement[]): void {
    this.entriesStatus.replaceChildren();
    if (message) this.entriesStatus.append(h('div', { class: 'notice entries-notice' }, h('p', undefined, message, ...extra.flatMap((e) => [' ', e]))));
  }

  /** Deletes at once; the notice offers "Undo", which logs the same food, amount, meal and time again. */
  private remove(entry: FoodLogEntry, button: HTMLButtonElement): void {
    setBusy(button, true, 'Deleting…');
    deleteEntry(entry.id).then(
      () => {
        const undo = h('button', { type: 'button', class: 'link-button entries-undo' }, 'Undo');
        undo.addEventListener('click', () => {
          setBusy(undo, true, 'Restoring…');
          addEntry(entryToNew(entry)).then(
            (created) => {
              this.announce(`Restored ${created.food.name}.`);
              void this.refresh(created.id);
            },
            (err: unknown) => {
              if (err instanceof ApiError && err.status === 401) return this.signedOut();
              setBusy(undo, false);
              this.announce(`Could not restore ${entry.food.name}. ${describeError(err)}`);
            },
          );
        });
        this.announce(`Deleted ${entry.food.name}.`, undo);
        undo.focus();
        void this.refresh();
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) return this.signedOut();
        setBusy(button, false);
        this.announce(`Could not delete ${entry.food.name}. ${describeError(err)}`);
      },
    );
  }

  /** The session ended (a 401): the whole page switches to the signed-out view. */
  private signedOut(): void {
    setCurrentUser(null);
  }
}
