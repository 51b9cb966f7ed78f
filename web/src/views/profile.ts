/**
 * Profile: the signed-in user's display name and settings, notification choices, password change, data export and
 * account deletion.
 * Signed out, it offers the way to sign in (and back here).
 */
import {
  AGE_GROUPS,
  CGM_MODELS,
  GLUCOSE_UNITS,
  updateMe,
  type AgeGroup,
  type CgmModel,
  type GlucoseUnit,
  type Settings,
  type User,
  type UserPatch,
} from '../api/accounts';
import { checkDisplayName, checkTargets, checkTimeZone, mgdlToMmol } from '../ui/account-validation';
import { clear, h } from '../ui/dom';
import { FormFeedback, describeError, formStatus, inputField, radioField, radioValue, selectField } from '../ui/forms';
import { featureIcon } from '../ui/icons';
import { PROFILE_PATH, SIGNIN_PATH, SIGNUP_PATH, withNext } from '../ui/navigation';
import { loadSession, setCurrentUser } from '../ui/session';
import { initial } from '../ui/shell';
import { timeZonePicker } from '../ui/time-zone-field';
import { SESSION_ENDED, announce, card, deleteCard, exportCard, passwordCard } from './profile-account';
import { notificationsCard } from './profile-notifications';

export async function mount(root: HTMLElement): Promise<void> {
  const container = h('div', { class: 'container profile' });
  root.append(container);
  await load(container);
}

async function load(container: HTMLElement): Promise<void> {
  clear(container);
  container.append(h('p', { class: 'loading', role: 'status' }, 'Loading your profile…'));
  let user: User | null;
  try {
    user = await loadSession({ verify: true });
  } catch (err) {
    clear(container);
    container.append(loadFailed(err, () => void load(container)));
    return;
  }
  clear(container);
  container.append(...(user ? profile(user) : [signedOut()]));
}

function signedOut(): HTMLElement {
  return h(
    'section',
    { class: 'placeholder profile-signed-out', 'aria-labelledby': 'page-title' },
    h('div', { class: 'placeholder-icon' }, featureIcon('signin')),
    h('h1', { id: 'page-title' }, 'Your profile'),
    h('p', { class: 'lead' }, 'Sign in to see your profile, choose your glucose unit, target range and time zone, and manage your data.'),
    h(
      'p',
      { class: 'placeholder-actions button-row' },
      h('a', { class: 'button button--primary', href: withNext(SIGNIN_PATH, PROFILE_PATH) }, 'Sign in'),
      h('a', { class: 'button button--secondary', href: withNext(SIGNUP_PATH, PROFILE_PATH) }, 'Create an account'),
    ),
  );
}

function loadFailed(err: unknown, retry: () => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
  button.addEventListener('click', retry);
  return h(
    'section',
    { class: 'placeholder', 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title' }, 'Your profile'),
    h('p', { class: 'lead', role: 'alert' }, `Your profile could not be loaded. ${describeError(err)}`),
    h('p', { class: 'placeholder-actions' }, button),
  );
}

/** The signed-in page: heading, then one card per task. */
function profile(user: User): HTMLElement[] {
  const avatar = h('span', { class: 'avatar avatar--large', 'aria-hidden': 'true' }, initial(user.display_name));
  const title = h('h1', { id: 'page-title', class: 'profile-name' }, user.display_name);
  const since = new Date(user.created_at);
  const meta = h(
    'p',
    { class: 'profile-meta' },
    'Signed in as ',
    h('strong', undefined, `@${user.username}`),
    Number.isNaN(since.getTime()) ? null : ` · member since ${since.toLocaleDateString(undefined, { dateStyle: 'medium' })}`,
    user.role === 'admin' ? h('span', { class: 'badge' }, 'Admin') : null,
  );
  const head = h('header', { class: 'profile-head' }, avatar, h('div', undefined, h('p', { class: 'kicker-muted' }, 'Your profile'), title, meta));
  const onRenamed = (updated: User): void => {
    title.textContent = updated.display_name;
    avatar.textContent = initial(updated.display_name);
  };

  return [
    head,
    h(
      'div',
      { class: 'profile-grid' },
      h('div', { class: 'profile-side' }, settingsCard(user, onRenamed), notificationsCard()),
      h('div', { class: 'profile-side' }, passwordCard(), exportCard(user), deleteCard()),
    ),
  ];
}

// ---- display name and settings -------------------------------------------------------------------------------

function settingsCard(initialUser: User, onSaved: (user: User) => void): HTMLElement {
  let user = initialUser;
  const s = user.settings;

  const displayName = inputField({
    name: 'display_name',
    label: 'Display name',
    value: user.display_name,
    autocomplete: 'nickname',
    hint: 'Shown on leaderboards. 1 to 40 characters.',
    attrs: { required: true },
  });
  const unit = radioField({
    name: 'settings.glucose_unit',
    label: 'Glucose unit',
    value: s.glucose_unit,
    choices: GLUCOSE_UNITS.map((u) => ({ value: u, label: u })),
  });
  const low = inputField({
    name: 'settings.target_low_mg_dl',
    label: 'Low target',
    type: 'number',
    describedBy: ['target-range-hint'],
    value: String(s.target_low_mg_dl),
    attrs: { min: 50, max: 300, step: 1, inputmode: 'numeric', required: true },
  });
  const high = inputField({
    name: 'settings.target_high_mg_dl',
    label: 'High target',
    type: 'number',
    describedBy: ['target-range-hint'],
    value: String(s.target_high_mg_dl),
    attrs: { min: 50, max: 300, step: 1, inputmode: 'numeric', required: true },
  });
  // "mg/dL" inside the box; the shared hint (aria-describedby) says the unit to screen readers.
  for (const target of [low, high]) {
    const wrap = h('div', { class: 'input-unit' });
    target.control.replaceWith(wrap);
    wrap.append(target.control, h('span', { class: 'unit', 'aria-hidden': 'true' }, 'mg/dL'));
  }
  const rangeHint = h('p', { class: 'field-hint', id: 'target-range-hint' });
  const range = h(
    'fieldset',
    { class: 'field field--group target-range' },
    h('legend', { class: 'label' }, 'Target range'),
    rangeHint,
    h('div', { class: 'pair' }, low.row, high.row),
  );
  const updateRangeHint = (): void => {
    const l = Number(low.control.value);
    const hgh = Number(high.control.value);
    const mmol =
      radioValue(unit) === 'mmol/L' && Number.isFinite(l) && Number.isFinite(hgh) && low.control.value && high.control.value
        ? ` That is ${mgdlToMmol(l)}–${mgdlToMmol(hgh)} mmol/L.`
        : '';
    rangeHint.textContent = `Whole numbers from 50 to 300 mg/dL, low below high. The usual range is 70–180.${mmol}`;
  };
  updateRangeHint();
  for (const control of [low.control, high.control, ...unit.controls]) control.addEventListener('input', updateRangeHint);
  for (const control of unit.controls) control.addEventListener('change', updateRangeHint);

  const zone = timeZonePicker({
    name: 'settings.time_zone',
    label: 'Time zone',
    value: s.time_zone,
    hint: 'Days in your food log and trends start at midnight in this zone.',
  });
  const cgm = selectField({
    name: 'settings.cgm_model',
    label: 'CGM model',
    value: s.cgm_model,
    choices: CGM_MODELS,
    hint: 'Pin the Dexcom practises the sensor sites for this model.',
  });
  const age = radioField({
    name: 'settings.age_group',
    label: 'Age group',
    value: s.age_group,
    choices: AGE_GROUPS,
    hint: 'Sensor sites approved for your age group.',
  });

  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Save changes');
  const status = formStatus('settings-status');
  const fields = [displayName, unit, low, high, zone.field, cgm, age];
  const feedback = new FormFeedback(fields, submit);
  const validate = feedback.withRules({
    display_name: () => checkDisplayName(displayName.control.value, true),
    'settings.target_low_mg_dl': () => checkTargets(low.control.value, high.control.value).low,
    'settings.target_high_mg_dl': () => checkTargets(low.control.value, high.control.value).high,
    'settings.time_zone': () => checkTimeZone(zone.select.value, zone.zones),
  });

  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'settings-title' },
    feedback.alert,
    displayName.row,
    unit.row,
    range,
    zone.field.row,
    h('div', { class: 'pair' }, cgm.row, age.row),
    h('div', { class: 'form-actions' }, submit, status),
  );

  let inFlight = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    feedback.reset();
    announce(status, '');
    if (!validate()) return;

    const patch = changes(user, {
      display_name: displayName.control.value.trim(),
      settings: {
        glucose_unit: radioValue(unit) as GlucoseUnit,
        target_low_mg_dl: Number(low.control.value),
        target_high_mg_dl: Number(high.control.value),
        time_zone: zone.select.value,
        cgm_model: cgm.control.value as CgmModel,
        age_group: radioValue(age) as AgeGroup,
      },
    });
    if (!patch) {
      announce(status, 'Nothing to save: no changes.');
      return;
    }
    inFlight = true;
    feedback.busy(true, 'Saving…');
    updateMe(patch).then(
      (updated) => {
        inFlight = false;
        feedback.busy(false);
        user = updated;
        displayName.control.value = updated.display_name;
        setCurrentUser(updated);
        onSaved(updated);
        announce(status, 'Changes saved.');
      },
      (err: unknown) => {
        inFlight = false;
        feedback.busy(false);
        feedback.fail(err, { unauthorized: SESSION_ENDED });
      },
    );
  });

  return card('settings', 'Profile and settings', null, form);
}

/** The PATCH body for what differs from `user`, or null when nothing does. */
export function changes(user: User, wanted: { display_name: string; settings: Settings }): UserPatch | null {
  const patch: UserPatch = {};
  if (wanted.display_name !== user.display_name) patch.display_name = wanted.display_name;
  const settings: Partial<Settings> = {};
  for (const key of Object.keys(wanted.settings) as (keyof Settings)[]) {
    if (wanted.settings[key] !== user.settings[key]) Object.assign(settings, { [key]: wanted.settings[key] });
  }
  if (Object.keys(settings).length > 0) patch.settings = settings;
  return Object.keys(patch).length > 0 ? patch : null;
}
