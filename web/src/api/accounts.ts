/**
 * Accounts: sign-up, sign-in, sign-out and the signed-in user's profile (API.md "Authentication").
 *
 * The server keeps the session in the HttpOnly `glucoplay_session` cookie that signup and login set; every call
 * goes through {@link apiRequest}, which sends `credentials: 'include'`. The `token` that signup and login also
 * return is for non-browser clients: the UI never stores it.
 */
import { apiRequest } from './client';

export type GlucoseUnit = 'mg/dL' | 'mmol/L';
export type CgmModel = 'g7' | 'g6' | 'stelo';
export type AgeGroup = 'adult' | 'teen' | 'child';
export type Role = 'user' | 'admin';

export interface Settings {
  glucose_unit: GlucoseUnit;
  target_low_mg_dl: number;
  target_high_mg_dl: number;
  /** An IANA time zone name, e.g. "America/Los_Angeles" (default "UTC"). */
  time_zone: string;
  cgm_model: CgmModel;
  age_group: AgeGroup;
}

export interface User {
  id: number;
  username: string;
  /** Plain text chosen by the user: always render it as text, never as markup. */
  display_name: string;
  role: Role;
  /** RFC 3339, UTC. */
  created_at: string;
  settings: Settings;
}

/** `POST /api/auth/signup` and `/api/auth/login` answer with the user and a bearer token (unused by the UI). */
export interface AuthResult {
  user: User;
  token: string;
}

export interface SignupInput {
  username: string;
  password: string;
  /** Defaults to the username on the server when left out. */
  display_name?: string;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface UserPatch {
  display_name?: string;
  settings?: Partial<Settings>;
}

/** The server's rules, mirrored for the forms' client-side checks (the server still checks everything). */
export const ACCOUNT_RULES = {
  usernameMin: 3,
  usernameMax: 32,
  usernamePattern: /^[A-Za-z0-9_.-]+$/,
  passwordMin: 8,
  passwordMax: 128,
  displayNameMin: 1,
  displayNameMax: 40,
  targetMin: 50,
  targetMax: 300,
} as const;

export const GLUCOSE_UNITS: readonly GlucoseUnit[] = ['mg/dL', 'mmol/L'];

export const CGM_MODELS: ReadonlyArray<{ value: CgmModel; label: string }> = [
  { value: 'g7', label: 'Dexcom G7' },
  { value: 'g6', label: 'Dexcom G6' },
  { value: 'stelo', label: 'Dexcom Stelo' },
];

export const AGE_GROUPS: ReadonlyArray<{ value: AgeGroup; label: string }> = [
  { value: 'adult', label: 'Adult' },
  { value: 'teen', label: 'Teen' },
  { value: 'child', label: 'Child' },
];

/** `POST /api/auth/signup` → 201 `{user, token}`; sets the session cookie. */
export function signup(input: SignupInput): Promise<AuthResult> {
  return apiRequest<AuthResult>('POST', '/api/auth/signup', { body: input });
}

/** `POST /api/auth/login` → 200 `{user, token}`; sets the session cookie. 401 for a wrong name or password. */
export function login(credentials: Credentials): Promise<AuthResult> {
  return apiRequest<AuthResult>('POST', '/api/auth/login', { body: credentials });
}

/** `POST /api/auth/logout` → 204; the session ends at once. */
export function logout(): Promise<void> {
  return apiRequest<void>('POST', '/api/auth/logout', { body: {} });
}

/** `GET /api/users/me` → the signed-in user; 401 when signed out. */
export function me(signal?: AbortSignal): Promise<User> {
  return apiRequest<User>('GET', '/api/users/me', signal ? { signal } : {});
}

/** `PATCH /api/users/me` with any subset of `{display_name, settings}` → the updated user. */
export function updateMe(patch: UserPatch): Promise<User> {
  return apiRequest<User>('PATCH', '/api/users/me', { body: patch });
}

/** `POST /api/users/me/password` → 204. 401 when the current password is wrong; 400 (`new_password`) when weak. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return apiRequest<void>('POST', '/api/users/me/password', {
    body: { current_password: currentPassword, new_password: newPassword },
  });
}

/** `GET /api/users/me/export` → every record the user owns, as one JSON document. */
export function exportMe(): Promise<unknown> {
  return apiRequest<unknown>('GET', '/api/users/me/export');
}

/** `DELETE /api/users/me` with `{password}` → 204; the account and all its data are gone. 401 for a wrong password. */
export function deleteMe(password: string): Promise<void> {
  return apiRequest<void>('DELETE', '/api/users/me', { body: { password } });
}
