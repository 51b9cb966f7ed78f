/**
 * An ARIA tab list (WAI-ARIA Authoring Practices "Tabs with automatic activation"): one tab in the Tab order,
 * arrow keys / Home / End move between tabs and select them.
 */
import { h } from '../ui/dom';

export interface TabList<T extends string> {
  el: HTMLElement;
  select(value: T, focus?: boolean): void;
}

export function tabList<T extends string>(options: {
  label: string;
  className: string;
  items: ReadonlyArray<{ id: T; label: string }>;
  selected: T;
  controls: string;
  idPrefix: string;
  onSelect: (value: T) => void;
}): TabList<T> {
  const el = h('div', { class: `lb-tabs ${options.className}`, role: 'tablist', 'aria-label': options.label });
  const tabs = options.items.map((item) => {
    const tab = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'lb-tab',
        id: `${options.idPrefix}-${item.id}`,
        'aria-controls': options.controls,
        'data-value': item.id,
      },
      item.label,
    );
    tab.addEventListener('click', () => {
      if (tab.getAttribute('aria-selected') !== 'true') {
        select(item.id);
        options.onSelect(item.id);
      }
    });
    el.append(tab);
    return { item, tab };
  });

  const select = (value: T, focus = false): void => {
    for (const { item, tab } of tabs) {
      const on = item.id === value;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      if (on && focus) tab.focus();
    }
  };

  el.addEventListener('keydown', (event) => {
    const index = tabs.findIndex(({ tab }) => tab === document.activeElement);
    if (index < 0) return;
    let next = index;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else return;
    event.preventDefault();
    const target = tabs[next];
    if (!target) return;
    select(target.item.id, true);
    options.onSelect(target.item.id);
  });

  select(options.selected);
  return { el, select };
}
