/**
 * The setup card: which sensor (Dexcom G7, G6, Stelo), which age group, and whether rounds put a pump site or a
 * tattoo on the body. Defaults come from the user's profile.
 */
import { AGE_GROUPS, CGM_MODELS, type AgeGroup, type CgmModel } from '../api/accounts';
import { h } from '../ui/dom';
import { radioField, radioValue } from '../ui/forms';

export interface SetupChoice {
  model: CgmModel;
  ageGroup: AgeGroup;
  obstacles: boolean;
}

export interface SetupCard {
  element: HTMLElement;
  /** The line under the controls (the Stelo age note, the guest note). */
  note: HTMLElement;
  value(): SetupChoice;
}

export function setupCard(initial: SetupChoice, onChange: (choice: SetupChoice, what: 'sensor' | 'obstacles') => void): SetupCard {
  const model = radioField({ name: 'pin_model', label: 'Sensor', value: initial.model, choices: CGM_MODELS });
  const age = radioField({ name: 'pin_age', label: 'Age group', value: initial.ageGroup, choices: AGE_GROUPS });
  const obstacles = h('input', { type: 'checkbox', id: 'pin-obstacles', class: 'checkbox', name: 'pin_obstacles' });
  obstacles.checked = initial.obstacles;
  const obstaclesRow = h(
    'div',
    { class: 'field pin-obstacles-field' },
    h('span', { class: 'label', id: 'pin-obstacles-legend' }, 'Challenge'),
    h('label', { class: 'check-row pin-check', for: 'pin-obstacles' }, obstacles, h('span', undefined, 'Add a pump site or a tattoo to some rounds')),
  );
  const note = h('div', { class: 'pin-setup-note' });

  const value = (): SetupChoice => ({
    model: radioValue(model) as CgmModel,
    ageGroup: radioValue(age) as AgeGroup,
    obstacles: obstacles.checked,
  });
  for (const control of [...model.controls, ...age.controls]) control.addEventListener('change', () => onChange(value(), 'sensor'));
  obstacles.addEventListener('change', () => onChange(value(), 'obstacles'));

  const element = h(
    'section',
    { class: 'card pin-card pin-setup', 'aria-label': 'Game settings' },
    h('div', { class: 'pin-setup-row' }, model.row, age.row, obstaclesRow),
    note,
  );
  return { element, note, value };
}
