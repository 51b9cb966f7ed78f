/** An accessible tab set (WAI-ARIA Authoring Practices "Tabs"): arrow keys, Home and End move between tabs. */
import { h } from '../ui/dom';

export interface TabSpec<Id extends string> {
  id: Id;
  label: string;
  panel: HTMLElement;
}

export interface Tabs<Id extends string> {
  list: HTMLElement;
  select(id: Id, focus?: boolean): void;
  selected(): Id;
}

export function createTabs<Id extends string>(label: string, specs: readonly TabSpec<Id>[], onSelect: (id: Id) => void): Tabs<Id> {
  const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': label });
  const buttons: HTMLButtonElement[] = [];
  let current = specs[0]?.id as Id;

  specs.forEach((spec) => {
    const button = h(
      'button',
      { type: 'button', role: 'tab', id: `tab-${spec.id}`, class: 'tab', 'aria-controls': `panel-${spec.id}`, 'aria-selected': 'false', tabindex: '-1' },
      spec.label,
    );
    button.addEventListener('click', () => select(spec.id));
    button.addEventListener('keydown', (event) => {
      const i = specs.findIndex((s) => s.id === spec.id);
      let target: number | null = null;
      if (event.key === 'ArrowRight') target = (i + 1) % specs.length;
      else if (event.key === 'ArrowLeft') target = (i - 1 + specs.length) % specs.length;
      else if (event.key === 'Home') target = 0;
      else if (event.key === 'End') target = specs.length - 1;
      if (target === null) return;
      event.preventDefault();
      select(specs[target]!.id, true);
    });
    spec.panel.id = `panel-${spec.id}`;
    spec.panel.setAttribute('role', 'tabpanel');
    spec.panel.setAttribute('aria-labelledby', `tab-${spec.id}`);
    spec.panel.tabIndex = 0;
    buttons.push(button);
    list.append(button);
  });

  function select(id: Id, focus = false): void {
    current = id;
    specs.forEach((spec, i) => {
      const on = spec.id === id;
      const button = buttons[i]!;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      spec.panel.hidden = !on;
      if (on && focus) button.focus();
    });
    onSelect(id);
  }

  return { list, select, selected: () => current };
}
