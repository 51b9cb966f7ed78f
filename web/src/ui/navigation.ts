/** Page-to-page navigation after sign-in, sign-up, sign-out and account deletion. */

export const HOME_PATH = '/';
export const SIGNIN_PATH = '/signin.html';
export const SIGNUP_PATH = '/signup.html';
export const PROFILE_PATH = '/profile.html';

/** Pages that make no sense as a destination after signing in (they would loop back to a form). */
const AUTH_PATHS = new Set([SIGNIN_PATH, SIGNUP_PATH]);

/**
 * The `?next=` value if it is a path on this site, else null. Accepts "/profile.html" or "/trends.html?range=7d#x";
 * rejects absolute URLs ("https://evil.example/"), protocol-relative ones ("//evil.example", "/\\evil.example"),
 * other schemes ("javascript:…"), relative paths, control characters, and the sign-in and sign-up pages.
 */
export function safeNextPath(raw: string | null | undefined, origin: string = window.location.origin): string | null {
  if (!raw) return null;
  // Only a single leading slash: "//host" and "/\host" are protocol-relative in browsers.
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return null;
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(origin).origin) return null;
  if (AUTH_PATHS.has(url.pathname)) return null;
  return url.pathname + url.search + url.hash;
}

/** Where to go after signing in: the safe `next` parameter of `search`, else the home page. */
export function nextDestination(search: string = window.location.search, origin: string = window.location.origin): string {
  return safeNextPath(new URLSearchParams(search).get('next'), origin) ?? HOME_PATH;
}

/** `/signin.html?next=<path>` (or `/signup.html…`), carrying the page to come back to. */
export function withNext(page: string, next: string | null): string {
  return next && next !== HOME_PATH ? `${page}?${new URLSearchParams({ next }).toString()}` : page;
}

/** The one place that leaves the page (tests replace `pageNav.go`). */
export const pageNav = {
  go(href: string): void {
    window.location.assign(href);
  },
};
