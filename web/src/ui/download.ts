/** Saving data the page already has as a file (no navigation, no server round trip). */
import { h } from './dom';

/** "glucoplay-export-<username>.json", with anything but [A-Za-z0-9_.-] in the name replaced by "_". */
export function exportFileName(username: string): string {
  const safe = username.replace(/[^A-Za-z0-9_.-]/g, '_') || 'user';
  return `glucoplay-export-${safe}.json`;
}

/** Offers `data` as a pretty-printed JSON download named `fileName`. */
export function downloadJson(fileName: string, data: unknown): void {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL stops working.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
