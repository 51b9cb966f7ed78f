import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_PAGES, NAV_ITEMS } from '../src/ui/shell';

const WEB = resolve(__dirname, '..');
const htmlFor = (href: string): string => (href === '/' ? 'index.html' : href.replace(/^\//, ''));
const viteConfig = readFileSync(resolve(WEB, 'vite.config.ts'), 'utf8');

describe.each([...NAV_ITEMS, ...ACCOUNT_PAGES].map((item) => [htmlFor(item.href), item.id] as const))('%s', (file, id) => {
  const html = readFileSync(resolve(WEB, file), 'utf8');

  it('loads its own entry module, which exists', () => {
    expect(html).toContain(`<script type="module" src="/src/pages/${id}.ts"></script>`);
    expect(existsSync(resolve(WEB, `src/pages/${id}.ts`))).toBe(true);
  });

  it('is a rollup input in vite.config.ts', () => {
    expect(viteConfig).toContain(`'${file}'`);
  });

  it('has no inline script or style (the server sends a CSP without unsafe-inline)', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });

  it('declares its language, viewport and title', () => {
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain('name="viewport"');
    expect(html).toMatch(/<title>[^<]*GlucoPlay[^<]*<\/title>/);
  });
});
