/**
 * The end of a game. Timed games show what the SERVER worked out for each plate (score, its four parts, the
 * plate's glycemic load and shares, and its feedback: what was good and what to change), then the total, the
 * rank and the top 10. Relaxed games are not scored: they get a plain look back at each plate instead.
 */
import { ApiError } from '../../api/client';
import type { Leaderboard, LeaderboardEntry, PlateResult, PlateRules, PlateScoreResult, Standing } from '../../api/plate';
import { SECTIONS } from '../../api/plate';
import { h } from '../../ui/dom';
import { describeError } from '../../ui/forms';
import { SIGNIN_PATH, SIGNUP_PATH, withNext } from '../../ui/navigation';
import { PlateBoard } from './board';
import { GROUP_LABEL, groupOf, homeSection } from './foods';
import { MEAL_LABEL, SECTION_LABEL, type Plate } from './state';

export const PLATE_PAGE = '/plate.html';

/**
 * The most each part of a plate's score can be. GET /api/games does not publish these; they are the numbers in
 * server/src/games/rules.hpp (balance 400, placement 200, drink 150, glycemic load 250 = 1000).
 */
export const COMPONENT_MAX = { balance: 400, placement: 200, drink: 150, glycemic_load: 250 } as const;

const COMPONENT_TEXT: Record<keyof typeof COMPONENT_MAX, { name: string; what: string }> = {
  balance: { name: 'Balance', what: '½ vegetables, ¼ protein, ¼ carbohydrate by weight' },
  placement: { name: 'Placement', what: 'each food in its own section' },
  drink: { name: 'Drink', what: 'water or a zero-calorie drink' },
  glycemic_load: { name: 'Glycemic load', what: 'full marks up to GL 10' },
};

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (share: number): string => `${Math.round(share * 100)}%`;

export interface ResultsActions {
  onPlayAgain: () => void;
}

function plateTitle(plate: Plate, index: number): string {
  return `Plate ${index + 1}: ${MEAL_LABEL[plate.meal]}`;
}

function miniBoard(plate: Plate, index: number): SVGSVGElement {
  const board = new PlateBoard({ interactive: false });
  board.render(plate.items);
  const list = plate.items.map((item) => `${item.food.name} ${item.grams} g in ${SECTION_LABEL[item.section].toLowerCase()}`);
  board.svg.setAttribute('aria-label', `${plateTitle(plate, index)}. ${list.length ? list.join(', ') : 'An empty plate'}.`);
  board.svg.classList.add('plate-board--mini');
  return board.svg;
}

function feedbackList(items: PlateResult['feedback']): HTMLElement {
  const ul = h('ul', { class: 'feedback-list' });
  for (const f of items) {
    const good = f.kind === 'good';
    ul.append(
      h(
        'li',
        { class: `feedback feedback--${good ? 'good' : 'tip'}` },
        h('span', { class: 'feedback-kind' }, h('span', { class: 'feedback-mark', 'aria-hidden': 'true' }, good ? '✓' : '!'), good ? 'Good' : 'Tip'),
        h('span', { class: 'feedback-text' }, f.message),
      ),
    );
  }
  return ul;
}

function components(result: PlateResult): HTMLElement {
  const dl = h('dl', { class: 'score-parts' });
  for (const key of Object.keys(COMPONENT_MAX) as Array<keyof typeof COMPONENT_MAX>) {
    const value = result.components[key] ?? 0;
    const max = COMPONENT_MAX[key];
    const bar = h('span', { class: 'part-bar-fill' });
    bar.style.width = `${Math.max(0, Math.min(100, (value / max) * 100)).toFixed(1)}%`;
    dl.append(
      h(
        'div',
        { class: `score-part score-part--${key}` },
        h('dt', undefined, h('span', { class: 'part-name' }, COMPONENT_TEXT[key].name), h('span', { class: 'part-what' }, COMPONENT_TEXT[key].what)),
        h('dd', undefined, h('span', { class: 'part-value' }, `${fmt(value)} / ${max}`), h('span', { class: 'part-bar', 'aria-hidden': 'true' }, bar)),
      ),
    );
  }
  return dl;
}

/** A word for the server's plate score, so the number means something at a glance. */
export function rating(score: number, max: number): string {
  const share = max > 0 ? score / max : 0;
  if (share >= 0.9) return 'Perfect plate!';
  if (share >= 0.75) return 'Great plate';
  if (share >= 0.5) return 'Good start';
  return 'Keep practising';
}

/** One scored plate. */
export function scoredPlate(plate: Plate, result: PlateResult | undefined, index: number, maxScore: number): HTMLElement {
  const id = `result-plate-${index}`;
  const head = h(
    'header',
    { class: 'result-plate-head' },
    h('h3', { id }, plateTitle(plate, index)),
    plate.timedOut ? h('span', { class: 'badge-soft' }, 'Served when time ran out') : null,
    result ? h('span', { class: 'rating' }, rating(result.score, maxScore)) : null,
    result ? h('p', { class: 'result-plate-score' }, h('strong', undefined, fmt(result.score)), ` / ${fmt(maxScore)} points`) : null,
  );
  if (!result) return h('article', { class: 'result-plate', 'aria-labelledby': id }, head, h('p', undefined, 'The server sent no score for this plate.'));
  const shares = result.shares;
  return h(
    'article',
    { class: 'result-plate', 'aria-labelledby': id },
    head,
    h(
      'div',
      { class: 'result-plate-body' },
      h('div', { class: 'result-plate-art' }, miniBoard(plate, index)),
      h(
        'div',
        { class: 'result-plate-text' },
        h('h4', { class: 'result-sub' }, 'What the server saw'),
        feedbackList(result.feedback),
        h('h4', { class: 'result-sub' }, 'How the points add up'),
        components(result),
        h(
          'p',
          { class: 'result-facts' },
          `By weight: vegetables ${pct(shares.vegetables)} (aim 50%), protein ${pct(shares.protein)} (aim 25%), carbohydrate ${pct(shares.carbohydrate)} (aim 25%). `,
          `Glycemic load ${result.gl.toLocaleString('en-US', { maximumFractionDigits: 1 })} (10 or less is low, 20 or more is high).`,
        ),
      ),
    ),
  );
}

/** The top 10 with the player's row marked (in words too, not only by colour). */
export function leaderboardTable(board: Leaderboard | null, userId: number | null, standing: Standing | null): HTMLElement {
  const section = h('section', { class: 'result-board', 'aria-labelledby': 'result-board-title' }, h('h2', { id: 'result-board-title' }, 'Top 10: Perfect Plate'));
  if (!board) {
    section.append(h('p', { class: 'muted' }, 'The leaderboard could not be loaded just now.'));
    return section;
  }
  if (board.entries.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No scores yet.'));
    return section;
  }
  const row = (entry: LeaderboardEntry): HTMLTableRowElement => {
    const you = userId !== null && entry.user_id === userId;
    return h(
      'tr',
      { class: you ? 'is-you' : undefined, 'aria-current': you ? 'true' : undefined },
      h('td', { class: 'num' }, `#${entry.rank}`),
      h('td', undefined, entry.display_name, you ? h('span', { class: 'you-tag' }, 'You') : null),
      h('td', { class: 'num' }, fmt(entry.score)),
    );
  };
  const body = h('tbody', undefined, ...board.entries.map(row));
  const mine = standing?.around.find((e) => e.user_id === userId);
  if (mine && !board.entries.some((e) => e.user_id === userId)) {
    body.append(h('tr', { class: 'gap', 'aria-hidden': 'true' }, h('td', { colspan: '3' }, '…')), row(mine));
  }
  section.append(
    h(
      'table',
      { class: 'board-table' },
      h('caption', { class: 'visually-hidden' }, 'Top 10 players, all time: rank, player, best score'),
      h('thead', undefined, h('tr', undefined, h('th', { scope: 'col', class: 'num' }, 'Rank'), h('th', { scope: 'col' }, 'Player'), h('th', { scope: 'col', class: 'num' }, 'Score'))),
      body,
    ),
    h('p', { class: 'board-more' }, h('a', { href: '/leaderboards.html' }, 'All leaderboards')),
  );
  return section;
}

function actionsRow(actions: ResultsActions, extra: HTMLElement[] = []): HTMLElement {
  const again = h('button', { type: 'button', class: 'button button--primary', id: 'plate-play-again' }, 'Play again');
  again.addEventListener('click', actions.onPlayAgain);
  return h('div', { class: 'button-row result-actions' }, again, ...extra);
}

export interface ScoredGame {
  plates: readonly Plate[];
  result: PlateScoreResult;
  leaderboard: Leaderboard | null;
  standing: Standing | null;
  userId: number | null;
  maxPlateScore: number;
}

/** The results of a timed game, as the server scored it. */
export function scoredResults(game: ScoredGame, actions: ResultsActions): HTMLElement {
  const { result } = game;
  const plateSum = result.plates.reduce((sum, p) => sum + p.score, 0);
  const parts = result.plates.map((p) => fmt(p.score)).join(' + ');
  const total = h(
    'section',
    { class: 'result-total', 'aria-labelledby': 'result-total-title' },
    h('h2', { id: 'result-total-title', class: 'result-total-title' }, 'Your score'),
    h('p', { class: 'total-value', id: 'plate-total' }, fmt(result.score.value)),
    h('p', { class: 'total-sum' }, `Plates ${parts}${result.plates.length > 1 ? ` = ${fmt(plateSum)}` : ''}, time bonus ${fmt(result.time_bonus)}`),
    h(
      'p',
      { class: 'total-rank', id: 'plate-rank' },
      `Rank #${result.rank}`,
      game.standing ? ` of ${game.standing.players} ${game.standing.players === 1 ? 'player' : 'players'}` : '',
      result.personal_best ? h('span', { class: 'badge-best' }, 'New personal best') : null,
      result.in_top10 ? h('span', { class: 'badge-top' }, 'Top 10') : null,
    ),
  );
  const plates = h(
    'section',
    { class: 'result-plates', 'aria-labelledby': 'result-plates-title' },
    h('h2', { id: 'result-plates-title' }, game.plates.length === 1 ? 'Your plate' : 'Your plates'),
    ...game.plates.map((plate, i) => scoredPlate(plate, result.plates[i], i, game.maxPlateScore)),
  );
  return h(
    'div',
    { class: 'plate-results' },
    h('header', { class: 'results-head' }, h('p', { class: 'plate-kicker' }, 'Perfect Plate'), h('h1', { id: 'page-title', tabindex: '-1' }, 'Results')),
    h('div', { class: 'results-top' }, total, leaderboardTable(game.leaderboard, game.userId, game.standing)),
    plates,
    actionsRow(actions, [h('a', { class: 'button button--secondary', href: '/leaderboards.html' }, 'Leaderboards')]),
  );
}

/** Plain facts about a relaxed plate (no points: only the server scores, and relaxed games are not sent). */
export function practiceNotes(plate: Plate): string[] {
  const notes: string[] = [];
  if (plate.items.length === 0) return ['The plate was empty.'];
  for (const item of plate.items) {
    const home = homeSection(item.food);
    if (home && home !== item.section) {
      notes.push(`${item.food.name} is ${GROUP_LABEL[groupOf(item.food)].toLowerCase()}: its place is the ${SECTION_LABEL[home].toLowerCase()} section.`);
    }
  }
  for (const section of SECTIONS) {
    if (plate.inSection(section).length > 0) continue;
    notes.push(
      section === 'drink'
        ? 'No drink: the method pairs the plate with water or a zero-calorie drink.'
        : section === 'vegetables'
          ? 'No vegetables: non-starchy vegetables fill half the plate.'
          : `Nothing in the ${SECTION_LABEL[section].toLowerCase()} quarter.`,
    );
  }
  if (notes.length === 0) notes.push('Every section has food, and each food is in its own section.');
  return notes;
}

function practicePlate(plate: Plate, index: number): HTMLElement {
  const id = `result-plate-${index}`;
  return h(
    'article',
    { class: 'result-plate', 'aria-labelledby': id },
    h('header', { class: 'result-plate-head' }, h('h3', { id }, plateTitle(plate, index)), h('span', { class: 'badge-soft' }, 'Not scored')),
    h(
      'div',
      { class: 'result-plate-body' },
      h('div', { class: 'result-plate-art' }, miniBoard(plate, index)),
      h(
        'div',
        { class: 'result-plate-text' },
        h('h4', { class: 'result-sub' }, 'A look back'),
        h('ul', { class: 'practice-notes' }, ...practiceNotes(plate).map((note) => h('li', undefined, note))),
      ),
    ),
  );
}

/** The end of a relaxed game. Guests are invited to sign in. */
export function practiceResults(plates: readonly Plate[], signedIn: boolean, actions: ResultsActions): HTMLElement {
  const invite = signedIn
    ? h('p', { class: 'notice' }, 'Relaxed games are not scored and do not go on the leaderboard. Turn relaxed mode off to get a score from the server, with tips for every plate.')
    : h(
        'div',
        { class: 'notice plate-invite' },
        h('p', undefined, h('strong', undefined, 'Want a score and tips for every plate? '), 'Sign in to play timed games: the server scores each plate and your best goes on the leaderboard.'),
        h(
          'p',
          { class: 'button-row' },
          h('a', { class: 'button button--primary', href: withNext(SIGNIN_PATH, PLATE_PAGE) }, 'Sign in to save scores'),
          h('a', { class: 'button button--secondary', href: withNext(SIGNUP_PATH, PLATE_PAGE) }, 'Create an account'),
        ),
      );
  return h(
    'div',
    { class: 'plate-results plate-results--practice' },
    h('header', { class: 'results-head' }, h('p', { class: 'plate-kicker' }, 'Perfect Plate · relaxed'), h('h1', { id: 'page-title', tabindex: '-1' }, 'Your plates')),
    invite,
    h('section', { class: 'result-plates', 'aria-label': 'Your plates' }, ...plates.map((plate, i) => practicePlate(plate, i))),
    actionsRow(actions),
  );
}

/**
 * When `POST /api/scores` fails: a refusal (422: too fast, expired or used session) is said plainly with the
 * server's words; a network or server failure offers to try again; a lost sign-in offers to sign in.
 */
export function notScoredScreen(
  err: unknown,
  rules: Pick<PlateRules, 'session_ttl_seconds' | 'min_seconds_per_plate'>,
  actions: { onNewGame: () => void; onRetry: () => void },
): { el: HTMLElement; message: string } {
  const refused = err instanceof ApiError && (err.status === 422 || err.status === 400);
  const signedOut = err instanceof ApiError && err.status === 401;
  const message = refused
    ? `The server did not accept this game: ${err.message}.`
    : signedOut
      ? 'You were signed out, so the plates could not be scored.'
      : describeError(err);
  const again = h('button', { type: 'button', class: 'button button--primary', id: 'plate-new-game' }, 'Start a new game');
  again.addEventListener('click', actions.onNewGame);
  const retry = h('button', { type: 'button', class: 'button button--secondary', id: 'plate-retry' }, 'Try again');
  retry.addEventListener('click', actions.onRetry);
  const el = h(
    'div',
    { class: 'plate-error card' },
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Your plates were not scored'),
    h('p', { class: 'plate-error-message', role: 'alert' }, message),
    refused
      ? h(
          'p',
          { class: 'muted' },
          `A game lasts ${Math.round(rules.session_ttl_seconds / 60)} minutes at most, and each plate needs at least ${rules.min_seconds_per_plate} seconds.`,
        )
      : null,
    h(
      'p',
      { class: 'button-row' },
      again,
      refused ? null : signedOut ? h('a', { class: 'button button--secondary', href: withNext(SIGNIN_PATH, PLATE_PAGE) }, 'Sign in') : retry,
    ),
  );
  return { el, message };
}
