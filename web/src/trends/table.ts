/** Data tables that carry the same numbers as a chart, inside a `<details>` so they are there but out of the way. */
import { h } from '../ui/dom';

export function dataTable(caption: string, headers: readonly string[], rows: ReadonlyArray<readonly string[]>): HTMLTableElement {
  const head = h('tr');
  for (const text of headers) head.append(h('th', { scope: 'col' }, text));
  const body = h('tbody');
  for (const row of rows) {
    const tr = h('tr');
    row.forEach((cell, i) => tr.append(i === 0 ? h('th', { scope: 'row' }, cell) : h('td', undefined, cell)));
    body.append(tr);
  }
  return h('table', { class: 'data-table' }, h('caption', undefined, caption), h('thead', undefined, head), body);
}

/** A `<details>` holding `table`, with a scrollable, focusable wrapper (keyboard users can scroll it). */
export function tableDetails(summary: string, table: HTMLTableElement): HTMLDetailsElement {
  const wrap = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': summary }, table);
  return h('details', { class: 'table-details' }, h('summary', undefined, summary), wrap);
}
