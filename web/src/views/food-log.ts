import { renderComingSoon } from '../ui/coming-soon';

/** Food Log — placeholder until the feature lands. */
export function mount(root: HTMLElement): void {
  renderComingSoon(root, {
    icon: 'food-log',
    title: 'Food Log',
    summary:
      'log what you eat and see the carbohydrates, glycemic index and glycemic load of every food, meal and day.',
  });
}
