import { firstFreeSlug, SLUG_PATTERN, slugify } from './shop-slug';

describe('shop slug', () => {
  it.each([
    ['Дала Тойс', 'dala-tois'],
    ['Қазақ Өнері & Co.', 'qazaq-oneri-co'],
    ['  Sport--Life  ', 'sport-life'],
    ['Шубат №1', 'shubat-no1'],
    ['Café Déjà', 'cafe-deja'],
    ['!!!', 'shop'],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(slug).toMatch(SLUG_PATTERN);
  });

  it('stays within the column with room for a -N suffix', () => {
    const s = slugify('а'.repeat(300));
    expect(s.length).toBeLessThanOrEqual(96);
    expect(s).toMatch(SLUG_PATTERN);
  });

  it('picks the first free suffix', () => {
    expect(firstFreeSlug('dala', [])).toBe('dala');
    expect(firstFreeSlug('dala', ['dala'])).toBe('dala-2');
    expect(firstFreeSlug('dala', ['dala', 'dala-2', 'dala-4'])).toBe('dala-3');
  });
});
