import { describe, expect, it } from 'vitest';
import { nextDestination, safeNextPath, withNext } from '../src/ui/navigation';

const ORIGIN = 'https://glucoplay.example';

describe('safeNextPath (the ?next= check)', () => {
  it.each([
    ['/profile.html', '/profile.html'],
    ['/trends.html?range=7d#chart', '/trends.html?range=7d#chart'],
    ['/', '/'],
    ['/a/../profile.html', '/profile.html'],
  ])('accepts the same-site path %s', (raw, expected) => {
    expect(safeNextPath(raw, ORIGIN)).toBe(expected);
  });

  it.each([
    ['//evil.example'],
    ['//evil.example/profile.html'],
    ['/\\evil.example'],
    ['/\\/evil.example'],
    ['https://evil.example/'],
    ['http://glucoplay.example.evil.example/'],
    ['https://glucoplay.example/profile.html'], // absolute, even to ourselves: only paths are accepted
    ['javascript:alert(1)'],
    ['data:text/html,hi'],
    ['profile.html'],
    ['evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    [' /profile.html'],
    [''],
    [null],
    [undefined],
    ['/signin.html'],
    ['/signup.html?next=/x'],
  ])('rejects %j', (raw) => {
    expect(safeNextPath(raw, ORIGIN)).toBeNull();
  });

  it('falls back to the home page', () => {
    expect(nextDestination('?next=//evil.example', ORIGIN)).toBe('/');
    expect(nextDestination('?next=https%3A%2F%2Fevil.example%2F', ORIGIN)).toBe('/');
    expect(nextDestination('', ORIGIN)).toBe('/');
    expect(nextDestination('?next=%2Fprofile.html', ORIGIN)).toBe('/profile.html');
  });

  it('builds sign-in links that carry the page to come back to', () => {
    expect(withNext('/signin.html', '/profile.html')).toBe('/signin.html?next=%2Fprofile.html');
    expect(withNext('/signin.html', null)).toBe('/signin.html');
    expect(withNext('/signin.html', '/')).toBe('/signin.html');
  });
});
