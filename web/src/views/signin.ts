/** Sign in: username and password; on success go to `?next=` (a path on this site) or the home page. */
import { login } from '../api/accounts';
import { ApiError } from '../api/client';
import { authLayout, notice } from '../ui/auth-layout';
import { h } from '../ui/dom';
import { FormFeedback, holdWhileRateLimited, inputField, showPasswordToggle } from '../ui/forms';
import { SIGNUP_PATH, nextDestination, pageNav, safeNextPath, withNext } from '../ui/navigation';
import { loadSession, setCurrentUser } from '../ui/session';

export function mount(root: HTMLElement): void {
  const destination = nextDestination();
  const next = safeNextPath(new URLSearchParams(window.location.search).get('next'));

  const layout = authLayout({
    title: 'Sign in',
    lead: 'Welcome back! Sign in to keep your scores, food log and glucose readings.',
    asideTitle: 'With an account you can',
    points: [
      'Put your best laps and plates on the top-10 leaderboards.',
      'Keep a food log with carbs, glycemic index and load.',
      'Import CGM readings and see your time in range.',
      'Export everything you saved, or delete it, at any time.',
    ],
  });

  const username = inputField({
    name: 'username',
    label: 'Username',
    autocomplete: 'username',
    attrs: { autocapitalize: 'none', spellcheck: 'false', required: true },
  });
  const password = inputField({
    name: 'password',
    label: 'Password',
    type: 'password',
    autocomplete: 'current-password',
    attrs: { required: true },
  });
  const submit = h('button', { type: 'submit', class: 'button button--primary button--block' }, 'Sign in');
  const feedback = new FormFeedback([username, password], submit);
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'page-title' },
    feedback.alert,
    username.row,
    password.row,
    showPasswordToggle('signin-show-password', [password.control as HTMLInputElement]),
    submit,
  );
  const signupLink = h('a', { href: withNext(SIGNUP_PATH, next) }, 'Create an account');
  const signedInNote = h('div', { class: 'notice-slot' });
  layout.body.append(signedInNote, form, h('p', { class: 'auth-switch' }, 'New to GlucoPlay? ', signupLink));
  root.append(layout.root);

  // Already signed in on this browser? Say so, and offer the way on; the form still works for another account.
  loadSession().then(
    (user) => {
      if (!user) return;
      signedInNote.append(
        notice(
          h('p', undefined, 'You are signed in as ', h('strong', undefined, user.display_name), '.'),
          h('p', undefined, h('a', { href: destination }, 'Continue'), ' — or sign in with another account below.'),
        ),
      );
    },
    () => undefined,
  );

  const validate = feedback.withRules({
    username: () => (username.control.value.trim() === '' ? 'Enter your username.' : null),
    password: () => (password.control.value === '' ? 'Enter your password.' : null),
  });

  let inFlight = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    feedback.reset();
    if (!validate()) return;
    const name = username.control.value.trim();
    const secret = password.control.value;

    inFlight = true;
    feedback.busy(true, 'Signing in…');
    login({ username: name, password: secret }).then(
      (result) => {
        setCurrentUser(result.user);
        pageNav.go(destination);
      },
      (err: unknown) => {
        inFlight = false;
        feedback.busy(false);
        if (err instanceof ApiError && err.status === 401) {
          feedback.alert.textContent = 'That username and password do not match an account. Check them and try again.';
          password.control.focus();
          return;
        }
        feedback.fail(err);
        holdWhileRateLimited(err, submit);
      },
    );
  });
}

