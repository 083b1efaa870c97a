import { containsPattern, searchKey } from './product-catalog.query';
import { searchColumns } from './products.service';

describe('catalog search keys', () => {
  it('lower-cases Cyrillic (and Kazakh) letters, which SQLite lower() does not', () => {
    expect(searchKey('КРОССОВКИ Nike')).toBe('кроссовки nike');
    expect(searchKey('ҚАЗАҚСТАН Ёлка')).toBe('қазақстан ёлка');
  });

  it('escapes the LIKE wildcards and the escape character itself', () => {
    expect(containsPattern('100%')).toBe('%100\\%%');
    expect(containsPattern('snake_case')).toBe('%snake\\_case%');
    expect(containsPattern('C:\\Temp')).toBe('%c:\\\\temp%');
    expect(containsPattern('Кроссовки')).toBe('%кроссовки%');
  });

  it('builds both search columns from name and description', () => {
    expect(searchColumns('Чайник BOSCH', 'Электрический, 1.7 Л')).toEqual({
      nameSearch: 'чайник bosch',
      searchText: 'чайник bosch электрический, 1.7 л',
    });
  });
});
