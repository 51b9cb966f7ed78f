import { renderComingSoon } from '../ui/coming-soon';

/** Trends — placeholder until the feature lands. */
export function mount(root: HTMLElement): void {
  renderComingSoon(root, {
    icon: 'trends',
    title: 'Trends',
    summary:
      'see your time in range, average glucose, GMI and daily glucose pattern from the CGM readings you import.',
  });
}
