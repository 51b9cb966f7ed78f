import { renderComingSoon } from '../ui/coming-soon';

/** Leaderboards — placeholder until the feature lands. */
export function mount(root: HTMLElement): void {
  renderComingSoon(root, {
    icon: 'leaderboards',
    title: 'Leaderboards',
    summary:
      'live top-10 tables for Glucose Grand Prix and Perfect Plate, for today, this week and all time.',
  });
}
