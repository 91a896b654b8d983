#!/usr/bin/env python3
"""Rewrites a generated dataset in place with what exports written by other
tools hold and `leakmatch generate` never writes, to check that the run reads
them as the values they stand for:

    cp -r DATA DATA-artifacts
    python3 scripts/export_artifacts.py DATA-artifacts [SEED] [KINDS]
    leakmatch run --recovered DATA-artifacts/recovered.csv --bookings DATA-artifacts/bookings --out R --as-of 2016-06-14
    leakmatch evaluate --truth DATA-artifacts --result R

Each kind goes into RATE (5%) of the values of its columns, in every file
(the recovered file and every booking file), drawn with SEED (default 3):
  floats     a phone, postal code or compact birth date as a column of floats
             writes it (pandas, an integer column with a missing value):
             9012345678.0 (the leading 0 lost too), 1000001.0, 19800102.0;
  na         an empty email, phone, postal code, address or birth date as
             pandas writes a missing value turned into text: <NA>;
  spaces     a space either side of an email's @;
  separators an underscore between the two parts of a kanji or kana name;
  floors     a floor after an address that ends in a number (… 1-2-3 4F);
  invisible  one of NUL, U+200B, U+FEFF, U+200E, U+00AD at the start or end
             of a name, kana name, email, phone, birth date, address or
             postal code.
Row kinds, each in RATE of the rows that have the columns it moves:
  party      a group booking's "and N others" after the kanji name
             (山田 太郎 他2名);
  combined   the romaji name (or, without one, the kana name) written after
             the kanji name in its column, which is left empty
             (山田 太郎 / YAMADA TARO, 山田 太郎 ヤマダ タロウ);
  postal     the address written after the postal code in the postal code
             column, the address column left empty (〒100-0001 東京都…);
  surname    (the recovered file only, as a damaged or terse leak row) the
             name's first part alone in each name column, the rest dropped
             (山田, ヤマダ, YAMADA);
  given      the same with the second part alone (太郎, タロウ, TARO).
Layout kinds, in every row of the recovered file (a customer table's form
layout, not a per-row rate):
  two_contacts  the phone in two columns, 自宅電話番号 for a fixed line and
             携帯電話番号 for a mobile (070, 080, 090), and the email in two,
             PCメールアドレス and 携帯メールアドレス for a carrier's mailbox
             (docomo.ne.jp, ezweb.ne.jp, au.com, softbank.ne.jp,
             i.softbank.jp); each row fills the one its value belongs in;
  building_column  the building and room (what follows the house numbers
             after a space) in a 建物名 column after the address;
  date_parts the birth date in three columns 誕生年, 誕生月, 誕生日 (a form's
             three boxes), the year as written (1980, 昭和55, S55); a date in
             none of the forms read here is left out, as a form's boxes
             hold none;
  ec_cube    the whole file as EC-CUBE's customer table (a Japanese web-shop
             package) keeps it: customer_id; name01/name02 and kana01/kana02
             (surname, given name); zip01/zip02 (3 + 4 digits); pref (the
             prefecture's JIS X 0401 code), addr01 (city and town), addr02
             (house numbers and building); email and email_mobile (a
             carrier's mailbox); tel01/tel02/tel03; sex (1, 2); birth
             (1980-01-02 00:00:00). The romaji name keeps its column. A value
             in none of the forms split here stays whole in the first column;
  shopify    the leak file's name and address columns as Shopify's customer
             export has them: Customer ID, Last Name and First Name (the
             kanji name's parts), Default Address Province Code (JP-13),
             Default Address City (up to the first 市, 区, 町 or 村), Default
             Address Address1 (the rest), Default Address Address2 (the
             building, after a space), Default Address Zip, Default Address
             Phone, Email; the other columns as they are;
  booker_headers  (the booking files) each customer column headed with the
             booker's role before it (予約者氏名, 予約者電話番号, …);
  english_headers  (every file) each header in English as an export for
             English-reading staff heads it (Customer No, Full Name, Name
             (Kana), Name (English), Sex, Date of Birth, E-mail Address, ZIP
             Code, Address, Telephone, Passport No., Date of Issue;
             Reservation No, Sales Channel, Booking Method, Payment Location,
             Product Name, Booking Date); the values stay as they are.
KINDS is a comma-separated list (default: all). The truth files are left as
they are: an artefact changes how a value is written, not whose it is.
Headers are the Japanese ones `leakmatch generate` and
scripts/second_generator.py write. Standard library only.
"""
import csv
import glob
import random
import re
import sys

RATE = 0.05
VALUE_KINDS = ('floats', 'na', 'spaces', 'separators', 'floors', 'invisible')
ROW_KINDS = ('party', 'combined', 'postal', 'surname', 'given')
LAYOUT_KINDS = ('two_contacts', 'building_column', 'date_parts', 'ec_cube', 'shopify', 'booker_headers',
                'english_headers')
ALL_KINDS = VALUE_KINDS + ROW_KINDS + LAYOUT_KINDS
CUSTOMER_COLUMNS = ('氏名', 'フリガナ', '氏名ローマ字', '性別', '生年月日', 'メールアドレス', '郵便番号', '住所',
                    '電話番号', '旅券番号', '旅券発行日')
ENGLISH_HEADERS = {
    'レコードID': 'Customer No', '氏名': 'Full Name', 'フリガナ': 'Name (Kana)', '氏名ローマ字': 'Name (English)',
    '性別': 'Sex', '生年月日': 'Date of Birth', 'メールアドレス': 'E-mail Address', '郵便番号': 'ZIP Code',
    '住所': 'Address', '電話番号': 'Telephone', '旅券番号': 'Passport No.', '旅券発行日': 'Date of Issue',
    '予約番号': 'Reservation No', '販売チャネル': 'Sales Channel', '予約方法': 'Booking Method',
    '精算場所': 'Payment Location', '商品': 'Product Name', '予約日': 'Booking Date',
}
CARRIER_MAIL = ('docomo.ne.jp', 'ezweb.ne.jp', 'au.com', 'softbank.ne.jp', 'i.softbank.jp')
INVISIBLE = ['\x00', '\u200b', '\ufeff', '\u200e', '\u00ad']
INVISIBLE_COLUMNS = ('氏名', 'フリガナ', 'メールアドレス', '電話番号', '生年月日', '住所', '郵便番号')
NA_COLUMNS = ('メールアドレス', '電話番号', '郵便番号', '住所', '生年月日')


def floats(column, value):
    digits = re.sub(r'\D', '', value)
    if column == '電話番号' and digits.startswith('0'):
        return digits[1:] + '.0'
    if column == '郵便番号' and len(digits) == 7:
        return digits + '.0'
    if column == '生年月日' and re.fullmatch(r'\d{8}', value):
        return value + '.0'
    return value


def rewrite_value(kind, column, value, rng):
    if kind == 'floats':
        return floats(column, value)
    if kind == 'na':
        return '<NA>' if value == '' and column in NA_COLUMNS else value
    if kind == 'spaces' and column == 'メールアドレス':
        return value.replace('@', ' @ ')
    if kind == 'separators' and column in ('氏名', 'フリガナ'):
        return value.replace(' ', '_').replace('\u3000', '_')
    if kind == 'floors' and column == '住所' and re.search(r'[0-9０-９]$', value):
        return f'{value} {rng.randint(1, 9)}F'
    if kind == 'invisible' and column in INVISIBLE_COLUMNS and value:
        mark = rng.choice(INVISIBLE)
        return mark + value if rng.random() < 0.5 else value + mark
    return value


def rewrite_row(kind, at, row, rng):
    """Moves a row's values for a row kind; `at` maps column name to index."""
    get = lambda column: row[at[column]] if column in at else ''
    if kind == 'party' and get('氏名'):
        row[at['氏名']] = f'{get("氏名")} 他{rng.randint(1, 5)}名'
    elif kind == 'combined' and get('氏名'):
        other = next((c for c in ('氏名ローマ字', 'フリガナ') if get(c)), None)
        if other:
            gap = rng.choice([' ', ' / ', '\u3000'])
            row[at['氏名']] = f'{get("氏名")}{gap}{get(other)}'
            row[at[other]] = ''
    elif kind in ('surname', 'given') and at.get('レコードID') is not None:
        for column in ('氏名', 'フリガナ', '氏名ローマ字'):
            parts = re.split(r'[ \u3000/,・]+', get(column).strip())
            if column in at and len(parts) >= 2:
                row[at[column]] = parts[0] if kind == 'surname' else parts[1]
    elif kind == 'postal' and get('郵便番号') and get('住所'):
        code = get('郵便番号')
        row[at['郵便番号']] = f'{"〒" if not code.startswith("〒") else ""}{code} {get("住所")}'
        row[at['住所']] = ''


def two_contacts(rows):
    """Splits the phone and the email column each in two (`two_contacts`)."""
    head = rows[0]
    splits = [('電話番号', '自宅電話番号', '携帯電話番号',
               lambda v: re.sub(r'\D', '', v)[:3] in ('070', '080', '090')),
              ('メールアドレス', 'PCメールアドレス', '携帯メールアドレス',
               lambda v: v.lower().rsplit('@', 1)[-1].strip() in CARRIER_MAIL)]
    for column, first, second, is_second in splits:
        if column not in head:
            continue
        i = head.index(column)
        rows[0] = head = head[:i] + [first, second] + head[i + 1:]
        for r, row in enumerate(rows[1:], 1):
            value = row[i]
            pair = ['', value] if is_second(value) else [value, '']
            rows[r] = row[:i] + pair + row[i + 1:]


def building_column(rows):
    """Moves the building after a space in 住所 to a 建物名 column (`building_column`)."""
    head = rows[0]
    if '住所' not in head:
        return
    i = head.index('住所')
    rows[0] = head[:i + 1] + ['建物名'] + head[i + 1:]
    for r, row in enumerate(rows[1:], 1):
        street, _, building = re.sub('\u3000', ' ', row[i]).partition(' ')
        rows[r] = row[:i] + [street if building else row[i], building] + row[i + 1:]


DATE_FORMS = [re.compile(p) for p in (
    r'(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?',
    r'(\d{4})(\d{2})(\d{2})',
    r'((?:昭和|平成|令和|大正|[SHRT]\.?)(?:\d{1,2}|元))[-/.年](\d{1,2})[-/.月](\d{1,2})日?',
)]


def date_parts(rows):
    """Splits 生年月日 into 誕生年, 誕生月, 誕生日 (`date_parts`)."""
    head = rows[0]
    if '生年月日' not in head:
        return
    i = head.index('生年月日')
    rows[0] = head[:i] + ['誕生年', '誕生月', '誕生日'] + head[i + 1:]
    for r, row in enumerate(rows[1:], 1):
        match = next((m for form in DATE_FORMS if (m := form.fullmatch(row[i].strip()))), None)
        parts = [match.group(1), str(int(match.group(2))), str(int(match.group(3)))] if match else ['', '', '']
        rows[r] = row[:i] + parts + row[i + 1:]


PREFECTURES = [line.split('\t')[1].strip() for line in open(
    f'{__file__.rsplit("/", 2)[0]}/src/normalize/tables/prefectures.tsv', encoding='utf-8')
    if line.strip() and not line.startswith('#')]


def halves(value):
    """A name's first part and the rest."""
    first, _, rest = re.sub('\u3000', ' ', value).strip().partition(' ')
    return [first, rest.strip()]


def relayout(rows, layout):
    """Replaces each layout entry's source column by the columns it names,
    filled by its split of the source value; other columns follow as they are."""
    head = rows[0]
    at = {column: i for i, column in enumerate(head)}
    moved = {source for _, source, _ in layout}
    kept = [c for c in head if c not in moved]
    for r, row in enumerate(rows[1:], 1):
        out = []
        for names, source, split in layout:
            out += split(row[at[source]]) if source in at else [''] * len(names)
        rows[r] = out + [row[at[c]] for c in kept]
    rows[0] = [name for names, _, _ in layout for name in names] + kept


def ec_cube(rows):
    """Rewrites the recovered file in EC-CUBE's customer table layout (`ec_cube`)."""
    def zip_parts(value):
        digits = re.sub(r'\D', '', value)
        return [digits[:3], digits[3:]] if len(digits) == 7 and not re.search(r'[０-９]', value) else [value, '']
    def address_parts(value):
        code = next((f'{i + 1}' for i, name in enumerate(PREFECTURES) if value.startswith(name)), '')
        rest = value[len(PREFECTURES[int(code) - 1]):] if code else value
        at_digit = re.search(r'[0-9０-９]', rest)
        cut = at_digit.start() if at_digit else len(rest)
        return [code, rest[:cut], rest[cut:]]
    def tel_parts(value):
        parts = re.split(r'[-‐ー−]', value)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return parts
        if re.fullmatch(r'0[0-9]{9,10}', value):
            return [value[:3], value[3:7], value[7:]] if len(value) == 11 else [value[:2], value[2:6], value[6:]]
        return [value, '', '']
    def birth(value):
        match = next((m for form in DATE_FORMS[:2] if (m := form.fullmatch(value.strip()))), None)
        return f'{match.group(1)}-{int(match.group(2)):02}-{int(match.group(3)):02} 00:00:00' if match else value
    def email_parts(value):
        return ['', value] if value.lower().rsplit('@', 1)[-1].strip() in CARRIER_MAIL else [value, '']
    layout = [(('customer_id',), 'レコードID', lambda v: [v]), (('name01', 'name02'), '氏名', halves),
              (('kana01', 'kana02'), 'フリガナ', halves), (('氏名ローマ字',), '氏名ローマ字', lambda v: [v]),
              (('zip01', 'zip02'), '郵便番号', zip_parts), (('pref', 'addr01', 'addr02'), '住所', address_parts),
              (('email', 'email_mobile'), 'メールアドレス', email_parts),
              (('tel01', 'tel02', 'tel03'), '電話番号', tel_parts),
              (('sex',), '性別', lambda v: [{'男': '1', '女': '2'}.get(v, v)]),
              (('birth',), '生年月日', lambda v: [birth(v)])]
    relayout(rows, layout)


def shopify(rows):
    """Rewrites the recovered file's name and address columns as Shopify's (`shopify`)."""
    def address(value):
        code = next((i + 1 for i, name in enumerate(PREFECTURES) if value.startswith(name)), None)
        rest = value[len(PREFECTURES[code - 1]):] if code else value
        city = re.match(r'.+?[市区町村]', rest)
        city, rest = (city.group(0), rest[city.end():]) if city else ('', rest)
        street, _, building = re.sub('\u3000', ' ', rest).partition(' ')
        return [f'JP-{code:02}' if code else '', city, street, building]
    layout = [(('Customer ID',), 'レコードID', lambda v: [v]), (('Last Name', 'First Name'), '氏名', halves),
              (('Default Address Province Code', 'Default Address City', 'Default Address Address1',
                'Default Address Address2'), '住所', address),
              (('Default Address Zip',), '郵便番号', lambda v: [v]), (('Default Address Phone',), '電話番号', lambda v: [v]),
              (('Email',), 'メールアドレス', lambda v: [v])]
    relayout(rows, layout)


def rewrite(path, kinds, rng):
    with open(path, encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f))
    head = rows[0]
    at = {column: i for i, column in enumerate(head)}
    for row in rows[1:]:
        for i, column in enumerate(head):
            for kind in kinds:
                if kind in VALUE_KINDS and rng.random() < RATE:
                    row[i] = rewrite_value(kind, column, row[i], rng)
        for kind in kinds:
            if kind in ROW_KINDS and rng.random() < RATE:
                rewrite_row(kind, at, row, rng)
    if 'two_contacts' in kinds and 'レコードID' in at:
        two_contacts(rows)
    if 'building_column' in kinds and 'レコードID' in at:
        building_column(rows)
    if 'date_parts' in kinds and 'レコードID' in at:
        date_parts(rows)
    if 'ec_cube' in kinds and 'レコードID' in at:
        ec_cube(rows)
    if 'shopify' in kinds and 'レコードID' in at:
        shopify(rows)
    if 'booker_headers' in kinds and 'レコードID' not in at:
        rows[0] = [f'予約者{c}' if c in CUSTOMER_COLUMNS else c for c in rows[0]]
    if 'english_headers' in kinds:
        rows[0] = [ENGLISH_HEADERS.get(c, c) for c in rows[0]]
    with open(path, 'w', encoding='utf-8', newline='') as f:
        csv.writer(f).writerows(rows)


def main():
    data = sys.argv[1]
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    kinds = sys.argv[3].split(',') if len(sys.argv) > 3 else list(ALL_KINDS)
    unknown = set(kinds) - set(ALL_KINDS)
    if unknown:
        sys.exit(f'unknown kinds {sorted(unknown)}: choose from {",".join(ALL_KINDS)}')
    rewrite(f'{data}/recovered.csv', kinds, rng)
    for path in sorted(glob.glob(f'{data}/bookings/*.csv')):
        rewrite(path, kinds, rng)


if __name__ == '__main__':
    main()
