/** Create an account: username, optional display name, password twice. On success the user is signed in. */
import { ACCOUNT_RULES as R, signup, type SignupInput } from '../api/accounts';
import { checkConfirmation, checkDisplayName, checkPassword, checkUsername } from '../ui/account-validation';
import { authLayout, notice } from '../ui/auth-layout';
import { h } from '../ui/dom';
import { FormFeedback, holdWhileRateLimited, inputField, showPasswordToggle } from '../ui/forms';
import { SIGNIN_PATH, nextDestination, pageNav, safeNextPath, withNext } from '../ui/navigation';
import { loadSession, setCurrentUser } from '../ui/session';

export function mount(root: HTMLElement): void {
  const destination = nextDestination();
  const next = safeNextPath(new URLSearchParams(window.location.search).get('next'));

  const layout = authLayout({
    title: 'Create your account',
    lead: 'It takes a few seconds. No email needed — just a username and a password.',
    asideTitle: 'Your account, your data',
    points: [
      'Your display name is what others see on the leaderboards.',
      'Set your glucose unit, target range and time zone once.',
      'Download everything you saved as one file whenever you like.',
      'Delete your account and all its data for good, any time.',
    ],
  });

  const username = inputField({
    name: 'username',
    label: 'Username',
    autocomplete: 'username',
    hint: `${R.usernameMin}–${R.usernameMax} characters: letters, digits, and _ . -`,
    attrs: { autocapitalize: 'none', spellcheck: 'false', required: true },
  });
  const displayName = inputField({
    name: 'display_name',
    label: 'Display name',
    optional: true,
    autocomplete: 'nickname',
    hint: `Shown on leaderboards, up to ${R.displayNameMax} characters. Leave it empty to use your username.`,
  });
  const password = inputField({
    name: 'password',
    label: 'Password',
    type: 'password',
    autocomplete: 'new-password',
    hint: `${R.passwordMin} to ${R.passwordMax} characters. A few random words make a strong one.`,
    attrs: { required: true },
  });
  const confirm = inputField({
    name: 'confirm_password',
    label: 'Confirm password',
    type: 'password',
    autocomplete: 'new-password',
    attrs: { required: true },
  });
  const passwords = [password.control, confirm.control] as HTMLInputElement[];
  const submit = h('button', { type: 'submit', class: 'button button--primary button--block' }, 'Create account');
  const feedback = new FormFeedback([username, displayName, password, confirm], submit);
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'page-title' },
    feedback.alert,
    username.row,
    displayName.row,
    password.row,
    confirm.row,
    showPasswordToggle('signup-show-password', passwords, 'Show passwords'),
    submit,
  );
  const signedInNote = h('div', { class: 'notice-slot' });
  layout.body.append(
    signedInNote,
    form,
    h('p', { class: 'auth-switch' }, 'Already have an account? ', h('a', { href: withNext(SIGNIN_PATH, next) }, 'Sign in')),
  );
  root.append(layout.root);

  loadSession().then(
    (user) => {
      if (!user) return;
      signedInNote.append(
        notice(
          h('p', undefined, 'You are signed in as ', h('strong', undefined, user.display_name), '.'),
          h('p', undefined, 'Creating a new account signs you in as the new user.'),
        ),
      );
    },
    () => undefined,
  );

  const validate = feedback.withRules({
    username: () => checkUsername(username.control.value.trim()),
    display_name: () => checkDisplayName(displayName.control.value, false),
    password: () => checkPassword(password.control.value),
    confirm_password: () => checkConfirmation(password.control.value, confirm.control.value),
  });

  let inFlight = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    feedback.reset();
    if (!validate()) return;

    const input: SignupInput = { username: username.control.value.trim(), password: password.control.value };
    const name = displayName.control.value.trim();
    if (name !== '') input.display_name = name;

    inFlight = true;
    feedback.busy(true, 'Creating your account…');
    signup(input).then(
      (result) => {
        setCurrentUser(result.user);
        pageNav.go(destination);
      },
      (err: unknown) => {
        inFlight = false;
        feedback.busy(false);
        feedback.fail(err, { conflict: 'That username is taken. Please choose another one.' });
        holdWhileRateLimited(err, submit);
      },
    );
  });
}
