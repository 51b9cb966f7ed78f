import { describe, expect, it } from 'vitest';
import {
  checkConfirmation,
  checkDisplayName,
  checkPassword,
  checkTargets,
  checkTimeZone,
  checkUsername,
  mgdlToMmol,
} from '../src/ui/account-validation';
import { fieldForApiName, inputField, setFieldError } from '../src/ui/forms';
import { filterTimeZones, timeZones } from '../src/ui/time-zones';

describe('client-side account rules (mirroring the server)', () => {
  it('usernames: 3–32 of [A-Za-z0-9_.-]', () => {
    expect(checkUsername('abc')).toBeNull();
    expect(checkUsername('a.b-c_9')).toBeNull();
    expect(checkUsername('x'.repeat(32))).toBeNull();
    expect(checkUsername('ab')).toMatch(/3 to 32/);
    expect(checkUsername('x'.repeat(33))).toMatch(/3 to 32/);
    expect(checkUsername('has space')).toMatch(/letters, digits/);
    expect(checkUsername('émile')).toMatch(/letters, digits/);
    expect(checkUsername('')).toBe('Enter a username.');
  });

  it('passwords: 8–128 characters, counted as code points', () => {
    expect(checkPassword('12345678')).toBeNull();
    expect(checkPassword('1234567')).toMatch(/at least 8/);
    expect(checkPassword('x'.repeat(129))).toMatch(/at most 128/);
    expect(checkPassword('😀'.repeat(8))).toBeNull();
    expect(checkConfirmation('abc', 'abd')).toMatch(/do not match/);
    expect(checkConfirmation('abc', 'abc')).toBeNull();
  });

  it('display names: 1–40 characters, optional at sign-up', () => {
    expect(checkDisplayName('', false)).toBeNull();
    expect(checkDisplayName('   ', true)).toMatch(/Enter/);
    expect(checkDisplayName('x'.repeat(40), true)).toBeNull();
    expect(checkDisplayName('x'.repeat(41), true)).toMatch(/at most 40/);
  });

  it('targets: whole mg/dL from 50 to 300, low below high', () => {
    expect(checkTargets('70', '180')).toEqual({ low: null, high: null });
    expect(checkTargets('50', '300')).toEqual({ low: null, high: null });
    expect(checkTargets('49', '180').low).toMatch(/50 to 300/);
    expect(checkTargets('70', '301').high).toMatch(/50 to 300/);
    expect(checkTargets('70.5', '180').low).toMatch(/whole number/);
    expect(checkTargets('180', '180').high).toMatch(/above the low/);
    expect(checkTargets('', '180').low).toMatch(/Enter/);
    expect(mgdlToMmol(70)).toBe('3.9');
    expect(mgdlToMmol(180)).toBe('10.0');
  });

  it('time zones: one from the list, "UTC" first', () => {
    const zones = timeZones();
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('America/Los_Angeles');
    expect(checkTimeZone('America/Los_Angeles', zones)).toBeNull();
    expect(checkTimeZone('Mars/Olympus_Mons', zones)).toMatch(/from the list/);
    expect(filterTimeZones(zones, 'los ang', (z) => z)).toEqual(['America/Los_Angeles']);
    expect(filterTimeZones(zones, 'new_york', (z) => z)).toEqual(['America/New_York']);
    expect(filterTimeZones(['A/B'], '', (z) => z)).toEqual(['A/B']);
  });
});

describe('field errors', () => {
  it('finds the input for an API field name, with or without "settings."', () => {
    const fields = [inputField({ name: 'display_name', label: 'Name' }), inputField({ name: 'settings.time_zone', label: 'Zone' })];
    expect(fieldForApiName(fields, 'settings.time_zone')?.name).toBe('settings.time_zone');
    expect(fieldForApiName(fields, 'time_zone')?.name).toBe('settings.time_zone');
    expect(fieldForApiName(fields, 'settings.display_name')?.name).toBe('display_name');
    expect(fieldForApiName(fields, 'password')).toBeUndefined();
    expect(fieldForApiName(fields, undefined)).toBeUndefined();
  });

  it('wires the message to the input with aria-invalid and aria-describedby, as text', () => {
    const field = inputField({ name: 'username', label: 'Username', hint: 'Pick one' });
    document.body.replaceChildren(field.row);
    const input = field.control;
    expect(input.getAttribute('aria-describedby')).toBe('f-username-hint');
    setFieldError(field, '<b>taken</b>');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('f-username-hint f-username-error');
    expect(document.getElementById('f-username-error')?.textContent).toBe('<b>taken</b>');
    expect(document.querySelector('b')).toBeNull();
    setFieldError(field, null);
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(input.getAttribute('aria-describedby')).toBe('f-username-hint');
    expect(document.querySelector(`label[for="${input.id}"]`)?.textContent).toBe('Username');
  });
});
