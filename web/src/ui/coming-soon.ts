/** The placeholder shown by pages whose feature is not built yet. */
import { h } from './dom';
import { featureIcon, type IconName } from './icons';

export interface ComingSoon {
  icon: IconName;
  title: string;
  /** Shown as "Coming soon: <summary>" unless `lead` is given. */
  summary: string;
  /** Replaces the "Coming soon: …" sentence entirely. */
  lead?: string;
}

export function renderComingSoon(root: HTMLElement, page: ComingSoon): void {
  const lead = page.lead ?? `Coming soon: ${page.summary}`;
  root.append(
    h(
      'section',
      { class: `container placeholder placeholder--${page.icon}`, 'aria-labelledby': 'page-title' },
      h('div', { class: 'placeholder-icon' }, featureIcon(page.icon)),
      h('h1', { id: 'page-title' }, page.title),
      h('p', { class: 'lead coming-soon' }, lead),
      h('p', { class: 'placeholder-actions' }, h('a', { class: 'button button--secondary', href: '/' }, 'Back to Home')),
    ),
  );
}
