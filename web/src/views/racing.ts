import { renderComingSoon } from '../ui/coming-soon';

/** Glucose Grand Prix — placeholder until the feature lands. */
export function mount(root: HTMLElement): void {
  renderComingSoon(root, {
    icon: 'racing',
    title: 'Glucose Grand Prix',
    summary:
      'race your car around the track by keeping glucose in range, answer pit-stop quiz questions, and chase a place on the top-10 leaderboard.',
  });
}
