/** "What are GI and GL?": the bands the page uses, the formula, and where they come from. */
import { h } from '../ui/dom';
import { bandBadge, headRow } from './bands';

const SOURCES: ReadonlyArray<{ text: string; href: string }> = [
  {
    text: 'Atkinson FS, Foster-Powell K, Brand-Miller JC. International tables of glycemic index and glycemic load values: 2008. Diabetes Care 2008;31:2281–2283.',
    href: 'https://doi.org/10.2337/dc08-1239',
  },
  { text: 'Glycemic Index Research and GI News, University of Sydney: glycemicindex.com.', href: 'https://glycemicindex.com/' },
  {
    text: 'Wolever TMS, Jenkins DJA. The use of the glycemic index in predicting the blood glucose response to mixed meals. Am J Clin Nutr 1986;43:167–172.',
    href: 'https://doi.org/10.1093/ajcn/43.1.167',
  },
];

/** "https://doi.org/10.2337/dc08-1239" shown as "doi.org/10.2337/dc08-1239". */
function sourceLink(href: string): HTMLAnchorElement {
  return h('a', { href, rel: 'noopener noreferrer' }, href.replace(/^https:\/\//, '').replace(/\/$/, ''));
}

export function explainerCard(): HTMLElement {
  const bandRow = (label: string, low: string, medium: string, high: string): HTMLElement =>
    h(
      'tr',
      undefined,
      h('th', { scope: 'row' }, label),
      h('td', undefined, bandBadge('low', low)),
      h('td', undefined, bandBadge('medium', medium)),
      h('td', undefined, bandBadge('high', high)),
    );

  return h(
    'section',
    { class: 'card food-card food-explainer', 'aria-labelledby': 'gi-gl-title' },
    h('h2', { id: 'gi-gl-title' }, 'What are GI and GL?'),
    h(
      'div',
      { class: 'explainer-grid' },
      h(
        'div',
        undefined,
        h('h3', undefined, 'Glycemic index (GI)'),
        h(
          'p',
          undefined,
          'How fast the carbohydrate in a food raises blood glucose, compared with pure glucose (GI 100). It describes the food, not the amount you eat. Foods with hardly any carbohydrate (meat, eggs, most vegetables) have no GI.',
        ),
        h('h3', undefined, 'Glycemic load (GL)'),
        h(
          'p',
          undefined,
          'GI and amount together: GL = GI × available carbohydrate (g) ÷ 100, where available carbohydrate is the carbs minus the fibre. A big bowl of a low-GI food can have a higher GL than a small bite of a high-GI one.',
        ),
        h('h3', undefined, 'A meal or a day'),
        h(
          'p',
          undefined,
          'The GL of a meal or a day is the sum of its foods’ GL. Its GI is the carbohydrate-weighted mean of the foods’ GI (Wolever & Jenkins 1986).',
        ),
      ),
      h(
        'div',
        undefined,
        h('h3', undefined, 'The bands'),
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'data-table band-table' },
            h('caption', { class: 'visually-hidden' }, 'Glycemic index and glycemic load bands'),
            headRow('Measure', 'Low', 'Medium', 'High'),
            h(
              'tbody',
              undefined,
              bandRow('GI of a food', '≤ 55', '56–69', '≥ 70'),
              bandRow('GL of a serving', '≤ 10', '11–19', '≥ 20'),
              bandRow('GL of a day', '< 80', '80–120', '> 120'),
            ),
          ),
        ),
        h('h3', undefined, 'Sources'),
        h(
          'ul',
          { class: 'sources' },
          ...SOURCES.map((s) => h('li', undefined, s.text, ' ', sourceLink(s.href))),
        ),
      ),
    ),
    h(
      'p',
      { class: 'notice food-notice' },
      'This is education, not medical advice. GI and GL are one part of the picture: portion sizes, fat, protein, activity and your medicines all matter. Follow your diabetes care team.',
    ),
  );
}
