/**
 * The start screen: what the Diabetes Plate Method asks for, how to play (drag, or pick then place; the keyboard
 * works the same way), and the choices: how many plates, and relaxed mode (no timer, not scored, not on the
 * leaderboard). Guests play relaxed; signing in unlocks timed games.
 */
import type { User } from '../../api/accounts';
import type { PlateRules } from '../../api/plate';
import { h } from '../../ui/dom';
import { SIGNIN_PATH, SIGNUP_PATH, withNext } from '../../ui/navigation';
import { PlateBoard } from './board';
import { PLATE_PAGE } from './results';
import { ROUND_SECONDS } from './state';

export interface SetupChoice {
  plates: number;
  relaxed: boolean;
}

export interface SetupOptions {
  user: User | null;
  rules: PlateRules;
  previous?: SetupChoice;
  onStart: (choice: SetupChoice, button: HTMLButtonElement) => void;
  /** Shown in the form's alert region (e.g. the session could not start). */
  problem?: string;
}

function platesChoice(max: number, value: number): { row: HTMLElement; value: () => number } {
  const choices = [
    { plates: 1, label: '1 plate', hint: 'lunch' },
    { plates: Math.min(3, max), label: `${Math.min(3, max)} plates`, hint: 'breakfast, lunch and dinner' },
  ];
  const segments = h('div', { class: 'segmented' });
  const radios: HTMLInputElement[] = [];
  choices.forEach((choice, i) => {
    const id = `plate-count-${i}`;
    const radio = h('input', { type: 'radio', id, name: 'plate-count', value: choice.plates, class: 'segmented-input' });
    radio.checked = choice.plates === value;
    radios.push(radio);
    segments.append(radio, h('label', { for: id, class: 'segmented-label' }, choice.label));
  });
  if (!radios.some((r) => r.checked) && radios[0]) radios[0].checked = true;
  const hint = h('p', { class: 'field-hint', id: 'plate-count-hint' }, choices.map((c) => `${c.label}: ${c.hint}.`).join(' '));
  const row = h('fieldset', { class: 'field field--group', 'aria-describedby': 'plate-count-hint' }, h('legend', { class: 'label' }, 'How many plates?'), hint, segments);
  return { row, value: () => Number(radios.find((r) => r.checked)?.value ?? 1) };
}

export function renderSetup(options: SetupOptions): HTMLElement {
  const guest = options.user === null;
  const plates = platesChoice(options.rules.max_plates, options.previous?.plates ?? Math.min(3, options.rules.max_plates));

  const relaxed = h('input', { type: 'checkbox', id: 'plate-relaxed', class: 'switch-input', 'aria-describedby': 'plate-relaxed-hint' });
  relaxed.checked = guest || (options.previous?.relaxed ?? false);
  relaxed.disabled = guest;
  const relaxedRow = h(
    'div',
    { class: 'field switch-field' },
    h('span', { class: 'switch-row' }, relaxed, h('label', { for: 'plate-relaxed', class: 'switch-label' }, 'Relaxed mode')),
    h(
      'p',
      { id: 'plate-relaxed-hint', class: 'field-hint' },
      'No timer, take all the time you need. Relaxed games are not scored and do not go on the leaderboard.',
    ),
  );

  const alert = h('p', { class: 'form-alert', role: 'alert' }, options.problem ?? '');
  const start = h('button', { type: 'submit', class: 'button button--primary button--big', id: 'plate-start' }, 'Start game');
  const form = h('form', { class: 'form plate-setup-form', novalidate: true, 'aria-labelledby': 'plate-setup-title' },
    h('h2', { id: 'plate-setup-title' }, 'Ready to cook?'),
    alert,
    plates.row,
    relaxedRow,
    guest
      ? h(
          'p',
          { class: 'notice plate-guest-note' },
          'Guests play relaxed games. ',
          h('a', { href: withNext(SIGNIN_PATH, PLATE_PAGE) }, 'Sign in'),
          ' or ',
          h('a', { href: withNext(SIGNUP_PATH, PLATE_PAGE) }, 'create an account'),
          ' to play timed games, get a score from the server and join the leaderboard.',
        )
      : null,
    h('div', { class: 'form-actions' }, start),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (start.disabled) return;
    options.onStart({ plates: plates.value(), relaxed: relaxed.checked }, start);
  });

  const demo = new PlateBoard({ interactive: false, label: 'The Diabetes Plate Method: half the plate vegetables, a quarter protein, a quarter carbohydrate foods, and water to drink' });
  demo.svg.classList.add('plate-board--demo');

  const min = options.rules.min_seconds_per_plate;
  return h(
    'div',
    { class: 'plate-setup' },
    h(
      'header',
      { class: 'plate-head' },
      h('p', { class: 'plate-kicker' }, 'Game'),
      h('h1', { id: 'page-title', tabindex: '-1' }, 'Perfect Plate'),
      h('p', { class: 'plate-lead' }, 'Build balanced meals by the Diabetes Plate Method, then see what the server thinks of them.'),
    ),
    h(
      'div',
      { class: 'plate-setup-grid' },
      h('div', { class: 'card plate-setup-card' }, form),
      h(
        'section',
        { class: 'card plate-method', 'aria-labelledby': 'plate-method-title' },
        h('h2', { id: 'plate-method-title' }, 'The plate method'),
        h('div', { class: 'plate-method-art' }, demo.svg),
        h(
          'ul',
          { class: 'method-list' },
          h('li', { class: 'method--vegetables' }, h('strong', undefined, 'Half: '), 'non-starchy vegetables (broccoli, salad, peppers).'),
          h('li', { class: 'method--protein' }, h('strong', undefined, 'A quarter: '), 'lean protein (chicken, fish, eggs, tofu).'),
          h('li', { class: 'method--carbohydrate' }, h('strong', undefined, 'A quarter: '), 'carbohydrate foods (whole grains, beans, fruit). Lower GI is gentler on glucose.'),
          h('li', { class: 'method--drink' }, h('strong', undefined, 'To drink: '), 'water or a zero-calorie drink.'),
        ),
        h('p', { class: 'plate-source' }, `Source: ${options.rules.source}.`),
      ),
      h(
        'section',
        { class: 'card plate-howto', 'aria-labelledby': 'plate-howto-title' },
        h('h2', { id: 'plate-howto-title' }, 'How to play'),
        h(
          'ol',
          { class: 'howto-list' },
          h('li', undefined, 'Drag a food from the tray onto a section of the plate, or tap the food and then tap the section.'),
          h('li', undefined, 'With a keyboard: Tab to a food and press Enter, then press Enter on a section. Escape puts the food back.'),
          h('li', undefined, 'Change a portion with − and +, or type the grams. Remove what you do not want.'),
          h('li', undefined, 'Press Serve when the plate is ready.'),
          h(
            'li',
            undefined,
            `Timed games give ${ROUND_SECONDS} seconds a plate (pause any time). Faster plates earn a time bonus, counted over the whole game. Plates served in under ${min} seconds are not accepted.`,
          ),
        ),
      ),
    ),
  );
}
