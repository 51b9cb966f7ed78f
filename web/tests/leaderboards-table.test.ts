import { afterEach, describe, expect, it } from 'vitest';
import type { LeaderboardEntry } from '../src/api/games';
import { describeChanges } from '../src/leaderboards/live';
import { podium } from '../src/leaderboards/podium';
import { formatScore, leaderboardTable, ordinal } from '../src/leaderboards/table';
import { relativeTime } from '../src/leaderboards/time';

const XSS = '<img src=x onerror=alert(1)>';
const NOW = Date.parse('2026-11-27T12:00:00Z');

function entry(rank: number, user_id: number, display_name: string, score: number, achieved_at = '2026-11-27T11:55:00Z'): LeaderboardEntry {
  return { rank, user_id, display_name, score, achieved_at };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('leaderboard table', () => {
  it('shows a name with markup as text, never as an element', () => {
    const table = leaderboardTable([entry(1, 9, XSS, 4200), entry(2, 4, 'Sam & <b>Co</b>', 10)], { caption: 'Top 10', now: NOW });
    document.body.append(table);
    expect(table.querySelector('img')).toBeNull();
    expect(table.querySelector('b')).toBeNull();
    const names = [...table.querySelectorAll('.lb-name')].map((n) => n.textContent);
    expect(names).toEqual([XSS, 'Sam & <b>Co</b>']);
    expect(table.querySelector('.lb-avatar')?.textContent).toBe('<');
  });

  it('has a caption, column headers and one row per entry in order', () => {
    const table = leaderboardTable([entry(1, 1, 'Ana', 9000), entry(2, 2, 'Ben', 12)], { caption: 'Glucose Grand Prix, all time', now: NOW });
    expect(table.caption?.textContent).toBe('Glucose Grand Prix, all time');
    expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Rank', 'Player', 'Score', 'When']);
    expect([...table.querySelectorAll('th')].every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    const rows = [...table.tBodies[0]!.rows];
    expect(rows.map((r) => r.cells[0]?.textContent)).toEqual(['1', '2']);
    expect(rows[0]?.querySelector('.lb-score')?.textContent).toBe('9,000');
    expect(rows[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-27T11:55:00Z');
    expect(rows[0]?.querySelector('.lb-when time')?.textContent).toBe('5 minutes ago');
  });

  it('highlights the signed-in player in words as well as colour', () => {
    const table = leaderboardTable([entry(1, 1, 'Ana', 900), entry(2, 7, 'Jamie', 800)], { caption: 'x', meId: 7, now: NOW });
    const mine = table.querySelector('tr.is-me');
    expect(mine?.getAttribute('aria-current')).toBe('true');
    expect(mine?.querySelector('.lb-you')?.textContent).toBe('You');
    expect(table.querySelectorAll('tr.is-me')).toHaveLength(1);
    expect(leaderboardTable([entry(1, 1, 'Ana', 900)], { caption: 'x', meId: null }).querySelector('.is-me')).toBeNull();
  });

  it('marks rows that just changed', () => {
    const table = leaderboardTable([entry(1, 1, 'Ana', 900), entry(2, 2, 'Ben', 800)], { caption: 'x', changed: new Set([2]) });
    expect([...table.querySelectorAll('tr.is-new')].map((r) => r.getAttribute('data-user-id'))).toEqual(['2']);
  });

  it('puts the top three on a podium, names as text', () => {
    const el = podium([entry(1, 1, XSS, 900), entry(2, 2, 'Ben', 800), entry(3, 3, 'Cy', 700), entry(4, 4, 'Di', 600)], 2);
    expect(el?.getAttribute('aria-hidden')).toBe('true');
    expect(el?.querySelector('img')).toBeNull();
    expect([...(el?.querySelectorAll('.lb-podium-name') ?? [])].map((n) => n.textContent)).toEqual(['Ben', XSS, 'Cy']);
    expect(el?.querySelector('.is-me .lb-podium-name')?.textContent).toBe('Ben');
    expect(podium([], null)).toBeNull();
  });
});

describe('formatting', () => {
  it('writes ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th',
    ]);
  });

  it('formats scores with separators', () => {
    expect(formatScore(1234567.9)).toBe('1,234,567');
  });

  it('says when, relative to now', () => {
    expect(relativeTime('2026-11-27T11:59:30Z', NOW)).toBe('just now');
    expect(relativeTime('2026-11-27T11:59:00Z', NOW)).toBe('1 minute ago');
    expect(relativeTime('2026-11-27T09:00:00Z', NOW)).toBe('3 hours ago');
    expect(relativeTime('2026-11-26T12:00:00Z', NOW)).toBe('yesterday');
    expect(relativeTime('2026-11-23T12:00:00Z', NOW)).toBe('4 days ago');
    expect(relativeTime('2026-10-01T12:00:00Z', NOW)).toBe('1 Oct 2026');
    expect(relativeTime('garbage', NOW)).toBe('');
  });
});

describe('live changes', () => {
  const before = [entry(1, 1, 'Ana', 900), entry(2, 2, 'Ben', 800)];

  it('names a player who is new on the board', () => {
    const after = [entry(1, 3, XSS, 1000), ...before.map((e) => ({ ...e, rank: e.rank + 1 }))];
    const diff = describeChanges(before, after);
    expect([...diff.changed]).toEqual([3]);
    expect(diff.text).toBe(`Leaderboard update: ${XSS} is now 1st with 1,000 points.`);
  });

  it('names a player who improved, and says "You" for the signed-in player', () => {
    const after = [entry(1, 2, 'Ben', 950), entry(2, 1, 'Ana', 900)];
    expect(describeChanges(before, after).text).toBe('Leaderboard update: Ben is now 1st with 950 points.');
    expect(describeChanges(before, after, 2).text).toBe('Leaderboard update: You are now 1st with 950 points.');
  });

  it('counts further changes, and stays quiet when nothing changed', () => {
    const after = [entry(1, 3, 'Cy', 2000), entry(2, 4, 'Di', 1500), entry(3, 1, 'Ana', 900)];
    expect(describeChanges(before, after).text).toBe('Leaderboard update: Cy is now 1st with 2,000 points. 1 more change.');
    expect(describeChanges(before, before).text).toBeNull();
    expect(describeChanges(before, [before[0]!]).text).toBe('The leaderboard changed.');
  });
});
