/**
 * Perfect Plate: build balanced plates by the Diabetes Plate Method; the server scores them (src/games/plate/).
 *
 * With `?test=1` in the URL the page exposes `window.__glucoplayPlate = { state() }` for the browser tests; without
 * the parameter nothing is exposed.
 */
import '../games/plate/plate.css';
import {
  DEFAULT_PLATE_RULES,
  getLeaderboard,
  getMyStanding,
  getPlateRules,
  listAllFoods,
  searchFoods,
  startPlateSession,
  submitPlates,
  type PlateFood,
  type PlateRules,
} from '../api/plate';
import type { User } from '../api/accounts';
import { clear, h } from '../ui/dom';
import { describeError } from '../ui/forms';
import { loadSession } from '../ui/session';
import { PlateGame, type PlateApi } from '../games/plate/game';
import { SEARCH_LIMIT } from '../games/plate/tray';

declare global {
  interface Window {
    __glucoplayPlate?: { state: () => Record<string, unknown> };
  }
}

export const API: PlateApi = {
  startSession: startPlateSession,
  submit: submitPlates,
  leaderboard: () => getLeaderboard('all', 10),
  standing: () => getMyStanding('all'),
  search: async (query, signal) => (await searchFoods({ q: query, limit: SEARCH_LIMIT }, signal)).items,
};

export async function mount(root: HTMLElement): Promise<void> {
  await mountPlate(root);
}

/** Mounts the game into `root`; resolves to the game, or null when the foods could not be loaded. */
export async function mountPlate(root: HTMLElement, api: PlateApi = API): Promise<PlateGame | null> {
  const host = h('div', { class: 'plate-host' });
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'plate-announcer' });
  const container = h('div', { class: 'container plate-game' }, announcer, host);
  root.append(container);
  host.append(h('p', { class: 'loading', role: 'status' }, 'Setting the table…'));

  let catalog: PlateFood[];
  let rules: PlateRules;
  let user: User | null;
  try {
    const [foods, gameRules, who] = await Promise.all([
      listAllFoods(),
      getPlateRules().catch(() => DEFAULT_PLATE_RULES),
      loadSession().catch(() => null),
    ]);
    catalog = foods;
    rules = gameRules;
    user = who;
  } catch (err) {
    clear(host);
    const retry = h('button', { type: 'button', class: 'button button--secondary' }, 'Try again');
    retry.addEventListener('click', () => {
      container.remove();
      void mountPlate(root, api);
    });
    host.append(
      h(
        'section',
        { class: 'placeholder', 'aria-labelledby': 'page-title' },
        h('h1', { id: 'page-title' }, 'Perfect Plate'),
        h('p', { class: 'lead', role: 'alert' }, `The foods could not be loaded. ${describeError(err)}`),
        h('p', { class: 'placeholder-actions' }, retry),
      ),
    );
    return null;
  }

  const game = new PlateGame({ host, announcer, catalog, rules, user, api });
  game.showSetup();
  if (new URLSearchParams(window.location.search).get('test') === '1') {
    window.__glucoplayPlate = { state: () => game.state() };
  }
  return game;
}
