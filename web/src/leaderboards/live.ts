/**
 * The live leaderboard: an EventSource on `/api/scores/stream?game=` (credentials included). The server sends the
 * all-time top 10 at once and again whenever it changes. The browser reconnects by itself after a dropped
 * connection; when it gives up (the stream answered an error), we open a new one after a growing delay.
 */
import {
  eventSourceFactory,
  leaderboardStreamUrl,
  parseLeaderboardEvent,
  type GameId,
  type Leaderboard,
  type LeaderboardEntry,
} from '../api/games';
import { formatScore, ordinal } from './table';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  /** `first` is the snapshot sent on (re)connecting; later calls are changes. */
  onBoard(board: Leaderboard, first: boolean): void;
  onState(state: LiveState): void;
}

export const RETRY_MS = [3000, 6000, 12000, 30000];

export class LiveLeaderboard {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private closed = false;
  private first = true;

  constructor(
    readonly game: GameId,
    private readonly handlers: LiveHandlers,
  ) {}

  async open(): Promise<void> {
    this.closed = false;
    this.handlers.onState(this.failures === 0 ? 'connecting' : 'reconnecting');
    let url: string;
    try {
      url = await leaderboardStreamUrl(this.game);
    } catch {
      this.retry();
      return;
    }
    if (this.closed) return;
    const source = eventSourceFactory.create(url);
    this.source = source;
    this.first = true;
    source.addEventListener('open', () => {
      this.failures = 0;
      this.handlers.onState('live');
    });
    source.addEventListener('leaderboard', (event) => {
      const board = parseLeaderboardEvent((event as MessageEvent<string>).data);
      if (!board || board.game !== this.game) return;
      this.handlers.onState('live');
      const first = this.first;
      this.first = false;
      this.handlers.onBoard(board, first);
    });
    source.addEventListener('error', () => {
      if (this.closed || this.source !== source) return;
      // CONNECTING: the browser is already retrying (after the server's `retry:` delay). CLOSED: it gave up.
      this.first = true;
      if (source.readyState === 2) {
        source.close();
        this.source = null;
        this.retry();
      } else {
        this.handlers.onState('reconnecting');
      }
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
  }

  private retry(): void {
    if (this.closed) return;
    this.handlers.onState('reconnecting');
    const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)] as number;
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.open();
    }, delay);
  }
}

/**
 * What changed between two top-10 lists, for the polite announcement: players who are new on the board or
 * improved their score. Returns their user ids and a sentence (null when nothing a listener cares about changed).
 */
export function describeChanges(
  before: readonly LeaderboardEntry[],
  after: readonly LeaderboardEntry[],
  meId: number | null = null,
): { changed: Set<number>; text: string | null } {
  const previous = new Map(before.map((e) => [e.user_id, e]));
  const changed = new Set<number>();
  const sentences: string[] = [];
  for (const entry of after) {
    const old = previous.get(entry.user_id);
    if (old && old.score === entry.score) continue;
    changed.add(entry.user_id);
    const who = entry.user_id === meId ? 'You' : entry.display_name;
    const verb = entry.user_id === meId ? 'are' : 'is';
    sentences.push(`${who} ${verb} now ${ordinal(entry.rank)} with ${formatScore(entry.score)} points.`);
  }
  if (sentences.length === 0) {
    const removed = before.some((e) => !after.some((a) => a.user_id === e.user_id));
    return { changed, text: removed ? 'The leaderboard changed.' : null };
  }
  const more = sentences.length > 1 ? ` ${sentences.length - 1} more ${sentences.length === 2 ? 'change' : 'changes'}.` : '';
  return { changed, text: `Leaderboard update: ${sentences[0] as string}${more}` };
}
