/**
 * The profile's notification preferences: one labelled switch per kind, each with a plain-language description.
 * A switch saves itself (`PATCH /api/notifications/preferences` with just that kind); a failure puts the switch back
 * and says why. While a change is being saved, that switch ignores further clicks (it stays focusable).
 */
import {
  NOTIFICATION_KINDS,
  getNotificationPreferences,
  updateNotificationPreferences,
  type NotificationKind,
  type NotificationPreferences,
} from '../api/notifications';
import { ApiError } from '../api/client';
import { clear, h } from '../ui/dom';
import { describeError, formAlert, formStatus } from '../ui/forms';
import { KIND_INFO } from '../notifications/kinds';
import { SESSION_ENDED, announce, card } from './profile-account';

export function notificationsCard(): HTMLElement {
  const body = h('div', { class: 'pref-body' });
  const alert = formAlert();
  const status = formStatus('prefs-status');
  const section = card(
    'notifications',
    'Notifications',
    'Choose what the bell at the top of the page tells you about. Switched off, that kind is not sent at all.',
    alert,
    body,
    status,
  );

  const load = async (): Promise<void> => {
    alert.textContent = '';
    clear(body);
    body.append(h('p', { class: 'loading' }, 'Loading your notification choices…'));
    let prefs: NotificationPreferences;
    try {
      prefs = await getNotificationPreferences();
    } catch (err) {
      clear(body);
      const retry = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
      retry.addEventListener('click', () => void load());
      alert.textContent = `Your notification choices could not be loaded. ${describeError(err)}`;
      body.append(h('p', { class: 'form-actions' }, retry));
      return;
    }
    clear(body);
    body.append(switchList(prefs, alert, status));
  };
  void load();
  return section;
}

function switchList(prefs: NotificationPreferences, alert: HTMLElement, status: HTMLElement): HTMLElement {
  const list = h('ul', { class: 'pref-list' });
  const pending = new Set<NotificationKind>();
  for (const kind of NOTIFICATION_KINDS) {
    const info = KIND_INFO[kind];
    const id = `pref-${kind}`;
    const input = h('input', {
      type: 'checkbox',
      role: 'switch',
      id,
      name: kind,
      class: 'pref-switch',
      'aria-describedby': `${id}-desc`,
    });
    input.checked = prefs[kind] !== false;
    input.addEventListener('click', (event) => {
      if (pending.has(kind)) event.preventDefault();
    });
    input.addEventListener('change', () => {
      const on = input.checked;
      pending.add(kind);
      input.setAttribute('aria-busy', 'true');
      alert.textContent = '';
      announce(status, '');
      updateNotificationPreferences({ [kind]: on }).then(
        (saved) => {
          pending.delete(kind);
          input.removeAttribute('aria-busy');
          input.checked = saved[kind] !== false;
          announce(status, `Saved: “${info.label}” notifications ${input.checked ? 'on' : 'off'}.`);
        },
        (err: unknown) => {
          pending.delete(kind);
          input.removeAttribute('aria-busy');
          input.checked = !on;
          const why = err instanceof ApiError && err.status === 401 ? SESSION_ENDED : describeError(err);
          alert.textContent = `“${info.label}” could not be switched ${on ? 'on' : 'off'}. ${why}`;
        },
      );
    });
    list.append(
      h(
        'li',
        { class: 'pref-item' },
        h(
          'div',
          { class: 'pref-text' },
          h('label', { for: id, class: 'pref-label' }, info.label),
          h('p', { class: 'pref-desc', id: `${id}-desc` }, info.description),
        ),
        h('span', { class: 'pref-control' }, input, h('span', { class: 'pref-track', 'aria-hidden': 'true' }), h('span', { class: 'pref-state', 'aria-hidden': 'true' })),
      ),
    );
  }
  return list;
}
