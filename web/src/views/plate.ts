import { renderComingSoon } from '../ui/coming-soon';

/** Perfect Plate — placeholder until the feature lands. */
export function mount(root: HTMLElement): void {
  renderComingSoon(root, {
    icon: 'plate',
    title: 'Perfect Plate',
    summary:
      'build a balanced plate with the ADA Diabetes Plate Method — half non-starchy vegetables, a quarter protein, a quarter carbohydrate foods — and get a score worked out by the server.',
  });
}
