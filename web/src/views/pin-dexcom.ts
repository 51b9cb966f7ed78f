import { renderComingSoon } from '../ui/coming-soon';

/** Pin the Dexcom — placeholder until the feature lands. */
export function mount(root: HTMLElement): void {
  renderComingSoon(root, {
    icon: 'pin-dexcom',
    title: 'Pin the Dexcom',
    summary:
      'practise placing a Dexcom sensor on the right body sites for your model and age group, with feedback on every try.',
  });
}
