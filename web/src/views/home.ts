/** Home: what GlucoPlay is, and a card for each of the four features. */
import { h } from '../ui/dom';
import { featureIcon, heroTrace, type IconName } from '../ui/icons';

interface Feature {
  icon: IconName;
  title: string;
  href: string;
  tag: string;
  text: string;
}

export const FEATURES: readonly Feature[] = [
  {
    icon: 'racing',
    title: 'Glucose Grand Prix',
    href: '/racing.html',
    tag: 'Racing game · Top-10 leaderboard',
    text: 'Keep your glucose in range to keep your car on the track, answer pit-stop quiz questions along the way, and race for a place on the top-10 leaderboard.',
  },
  {
    icon: 'plate',
    title: 'Perfect Plate',
    href: '/plate.html',
    tag: 'Plate game · Scored by the server',
    text: 'Build a balanced plate by the ADA Diabetes Plate Method: half non-starchy vegetables, a quarter protein, a quarter carbohydrate foods. The server scores every plate, so the leaderboard stays fair.',
  },
  {
    icon: 'food-log',
    title: 'Food Log',
    href: '/food-log.html',
    tag: 'Tracker · Carbs, GI and GL',
    text: 'Log what you eat and see the carbohydrates, glycemic index and glycemic load of each food, meal and day, with the published source behind every number.',
  },
  {
    icon: 'pin-dexcom',
    title: 'Pin the Dexcom',
    href: '/pin-dexcom.html',
    tag: 'Practice · Glucose trends',
    text: 'Practise where a CGM sensor goes on the body for your model and age group, then bring in your readings to see time in range and your glucose trends.',
  },
];

function hero(): HTMLElement {
  return h(
    'section',
    { class: 'hero', 'aria-labelledby': 'hero-title' },
    h(
      'div',
      { class: 'hero-copy' },
      h('p', { class: 'kicker' }, 'Diabetes education, the fun way'),
      h('h1', { id: 'hero-title' }, 'Play. Learn. Stay in range.'),
      h(
        'p',
        { class: 'lead' },
        'GlucoPlay turns everyday diabetes skills — balancing a meal, reading a glucose trend, placing a CGM sensor — into quick games you can play on a phone or a laptop.',
      ),
      h(
        'p',
        { class: 'hero-actions' },
        h('a', { class: 'button button--light', href: '/racing.html' }, 'Start the Grand Prix'),
        h('a', { class: 'button button--ghost', href: '/plate.html' }, 'Build a plate'),
      ),
    ),
    h('div', { class: 'hero-art' }, heroTrace()),
  );
}

function featureCard(feature: Feature): HTMLElement {
  return h(
    'li',
    { class: `feature-card feature--${feature.icon}` },
    h('div', { class: 'feature-icon-wrap' }, featureIcon(feature.icon)),
    h('h3', undefined, h('a', { class: 'card-link', href: feature.href }, feature.title)),
    h('p', { class: 'feature-tag' }, feature.tag),
    h('p', { class: 'feature-text' }, feature.text),
    h('span', { class: 'card-cta', 'aria-hidden': 'true' }, 'Open', h('span', { class: 'arrow' }, ' →')),
  );
}

function goodToKnow(): HTMLElement {
  const point = (title: string, text: string): HTMLElement =>
    h('li', undefined, h('h3', undefined, title), h('p', undefined, text));
  return h(
    'section',
    { class: 'good-to-know', 'aria-labelledby': 'good-to-know-title' },
    h('h2', { id: 'good-to-know-title' }, 'Good to know'),
    h(
      'ul',
      { class: 'points' },
      point('Made for learning', 'For teens and adults living with diabetes, and the friends and family who back them up.'),
      point('Numbers with sources', 'Glycemic index values and sensor sites come from cited, published sources.'),
      point('Play your way', 'Every game works with a keyboard, and motion calms down when your device asks for less.'),
    ),
  );
}

export function mount(root: HTMLElement): void {
  const list = h('ul', { class: 'feature-grid' });
  for (const feature of FEATURES) list.append(featureCard(feature));
  root.append(
    h(
      'div',
      { class: 'container home' },
      hero(),
      h(
        'section',
        { class: 'features', 'aria-labelledby': 'features-title' },
        h('h2', { id: 'features-title' }, 'Four ways to play'),
        list,
      ),
      goodToKnow(),
    ),
  );
}
