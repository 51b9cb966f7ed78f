import { renderComingSoon } from '../ui/coming-soon';

/** Sign in — placeholder until accounts land. */
export function mount(root: HTMLElement): void {
  renderComingSoon(root, {
    icon: 'signin',
    title: 'Sign in',
    summary: 'accounts.',
    lead: 'Accounts are coming soon. You will sign in here to save your scores, food log and glucose readings.',
  });
}
