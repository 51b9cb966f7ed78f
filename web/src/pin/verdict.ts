/**
 * What the page shows after a drop: the server's verdict (correct or not, its reason, the score), a distance hint
 * when wrong, and which sites are approved for this model and age. Plain DOM built from text.
 */
import type { AgeGroup, CgmModel } from '../api/accounts';
import { INCH, type PinSites, type PinVerdict, type PinView } from '../api/pin';
import { h } from '../ui/dom';

export interface VerdictContext {
  sites: Pick<PinSites, 'zones' | 'models'>;
  model: CgmModel;
  ageGroup: AgeGroup;
  /** The view the sensor was placed on. */
  view: PinView;
  /** "Dexcom G7". */
  modelName: string;
  /** "adult". */
  ageLabel: string;
}

const VIEW_NAMES: Record<PinView, string> = { front: 'front', back: 'back' };

/** "about 2 inches (5 cm)"; "less than an inch (2 cm)". */
export function inchesText(distance: number): string {
  const inches = distance / INCH;
  const cm = Math.max(1, Math.round(inches * 2.54));
  if (inches < 0.75) return `less than an inch (${cm} cm)`;
  const whole = Math.round(inches);
  return `about ${whole} inch${whole === 1 ? '' : 'es'} (${cm} cm)`;
}

/** The approved zones' names, grouped by view: "Back of the upper arm (left) and Back of the upper arm (right), on the back". */
export function approvedSummary(ctx: VerdictContext): string | null {
  const approved = ctx.sites.zones.filter((z) => z.approved);
  if (approved.length === 0) return null;
  const parts: string[] = [];
  for (const view of ['front', 'back'] as const) {
    const names = approved.filter((z) => z.view === view).map((z) => z.name);
    if (names.length > 0) parts.push(`${joinWords(names)} (${VIEW_NAMES[view]} view)`);
  }
  return parts.join('; ');
}

/** The hint under a wrong answer, or null (right answers, and wrong ones on an approved site, need none). */
export function distanceHint(verdict: PinVerdict, ctx: VerdictContext): string | null {
  if (verdict.correct) return null;
  if (verdict.distance !== null && verdict.distance > 0) return `You were ${inchesText(verdict.distance)} from an approved site.`;
  if (verdict.distance !== null) return null;
  const approved = ctx.sites.zones.filter((z) => z.approved);
  if (approved.length === 0) {
    const adultsOnly = ctx.sites.models[ctx.model]?.adults_only === true;
    return adultsOnly
      ? `No site is approved for a ${ctx.modelName} at this age: it is for adults (18 and over).`
      : `No site is approved for a ${ctx.modelName} for this age group.`;
  }
  const other = ctx.view === 'front' ? 'back' : 'front';
  return `The approved sites for a ${ctx.modelName} (${ctx.ageLabel}) are on the ${other}: switch to the ${other === 'back' ? 'Back' : 'Front'} view to see them.`;
}

/** The reason's first sentence ("Good spot: … is an approved site."). */
export function firstSentence(text: string): string {
  const match = /^.*?[.!?](?=\s|$)/.exec(text.trim());
  return match ? match[0] : text.trim();
}

/** The short verdict next to the figure (also what the live region announces). */
export function verdictAnnouncement(verdict: PinVerdict, ctx: VerdictContext): string {
  const hint = distanceHint(verdict, ctx);
  return [
    verdict.correct ? `✓ Correct, ${verdict.score} points.` : '✗ Incorrect.',
    firstSentence(verdict.reason),
    hint,
  ]
    .filter(Boolean)
    .join(' ');
}

export function renderVerdict(verdict: PinVerdict, ctx: VerdictContext): HTMLElement {
  const tone = verdict.correct ? 'correct' : 'incorrect';
  const hint = distanceHint(verdict, ctx);
  const approved = approvedSummary(ctx);
  return h(
    'div',
    { class: `pin-verdict pin-verdict--${tone}`, 'data-verdict': tone },
    h(
      'p',
      { class: 'pin-verdict-title' },
      h('span', { class: 'pin-verdict-icon', 'aria-hidden': 'true' }, verdict.correct ? '✓' : '✗'),
      ' ',
      h('span', undefined, verdict.correct ? 'Correct' : 'Incorrect'),
      ' ',
      h('span', { class: 'pin-verdict-score' }, `${verdict.score}`, h('span', { class: 'pin-verdict-max' }, ' / 100 points')),
    ),
    h('p', { class: 'pin-verdict-reason' }, verdict.reason),
    hint ? h('p', { class: 'pin-verdict-hint' }, hint) : null,
    h(
      'p',
      { class: 'pin-verdict-approved' },
      h('strong', undefined, `Approved for ${ctx.modelName}, ${ctx.ageLabel}: `),
      approved ?? 'no site at this age.',
    ),
  );
}

/** For guests: the placement cannot be judged without an account. */
export function renderGuestVerdict(ctx: VerdictContext, signinHref: string, signupHref: string): HTMLElement {
  const approved = approvedSummary(ctx);
  return h(
    'div',
    { class: 'pin-verdict pin-verdict--guest', 'data-verdict': 'guest' },
    h('p', { class: 'pin-verdict-title' }, h('span', { class: 'pin-verdict-icon', 'aria-hidden': 'true' }, 'i'), ' ', h('span', undefined, 'Sign in to get a score')),
    h(
      'p',
      { class: 'pin-verdict-reason' },
      'Placements are checked and scored by the GlucoPlay server, which needs an account. The approved sites and the areas to avoid are now shown on the body, so you can compare your spot.',
    ),
    h(
      'p',
      { class: 'pin-verdict-approved' },
      h('strong', undefined, `Approved for ${ctx.modelName}, ${ctx.ageLabel}: `),
      approved ?? 'no site at this age.',
    ),
    h(
      'p',
      { class: 'button-row pin-verdict-actions' },
      h('a', { class: 'button button--primary', href: signinHref }, 'Sign in'),
      h('a', { class: 'button button--secondary', href: signupHref }, 'Create an account'),
    ),
  );
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}
