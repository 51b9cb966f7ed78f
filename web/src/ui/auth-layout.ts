/** The two-column frame of the sign-in and sign-up pages: the form card, and a panel saying what accounts are for. */
import { h, type Child } from './dom';
import { featureIcon, heroTrace } from './icons';

export interface AuthLayout {
  root: HTMLElement;
  /** Where the page puts its notice, form and links (after the heading and lead). */
  body: HTMLElement;
}

export function authLayout(options: { title: string; lead: string; asideTitle: string; points: readonly string[] }): AuthLayout {
  const body = h('div', { class: 'auth-body' });
  const card = h(
    'div',
    { class: 'card auth-card' },
    h('div', { class: 'auth-icon' }, featureIcon('signin')),
    h('h1', { id: 'page-title' }, options.title),
    h('p', { class: 'lead auth-lead' }, options.lead),
    body,
  );
  const aside = h(
    'aside',
    { class: 'auth-aside', 'aria-labelledby': 'auth-aside-title' },
    h('h2', { id: 'auth-aside-title' }, options.asideTitle),
    h('ul', { class: 'auth-points' }, ...options.points.map((point) => h('li', undefined, point))),
    h('div', { class: 'auth-art' }, heroTrace()),
  );
  const root = h('section', { class: 'container auth', 'aria-labelledby': 'page-title' }, h('div', { class: 'auth-grid' }, card, aside));
  return { root, body };
}

/** A friendly box above a form, e.g. "You are signed in as …". */
export function notice(...children: Child[]): HTMLElement {
  return h('div', { class: 'notice' }, ...children);
}
