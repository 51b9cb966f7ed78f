/**
 * "Where you stand" under the table: the signed-in player's rank and best in the period, and — when they are
 * outside the top 10 — their own row with its neighbours (`GET /api/scores/me` `around`).
 */
import type { GameId, Period, Standing } from '../api/games';
import { h } from '../ui/dom';
import { SIGNIN_PATH, withNext } from '../ui/navigation';
import { formatScore, leaderboardTable, ordinal } from './table';

export const GAME_PAGES: Record<GameId, { name: string; href: string }> = {
  racing: { name: 'Glucose Grand Prix', href: '/racing.html' },
  plate: { name: 'Perfect Plate', href: '/plate.html' },
};

const PERIOD_WORDS: Record<Period, string> = { all: 'of all time', week: 'this week', day: 'today' };

export type StandingView =
  | { kind: 'guest' }
  | { kind: 'loading' }
  | { kind: 'error' }
  | { kind: 'standing'; standing: Standing; meId: number; inTable: boolean };

export function standingSection(game: GameId, period: Period, view: StandingView, now?: number): HTMLElement {
  const section = h('section', { class: 'lb-side-card lb-standing', 'aria-labelledby': 'lb-standing-title' }, h('h2', { id: 'lb-standing-title' }, 'Where you stand'));
  switch (view.kind) {
    case 'guest':
      section.append(
        h('p', undefined, h('a', { href: withNext(SIGNIN_PATH, '/leaderboards.html') }, 'Sign in'), ' to see your rank and best score.'),
      );
      return section;
    case 'loading':
      section.append(h('p', { class: 'lb-loading' }, 'Loading your rank…'));
      return section;
    case 'error':
      section.append(h('p', undefined, 'Your rank could not be loaded right now.'));
      return section;
    case 'standing': {
      const { standing, meId, inTable } = view;
      if (standing.rank === null || standing.best === null) {
        section.append(h('p', undefined, `No score ${PERIOD_WORDS[period]} yet. One game is all it takes to get on the board.`));
        return section;
      }
      const players = standing.players === 1 ? '1 player' : `${standing.players} players`;
      section.append(
        h(
          'p',
          { class: 'lb-standing-line' },
          'You are ',
          h('strong', undefined, ordinal(standing.rank)),
          ` of ${players} ${PERIOD_WORDS[period]}, with a best of `,
          h('strong', undefined, formatScore(standing.best)),
          inTable ? '. Your row is highlighted on the board.' : '.',
        ),
      );
      if (!inTable && standing.around.length > 0) {
        section.append(
          leaderboardTable(standing.around, {
            caption: `Your position and your neighbours, ${GAME_PAGES[game].name}, ${PERIOD_WORDS[period]}`,
            captionHidden: true,
            meId,
            now,
            id: 'lb-around',
            compact: true,
          }),
        );
      }
      return section;
    }
  }
}

const SCORING: Record<GameId, string[]> = {
  racing: [
    '10 points for every second you drive, doubled while your glucose is in range (70–180 mg/dL).',
    '+25 for every healthy food or water you collect.',
    '+250 for each pit-stop question you get right.',
  ],
  plate: [
    'Up to 1,000 points a plate, scored by the server: balance, placement, the drink and the glycemic load.',
    'A time bonus of up to 100 a plate for quick, balanced plates.',
  ],
};

/** How the selected game scores, with a button to play it. */
export function scoringCard(game: GameId): HTMLElement {
  const list = h('ul', { class: 'lb-scoring' });
  for (const line of SCORING[game]) list.append(h('li', undefined, line));
  return h(
    'section',
    { class: `lb-side-card lb-how lb-how--${game}`, 'aria-labelledby': 'lb-how-title' },
    h('h2', { id: 'lb-how-title' }, 'How points work'),
    list,
    h('a', { class: 'button button--primary lb-play', href: GAME_PAGES[game].href }, `Play ${GAME_PAGES[game].name}`),
  );
}
