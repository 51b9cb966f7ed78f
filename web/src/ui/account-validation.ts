/**
 * Client-side checks mirroring the server's account rules (API.md "Authentication"). Each returns the message to
 * show next to the field, or null when the value is fine. The server checks everything again.
 */
import { ACCOUNT_RULES as R } from '../api/accounts';
import { charLength } from './forms';

export function checkUsername(value: string): string | null {
  if (value === '') return 'Enter a username.';
  const length = charLength(value);
  if (length < R.usernameMin || length > R.usernameMax) {
    return `Use ${R.usernameMin} to ${R.usernameMax} characters (you have ${length}).`;
  }
  if (!R.usernamePattern.test(value)) return 'Use only letters, digits, and the characters _ . -';
  return null;
}

export function checkPassword(value: string, what = 'a password'): string | null {
  if (value === '') return `Enter ${what}.`;
  const length = charLength(value);
  if (length < R.passwordMin) return `Use at least ${R.passwordMin} characters (you have ${length}).`;
  if (length > R.passwordMax) return `Use at most ${R.passwordMax} characters (you have ${length}).`;
  return null;
}

export function checkConfirmation(password: string, confirmation: string): string | null {
  if (confirmation === '') return 'Type the password again.';
  return confirmation === password ? null : 'The passwords do not match.';
}

/** `required` false: an empty display name is allowed (the server then uses the username). */
export function checkDisplayName(value: string, required: boolean): string | null {
  const length = charLength(value.trim());
  if (length === 0) return required ? 'Enter a display name.' : null;
  if (length > R.displayNameMax) return `Use at most ${R.displayNameMax} characters (you have ${length}).`;
  return null;
}

/** One target (mg/dL, whole number 50–300), as typed. */
export function checkTarget(raw: string): string | null {
  if (raw.trim() === '') return 'Enter a value in mg/dL.';
  const value = Number(raw);
  if (!Number.isInteger(value)) return 'Use a whole number of mg/dL.';
  if (value < R.targetMin || value > R.targetMax) return `Use a value from ${R.targetMin} to ${R.targetMax} mg/dL.`;
  return null;
}

/** Both targets: each valid on its own, and low below high (the error goes on the high field). */
export function checkTargets(lowRaw: string, highRaw: string): { low: string | null; high: string | null } {
  const low = checkTarget(lowRaw);
  let high = checkTarget(highRaw);
  if (!low && !high && Number(lowRaw) >= Number(highRaw)) high = 'The high target must be above the low target.';
  return { low, high };
}

export function checkTimeZone(value: string, known: readonly string[]): string | null {
  if (value === '') return 'Choose a time zone.';
  return known.includes(value) ? null : 'Choose a time zone from the list.';
}

/** mg/dL → mmol/L with one decimal, as API.md defines it (mg/dL / 18.0). */
export function mgdlToMmol(mgdl: number): string {
  return (mgdl / 18).toFixed(1);
}
