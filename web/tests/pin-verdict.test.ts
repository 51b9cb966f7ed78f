import { describe, expect, it } from 'vitest';
import type { PinAttempts, PinVerdict } from '../src/api/pin';
import { accuracyText, renderProgress, zoneNames } from '../src/pin/progress';
import { distanceHint, inchesText, renderGuestVerdict, renderVerdict, verdictAnnouncement, type VerdictContext } from '../src/pin/verdict';
import { SITES_G7_ADULT, sitesFor } from './pin-fixtures';

const ctx = (over: Partial<VerdictContext> = {}): VerdictContext => ({
  sites: SITES_G7_ADULT,
  model: 'g7',
  ageGroup: 'adult',
  view: 'back',
  modelName: 'Dexcom G7',
  ageLabel: 'adult',
  ...over,
});

const CORRECT: PinVerdict = {
  id: 1,
  correct: true,
  zone: 'upper_arm_back_left',
  reason: 'Good spot: Back of the upper arm (left) is an approved site. G7 (ages 2+) and Stelo (adults): the back of the upper arm. G6 is not approved here.',
  score: 99,
  distance: 0,
};

const BELLY: PinVerdict = {
  id: 2,
  correct: false,
  zone: 'abdomen',
  reason: 'Belly (abdomen) is not an approved site for this sensor and age. G6: approved at every age from 2. G7 and Stelo: not an approved site.',
  score: 0,
  distance: null,
};

const text = (el: Element | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('the verdict', () => {
  it('shows a correct placement with its reason, score and the approved sites', () => {
    const el = renderVerdict(CORRECT, ctx());
    expect(el.dataset['verdict']).toBe('correct');
    expect(text(el.querySelector('.pin-verdict-title'))).toBe('✓ Correct 99 / 100 points');
    expect(text(el.querySelector('.pin-verdict-reason'))).toBe(CORRECT.reason);
    expect(el.querySelector('.pin-verdict-hint')).toBeNull();
    expect(text(el.querySelector('.pin-verdict-approved'))).toBe(
      'Approved for Dexcom G7, adult: Back of the upper arm (left) and Back of the upper arm (right) (back view)',
    );
  });

  it('shows a wrong one with the reason, and says the approved sites are on the other side', () => {
    const el = renderVerdict(BELLY, ctx({ view: 'front' }));
    expect(el.dataset['verdict']).toBe('incorrect');
    expect(text(el.querySelector('.pin-verdict-title'))).toBe('✗ Incorrect 0 / 100 points');
    expect(text(el.querySelector('.pin-verdict-reason'))).toBe(BELLY.reason);
    expect(text(el.querySelector('.pin-verdict-hint'))).toBe(
      'The approved sites for a Dexcom G7 (adult) are on the back: switch to the Back view to see them.',
    );
  });

  it('gives the distance in inches (1 inch = 0.03 picture widths) when the view has an approved site', () => {
    const near: PinVerdict = { ...BELLY, zone: 'spine', reason: 'That is over the spine.', distance: 0.061 };
    expect(distanceHint(near, ctx())).toBe('You were about 2 inches (5 cm) from an approved site.');
    expect(inchesText(0.03)).toBe('about 1 inch (3 cm)');
    expect(inchesText(0.01)).toBe('less than an inch (1 cm)');
    expect(inchesText(0.281)).toBe('about 9 inches (24 cm)');
    // Inside an approved zone but on a tattoo: no distance hint, the reason says it all.
    expect(distanceHint({ ...near, zone: 'tattoo', distance: 0 }, ctx())).toBeNull();
  });

  it('explains an age group with no approved site at all (Stelo is for adults)', () => {
    const none = sitesFor([], 'stelo', 'teen');
    const hint = distanceHint(BELLY, ctx({ sites: none, model: 'stelo', ageGroup: 'teen', modelName: 'Dexcom Stelo', ageLabel: 'teen' }));
    expect(hint).toBe('No site is approved for a Dexcom Stelo at this age: it is for adults (18 and over).');
  });

  it('announces a short version', () => {
    expect(verdictAnnouncement(CORRECT, ctx())).toBe('✓ Correct, 99 points. Good spot: Back of the upper arm (left) is an approved site.');
    expect(verdictAnnouncement(BELLY, ctx({ view: 'front' }))).toMatch(
      /^✗ Incorrect\. Belly \(abdomen\) is not an approved site for this sensor and age\. The approved sites/,
    );
  });

  it('asks a guest to sign in, coming back to the game', () => {
    const el = renderGuestVerdict(ctx(), '/signin.html?next=%2Fpin-dexcom.html', '/signup.html?next=%2Fpin-dexcom.html');
    expect(el.dataset['verdict']).toBe('guest');
    expect(el.querySelector('a')?.getAttribute('href')).toBe('/signin.html?next=%2Fpin-dexcom.html');
    expect(text(el)).toContain('Back of the upper arm (left)');
  });
});

describe('the progress panel', () => {
  const data: PinAttempts = {
    items: [
      { id: 2, model: 'g7', age_group: 'adult', view: 'front', x: 0.42, y: 0.4, correct: false, zone: 'abdomen', score: 0, created_at: '2026-11-27T10:01:00Z' },
      { id: 1, model: 'g7', age_group: 'adult', view: 'back', x: 0.277, y: 0.279, correct: true, zone: 'upper_arm_back_left', score: 99, created_at: '2026-11-27T10:00:00Z' },
    ],
    next_cursor: null,
    attempts: 2,
    correct: 1,
    accuracy_pct: 50,
    streak: 0,
  };

  it('shows accuracy, streak and the last attempts oldest first, in words as well as ✓ / ✗', () => {
    const el = renderProgress(data, zoneNames(SITES_G7_ADULT));
    expect(text(el.querySelector('.pin-accuracy'))).toBe('1 of 2 correct (50%) in all.');
    const items = [...el.querySelectorAll('.pin-history-item')];
    expect(items.map((i) => i.querySelector('.pin-history-mark')?.textContent)).toEqual(['✓', '✗']);
    expect(items.map((i) => i.querySelector('.visually-hidden')?.textContent)).toEqual([
      'Correct: Back of the upper arm (left), G7 adult, 99 points',
      'Incorrect: Belly (abdomen), G7 adult, 0 points',
    ]);
    expect([...el.querySelectorAll('.pin-stat')].map(text)).toEqual(['50% accuracy', '0 streak', '2 attempts']);
  });

  it('formats a fractional accuracy and names obstacles and areas to avoid', () => {
    expect(accuracyText({ attempts: 3, correct: 1, accuracy_pct: 33.3 })).toBe('1 of 3 correct (33.3%)');
    const names = zoneNames(SITES_G7_ADULT);
    expect(names.get('pump_site')).toBe('Pump site');
    expect(names.get('navel')).toBe('Around the navel');
  });

  it('says there is nothing yet', () => {
    const el = renderProgress({ ...data, items: [], attempts: 0, correct: 0, accuracy_pct: 0 }, new Map());
    expect(text(el)).toMatch(/No attempts yet/);
  });
});
