/**
 * Leaderboards: the top 10 of Glucose Grand Prix and Perfect Plate, all time / this week / today, kept live by the
 * server's event stream. The signed-in player's row is highlighted; outside the top 10 their own row and its
 * neighbours follow the table. Names are player text and only ever go in as text.
 */
import '../leaderboards/leaderboards.css';
import type { User } from '../api/accounts';
import {
  GAMES,
  PERIODS,
  getLeaderboard,
  getMyStanding,
  type GameId,
  type LeaderboardEntry,
  type Period,
  type Standing,
} from '../api/games';
import { LiveLeaderboard, describeChanges, type LiveState } from '../leaderboards/live';
import { podium } from '../leaderboards/podium';
import { GAME_PAGES, scoringCard, standingSection, type StandingView } from '../leaderboards/standing';
import { leaderboardTable } from '../leaderboards/table';
import { relativeTime } from '../leaderboards/time';
import { tabList } from '../leaderboards/tabs';
import { clear, h } from '../ui/dom';
import { featureIcon } from '../ui/icons';
import { loadSession } from '../ui/session';

const PERIOD_LABELS: Record<Period, string> = { all: 'All time', week: 'This week', day: 'Today' };
const LIVE_TEXT: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };
const EMPTY_TEXT: Record<Period, string> = {
  all: 'No scores yet. Be the first on the board!',
  week: 'No scores yet this week. Be the first!',
  day: 'No scores yet today. Be the first!',
};

export function parseGame(value: string | null): GameId {
  return value === 'plate' ? 'plate' : 'racing';
}

export function parsePeriod(value: string | null): Period {
  return value === 'week' || value === 'day' ? value : 'all';
}

export async function mount(root: HTMLElement): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  let game = parseGame(params.get('game'));
  let period = parsePeriod(params.get('period'));
  let user: User | null = null;
  let entries: LeaderboardEntry[] | null = null;
  let allTime: LeaderboardEntry[] | null = null;
  let changed = new Set<number>();
  let standing: StandingView = { kind: 'guest' };
  let loadError = false;
  let token = 0;
  let live: LiveLeaderboard | null = null;

  const heading = h('h2', { id: 'lb-heading', class: 'lb-heading' });
  const tableHost = h('div', { class: 'lb-table-host' });
  const standingHost = h('div', { class: 'lb-standing-host' });
  const liveBadge = h('span', { class: 'lb-live', 'data-state': 'connecting' }, h('span', { class: 'lb-live-dot', 'aria-hidden': 'true' }), h('span', { class: 'lb-live-text' }, LIVE_TEXT.connecting));
  const announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'lb-announcer' });
  const scoringHost = h('div', { class: 'lb-scoring-host' });
  const panel = h('div', { class: 'lb-panel', id: 'lb-panel', role: 'tabpanel', 'aria-labelledby': 'lb-heading' }, heading, tableHost);

  const gameTabs = tabList<GameId>({
    label: 'Game',
    className: 'lb-tabs--game',
    items: GAMES.map((g) => ({ id: g.id, label: g.name })),
    selected: game,
    controls: 'lb-panel',
    idPrefix: 'lb-game',
    onSelect: (value) => {
      game = value;
      allTime = null;
      connect();
      void load();
    },
  });
  const periodTabs = tabList<Period>({
    label: 'Period',
    className: 'lb-tabs--period',
    items: PERIODS,
    selected: period,
    controls: 'lb-panel',
    idPrefix: 'lb-period',
    onSelect: (value) => {
      period = value;
      void load();
    },
  });

  root.append(
    h(
      'div',
      { class: 'container leaderboards' },
      h(
        'header',
        { class: 'lb-head' },
        h('div', { class: 'lb-head-icon' }, featureIcon('leaderboards')),
        h(
          'div',
          undefined,
          h('p', { class: 'lb-kicker' }, 'Live rankings'),
          h('h1', { id: 'page-title', class: 'lb-title' }, 'Leaderboards'),
          h('p', { class: 'lb-lead' }, 'The top 10 players in each game. Each player counts once, with their best score; a tie goes to whoever got there first.'),
        ),
      ),
      h(
        'div',
        { class: 'lb-layout' },
        h('div', { class: 'lb-card' }, gameTabs.el, h('div', { class: 'lb-toolbar' }, periodTabs.el, liveBadge), panel),
        h('aside', { class: 'lb-side', 'aria-label': 'Your rank and how scores work' }, standingHost, scoringHost),
      ),
      announcer,
    ),
  );

  const meId = (): number | null => user?.id ?? null;

  /** The board (podium and table, or a loading / empty / error message). */
  const renderBoard = (): void => {
    heading.textContent = `${GAME_PAGES[game].name} · ${PERIOD_LABELS[period]}`;
    clear(tableHost);
    if (entries === null) {
      if (loadError) {
        const retry = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
        retry.addEventListener('click', () => void load());
        tableHost.append(h('div', { class: 'lb-empty', role: 'alert' }, h('p', undefined, 'The leaderboard could not be loaded.'), retry));
      } else {
        tableHost.append(h('p', { class: 'lb-loading' }, 'Loading the leaderboard…'));
      }
    } else if (entries.length === 0) {
      tableHost.append(
        h('div', { class: 'lb-empty' }, h('p', undefined, EMPTY_TEXT[period]), h('a', { class: 'button button--primary', href: GAME_PAGES[game].href }, `Play ${GAME_PAGES[game].name}`)),
      );
    } else {
      const top = podium(entries, meId());
      if (top) tableHost.append(top);
      tableHost.append(
        leaderboardTable(entries, {
          caption: `${GAME_PAGES[game].name}, ${PERIOD_LABELS[period].toLowerCase()}: top ${entries.length}`,
          captionHidden: true,
          meId: meId(),
          changed,
        }),
      );
    }
    changed = new Set();
  };

  /** The side column: where the player stands, and how the selected game scores (rebuilt only when it changes). */
  let scoringFor: GameId | null = null;
  let standingKey = '';
  const renderSide = (): void => {
    const view: StandingView = entries === null && !loadError ? { kind: 'loading' } : standing;
    const key = JSON.stringify([game, period, view]);
    if (key !== standingKey) {
      standingKey = key;
      clear(standingHost);
      standingHost.append(standingSection(game, period, view));
    }
    if (scoringFor !== game) {
      scoringFor = game;
      clear(scoringHost);
      scoringHost.append(scoringCard(game));
    }
  };

  const render = (): void => {
    renderBoard();
    renderSide();
  };

  /** "5 minutes ago" goes stale: rewrite the times in place (nothing is rebuilt, so focus stays put). */
  const refreshTimes = (): void => {
    for (const time of root.querySelectorAll<HTMLTimeElement>('.lb-table time[datetime]')) {
      const text = relativeTime(time.dateTime);
      time.textContent = text;
      const inline = time.closest('tr')?.querySelector('.lb-when-inline');
      if (inline) inline.textContent = text;
    }
  };

  const standingView = (result: PromiseSettledResult<Standing | null>): StandingView => {
    const id = meId();
    if (id === null) return { kind: 'guest' };
    if (result.status === 'rejected' || result.value === null) return { kind: 'error' };
    return { kind: 'standing', standing: result.value, meId: id, inTable: (entries ?? []).some((e) => e.user_id === id) };
  };

  /** Fetches the selected board (and the player's standing); `quiet` keeps the current table while it loads. */
  async function load(quiet = false): Promise<void> {
    const mine = ++token;
    syncUrl();
    if (!quiet) {
      entries = null;
      loadError = false;
      render();
    }
    const [board, mineStanding] = await Promise.allSettled([
      getLeaderboard(game, period, 10),
      user ? getMyStanding(game, period) : Promise.resolve(null),
    ]);
    if (mine !== token) return;
    if (board.status === 'fulfilled') {
      entries = board.value.entries;
      loadError = false;
      if (period === 'all' && allTime === null) allTime = entries;
    } else if (!quiet) {
      entries = null;
      loadError = true;
    }
    standing = standingView(mineStanding);
    render();
  }

  function syncUrl(): void {
    const query = new URLSearchParams();
    if (game !== 'racing') query.set('game', game);
    if (period !== 'all') query.set('period', period);
    const search = query.toString();
    try {
      window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`);
    } catch {
      // Not fatal: the URL just does not follow the tabs.
    }
  }

  function connect(): void {
    live?.close();
    const stream = new LiveLeaderboard(game, {
      onState: (state) => {
        liveBadge.dataset['state'] = state;
        const text = liveBadge.querySelector('.lb-live-text');
        if (text) text.textContent = LIVE_TEXT[state];
      },
      onBoard: (board, first) => {
        if (stream !== live || board.game !== game) return;
        if (first && allTime === null) {
          allTime = board.entries;
          return;
        }
        const diff = describeChanges(allTime ?? [], board.entries, meId());
        allTime = board.entries;
        if (first && diff.text === null) return;
        if (period === 'all') {
          entries = board.entries;
          changed = diff.changed;
          token += 1; // a slower fetch started before this event must not overwrite it
          if (user) {
            const mine = token;
            getMyStanding(game, period).then(
              (s) => {
                if (mine !== token) return;
                standing = standingView({ status: 'fulfilled', value: s });
                render();
              },
              () => undefined,
            );
          }
          render();
        } else {
          void load(true);
        }
        if (diff.text) announcer.textContent = diff.text;
      },
    });
    live = stream;
    void stream.open();
  }

  window.setInterval(refreshTimes, 60_000);
  window.addEventListener('pagehide', () => live?.close());

  render();
  try {
    user = await loadSession();
  } catch {
    user = null;
  }
  connect();
  await load();
}
