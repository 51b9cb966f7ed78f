/**
 * Who is signed in, for the shell and the pages. The server is the only authority: the session lives in the
 * HttpOnly `glucoplay_session` cookie, and "signed in" means `GET /api/users/me` answered 200 on this page load.
 *
 * To spare every signed-out visitor a 401 on every page (a 401 shows up as a console error in browsers), this
 * browser remembers a *hint* in localStorage — "1" after a sign-in, sign-up or successful `me`, removed after
 * sign-out, account deletion or a 401. The hint is not a credential and grants nothing; it only decides whether
 * the header asks the server. Pages that need the user (the profile) pass `verify: true` and always ask.
 * `me` is requested at most once per page load.
 */
import { logout, me, type User } from '../api/accounts';
import { ApiError } from '../api/client';

export const SESSION_HINT_KEY = 'glucoplay.signed-in';

export type SessionListener = (user: User | null) => void;

let current: User | null = null;
let request: Promise<User | null> | null = null;
const listeners = new Set<SessionListener>();

/** True when this browser signed in before (or storage is unusable, in which case we ask the server). */
export function hasSessionHint(): boolean {
  try {
    return window.localStorage.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return true;
  }
}

function writeHint(signedIn: boolean): void {
  try {
    if (signedIn) window.localStorage.setItem(SESSION_HINT_KEY, '1');
    else window.localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // Storage disabled: every page then asks the server (see hasSessionHint).
  }
}

/**
 * The signed-in user, or null when signed out. Asks `GET /api/users/me` once per page; without `verify` and
 * without the hint it answers null without asking. Rejects with the ApiError of anything but a 401 (server
 * unreachable, 5xx), so a page can tell "signed out" from "could not check".
 */
export function loadSession(options: { verify?: boolean } = {}): Promise<User | null> {
  if (request) return request;
  if (!options.verify && !hasSessionHint()) return Promise.resolve(null);
  request = me().then(
    (user) => {
      setCurrentUser(user);
      return user;
    },
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) {
        setCurrentUser(null);
        return null;
      }
      request = null; // let a retry ask again
      throw err;
    },
  );
  return request;
}

/** The user from the last answer (null before any, or when signed out). */
export function currentUser(): User | null {
  return current;
}

/** Records a new state (after sign-in, a profile save, sign-out…) and tells the listeners. */
export function setCurrentUser(user: User | null): void {
  current = user;
  writeHint(user !== null);
  request = Promise.resolve(user);
  for (const listener of [...listeners]) listener(user);
}

/** Calls `listener` on every change of the signed-in user; returns the unsubscribe function. */
export function onSessionChange(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `POST /api/auth/logout`, then forgets the user. A 401 (already signed out) counts as success. */
export async function signOut(): Promise<void> {
  try {
    await logout();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  setCurrentUser(null);
}

/** Tests: forget everything, as on a fresh page load. */
export function resetSessionForTests(): void {
  current = null;
  request = null;
  listeners.clear();
}
