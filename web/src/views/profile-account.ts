/**
 * The profile's account cards: password change, data export, and account deletion (with a confirmation step that
 * asks for the password). Shared bits of the profile page (`card`, `announce`) live here too.
 */
import { changePassword, deleteMe, exportMe, type User } from '../api/accounts';
import { ApiError } from '../api/client';
import { checkConfirmation, checkPassword } from '../ui/account-validation';
import { h } from '../ui/dom';
import { downloadJson, exportFileName } from '../ui/download';
import {
  FormFeedback,
  describeError,
  formAlert,
  formStatus,
  holdWhileRateLimited,
  inputField,
  setBusy,
  setFieldError,
} from '../ui/forms';
import { HOME_PATH, pageNav } from '../ui/navigation';
import { setCurrentUser } from '../ui/session';

export const SESSION_ENDED = 'You have been signed out. Sign in again, then retry.';

/** A titled card section of the profile page. */
export function card(id: string, title: string, intro: string | null, ...children: (Node | null)[]): HTMLElement {
  return h(
    'section',
    { class: `card profile-card profile-card--${id}`, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    intro ? h('p', { class: 'card-intro' }, intro) : null,
    ...children,
  );
}

/** Sets a status region's text so that screen readers announce it again even when it repeats. */
export function announce(status: HTMLElement, message: string): void {
  status.textContent = '';
  if (message) window.setTimeout(() => (status.textContent = message), 50);
}

// ---- password ------------------------------------------------------------------------------------------------

export function passwordCard(): HTMLElement {
  const current = inputField({
    name: 'current_password',
    label: 'Current password',
    type: 'password',
    autocomplete: 'current-password',
    attrs: { required: true },
  });
  const next = inputField({
    name: 'new_password',
    label: 'New password',
    type: 'password',
    autocomplete: 'new-password',
    hint: '8 to 128 characters.',
    attrs: { required: true },
  });
  const confirm = inputField({
    name: 'confirm_new_password',
    label: 'Confirm new password',
    type: 'password',
    autocomplete: 'new-password',
    attrs: { required: true },
  });
  const submit = h('button', { type: 'submit', class: 'button button--secondary' }, 'Change password');
  const status = formStatus('password-status');
  const feedback = new FormFeedback([current, next, confirm], submit);
  const validate = feedback.withRules({
    current_password: () => (current.control.value === '' ? 'Enter your current password.' : null),
    new_password: () => checkPassword(next.control.value, 'a new password'),
    confirm_new_password: () => checkConfirmation(next.control.value, confirm.control.value),
  });
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'password-title' },
    feedback.alert,
    current.row,
    next.row,
    confirm.row,
    h('div', { class: 'form-actions' }, submit, status),
  );

  let inFlight = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    feedback.reset();
    announce(status, '');
    if (!validate()) return;
    inFlight = true;
    feedback.busy(true, 'Changing…');
    changePassword(current.control.value, next.control.value).then(
      () => {
        inFlight = false;
        feedback.busy(false);
        for (const field of [current, next, confirm]) field.control.value = '';
        announce(status, 'Password changed. Other devices were signed out.');
      },
      (err: unknown) => {
        inFlight = false;
        feedback.busy(false);
        // The contract says 401; the server also names the field in a 400. Either way: the current password is wrong.
        if (err instanceof ApiError && (err.status === 401 || (err.status === 400 && err.field === 'current_password'))) {
          setFieldError(current, 'That is not your current password.');
          current.control.focus();
          return;
        }
        feedback.fail(err);
        holdWhileRateLimited(err, submit);
      },
    );
  });

  return card('password', 'Password', 'Other devices are signed out when you change it.', form);
}

// ---- export --------------------------------------------------------------------------------------------------

export function exportCard(user: User): HTMLElement {
  const button = h('button', { type: 'button', class: 'button button--secondary' }, 'Export my data');
  const status = formStatus('export-status');
  const alert = formAlert();
  button.addEventListener('click', () => {
    if (button.disabled) return;
    alert.textContent = '';
    announce(status, '');
    setBusy(button, true, 'Preparing…');
    exportMe().then(
      (data) => {
        setBusy(button, false);
        const fileName = exportFileName(user.username);
        downloadJson(fileName, data);
        announce(status, `Downloaded ${fileName}.`);
      },
      (err: unknown) => {
        setBusy(button, false);
        alert.textContent =
          err instanceof ApiError && err.status === 401 ? SESSION_ENDED : `The export failed. ${describeError(err)}`;
      },
    );
  });
  return card(
    'export',
    'Your data',
    'Download everything GlucoPlay keeps about you — profile, settings, scores, food log and glucose readings — as one JSON file.',
    alert,
    h('div', { class: 'form-actions' }, button, status),
  );
}

// ---- delete --------------------------------------------------------------------------------------------------

export function deleteCard(): HTMLElement {
  const open = h(
    'button',
    { type: 'button', class: 'button button--danger-outline', 'aria-expanded': 'false', 'aria-controls': 'delete-confirm' },
    'Delete account…',
  );
  const password = inputField({
    name: 'password',
    id: 'delete-password',
    label: 'Type your password to confirm',
    type: 'password',
    autocomplete: 'current-password',
    attrs: { required: true },
  });
  const confirm = h('button', { type: 'submit', class: 'button button--danger' }, 'Delete my account');
  const cancel = h('button', { type: 'button', class: 'button button--secondary' }, 'Cancel');
  const feedback = new FormFeedback([password], confirm);
  const validate = feedback.withRules({
    password: () => (password.control.value === '' ? 'Enter your password.' : null),
  });
  const form = h(
    'form',
    { class: 'form delete-confirm', id: 'delete-confirm', novalidate: true, hidden: true, 'aria-labelledby': 'delete-confirm-title' },
    h('h3', { id: 'delete-confirm-title' }, 'Are you sure?'),
    h('p', undefined, 'Your account and everything in it are deleted at once. This cannot be undone.'),
    feedback.alert,
    password.row,
    h('div', { class: 'form-actions' }, confirm, cancel),
  );

  const setOpen = (isOpen: boolean): void => {
    form.hidden = !isOpen;
    open.setAttribute('aria-expanded', String(isOpen));
    open.hidden = isOpen;
    if (isOpen) {
      password.control.focus();
    } else {
      password.control.value = '';
      feedback.reset();
      open.focus();
    }
  };
  open.addEventListener('click', () => setOpen(true));
  cancel.addEventListener('click', () => setOpen(false));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !inFlight) {
      event.preventDefault();
      setOpen(false);
    }
  });

  let inFlight = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    feedback.reset();
    if (!validate()) return;
    inFlight = true;
    feedback.busy(true, 'Deleting…');
    cancel.disabled = true;
    deleteMe(password.control.value).then(
      () => {
        setCurrentUser(null);
        pageNav.go(HOME_PATH);
      },
      (err: unknown) => {
        inFlight = false;
        feedback.busy(false);
        cancel.disabled = false;
        if (err instanceof ApiError && (err.status === 401 || (err.status === 400 && err.field === 'password'))) {
          setFieldError(password, 'That password is not right.');
          password.control.focus();
          return;
        }
        feedback.fail(err);
        holdWhileRateLimited(err, confirm);
      },
    );
  });

  return card(
    'delete',
    'Delete account',
    'Deletes your account and all your scores, food log entries and glucose readings. Export your data first if you want a copy.',
    open,
    form,
  );
}
