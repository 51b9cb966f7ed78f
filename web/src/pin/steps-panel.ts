/**
 * The routine card: six numbered slots that fill up in order, and the steps still to do as buttons in shuffled
 * order. Choosing one out of turn says so (in the live region) and fills nothing. The sequence itself lives in
 * {@link StepSequence}; this only draws it.
 */
import { h } from '../ui/dom';
import type { Step, StepId, StepSequence } from './steps';

export interface StepsPanelOptions {
  /** A step button was chosen; `keyboard` when it came from Enter/Space. */
  choose(step: StepId, keyboard: boolean): void;
}

export type Tone = 'info' | 'ok' | 'warn';

export class StepsPanel {
  readonly element: HTMLElement;
  private readonly routine: HTMLOListElement;
  private readonly choices: HTMLElement;
  private readonly status: HTMLElement;
  private readonly progress: HTMLElement;
  private steps: Step[] = [];
  private order: StepId[] = [];

  constructor(private readonly options: StepsPanelOptions) {
    this.routine = h('ol', { class: 'pin-routine', 'aria-label': 'Your routine so far' });
    this.choices = h('div', { class: 'pin-choices', role: 'group', 'aria-labelledby': 'pin-choices-title' });
    this.status = h('p', { class: 'pin-step-status', role: 'status', 'aria-live': 'polite', 'data-tone': 'info' });
    this.progress = h('p', { class: 'pin-step-count' });
    this.element = h(
      'section',
      { class: 'card pin-card pin-steps', 'aria-labelledby': 'pin-steps-title' },
      h('div', { class: 'pin-card-head' }, h('h2', { id: 'pin-steps-title' }, 'Apply the sensor'), this.progress),
      h('p', { class: 'card-intro' }, 'Do the six steps in the right order. Step 3 is where you place the sensor on the body.'),
      this.routine,
      h('h3', { id: 'pin-choices-title', class: 'pin-choices-title' }, 'What comes next?'),
      this.choices,
      this.status,
    );
  }

  /** A new round: these steps, offered in this (shuffled) order. */
  setRound(steps: Step[], order: StepId[]): void {
    this.steps = steps;
    this.order = order;
    this.say('', 'info');
  }

  /** Redraws from the sequence. `placing`: step 3 was chosen and the sensor waits to be placed. */
  update(sequence: StepSequence, placing: boolean): void {
    const hadFocus = this.choices.contains(document.activeElement);
    const focusedId = hadFocus && document.activeElement instanceof HTMLElement ? document.activeElement.dataset['step'] : undefined;

    this.routine.replaceChildren(
      ...this.steps.map((step) => {
        const done = sequence.isDone(step.id);
        const current = !done && sequence.next() === step.id;
        const li = h('li', { class: 'pin-routine-item', 'data-state': done ? 'done' : current ? 'current' : 'todo' });
        li.append(h('span', { class: 'pin-routine-number', 'aria-hidden': 'true' }, done ? '✓' : String(step.number)));
        if (done) {
          li.append(h('span', { class: 'pin-routine-text' }, h('span', { class: 'visually-hidden' }, `Step ${step.number}, done: `), step.label));
        } else if (current && step.id === 'place' && placing) {
          li.append(h('span', { class: 'pin-routine-text' }, h('span', { class: 'visually-hidden' }, `Step ${step.number}, now: `), 'Place the sensor on the body…'));
        } else {
          li.append(h('span', { class: 'pin-routine-text pin-routine-text--empty' }, `Step ${step.number}${current ? ': what is next?' : ''}`));
        }
        return li;
      }),
    );

    const remaining = this.order.filter((id) => !sequence.isDone(id));
    const buttons = remaining.map((id) => {
      const step = this.steps.find((s) => s.id === id);
      const button = h(
        'button',
        { type: 'button', class: 'pin-choice', 'data-step': id },
        h('span', { class: 'pin-choice-label' }, step?.label ?? id),
        h('span', { class: 'pin-choice-detail' }, step?.detail ?? ''),
      );
      if (id === 'place' && placing) button.setAttribute('aria-pressed', 'true');
      button.addEventListener('click', (event) => this.options.choose(id, event.detail === 0));
      return button;
    });
    this.choices.replaceChildren(...buttons);
    if (buttons.length === 0) this.choices.append(h('p', { class: 'pin-choices-done' }, '✓ Routine complete.'));

    this.progress.textContent = `${sequence.done.length} of ${this.steps.length} done`;

    // Keep the keyboard where it was: the same button, or the first one left.
    if (hadFocus) {
      const again = buttons.find((b) => b.dataset['step'] === focusedId) ?? buttons[0];
      again?.focus();
    }
  }

  /** A message in the card's live region. */
  say(text: string, tone: Tone): void {
    this.status.dataset['tone'] = tone;
    this.status.textContent = text;
  }

  /** The button of a step, if still offered. */
  button(step: StepId): HTMLButtonElement | null {
    return this.choices.querySelector<HTMLButtonElement>(`button[data-step="${step}"]`);
  }
}
