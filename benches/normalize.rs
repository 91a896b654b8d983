//! Normalization throughput: full recovered rows per second on one core.
//!
//!     cargo bench --bench normalize
//!
//! `normalize_full_rows` is the figure: the sample written as a CSV file,
//! read back as byte records, then decoded and normalized row by row into
//! reused buffers, as the pipeline's workers do. The sample is 100,000 rows
//! made here from a fixed seed, in the mix the
//! fixtures and research notes describe: kanji names with and without
//! spaces, kana in full width, half width and hiragana, romaji in three
//! orders, Western and era dates, emails, phones in five forms, postal codes,
//! addresses with kanji numerals, and passports on a third of the rows. The
//! target (issue "Japanese normalization, complete") is 500k rows/s a core.

use divan::counter::ItemsCount;
use leakmatch::input::record::{decode_row, RawFields};
use leakmatch::input::{Field, InputKind, InputOptions, Source};
use leakmatch::normalize::{normalize_record, Date, NormalizedRecord, Scratch};

fn main() {
    divan::main();
}

const ROWS: usize = 100_000;

/// A small deterministic generator (SplitMix64): same rows every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SURNAMES: [(&str, &str, &str); 8] = [
    ("山田", "ヤマダ", "YAMADA"),
    ("髙橋", "タカハシ", "TAKAHASHI"),
    ("佐藤", "サトウ", "SATO"),
    ("渡邉", "ワタナベ", "WATANABE"),
    ("齋藤", "サイトウ", "SAITO"),
    ("大野", "オオノ", "OHNO"),
    ("本間", "ホンマ", "HOMMA"),
    ("山﨑", "ヤマザキ", "YAMAZAKI"),
];
const GIVEN: [(&str, &str, &str); 8] = [
    ("太郎", "タロウ", "TARO"),
    ("花子", "ハナコ", "HANAKO"),
    ("修一", "シュウイチ", "SYUITI"),
    ("美咲", "ミサキ", "MISAKI"),
    ("翔太", "ショウタ", "SHOTA"),
    ("さくら", "サクラ", "SAKURA"),
    ("潤一", "ジュンイチ", "JUN'ICHI"),
    ("陽子", "ヨウコ", "YOHKO"),
];

fn sample_rows() -> Vec<RawFields> {
    let mut rng = Rng(2016_0614);
    (0..ROWS)
        .map(|i| {
            let (sk, skana, sr) = SURNAMES[rng.below(8) as usize];
            let (gk, gkana, gr) = GIVEN[rng.below(8) as usize];
            let (y, m, d) = (1940 + rng.below(70), 1 + rng.below(12), 1 + rng.below(28));
            let mut raw = RawFields::default();
            let kanji = match rng.below(3) {
                0 => format!("{sk} {gk}"),
                1 => format!("{sk}　{gk}"),
                _ => format!("{sk}{gk}"),
            };
            let kana = match rng.below(4) {
                0 => format!("{skana} {gkana}"),
                1 => format!("{skana}{gkana}").chars().map(|c| char::from_u32(c as u32 - 0x60).unwrap_or(c)).collect(),
                2 => format!("{skana}　{gkana}"),
                _ => format!("{skana}{gkana}"),
            };
            let romaji = match rng.below(3) {
                0 => format!("{sr}/{gr} MR"),
                1 => format!("{gr} {sr}"),
                _ => format!("{sr}, {gr}"),
            };
            let birth = match rng.below(5) {
                0 => format!("{y}-{m:02}-{d:02}"),
                1 => format!("{y}/{m}/{d}"),
                2 => format!("{y}年{m}月{d}日"),
                3 if (1927..=1988).contains(&y) => format!("S{}.{m}.{d}", y - 1925),
                _ => format!("{y}{m:02}{d:02}"),
            };
            let phone_digits = format!("90{:04}{:04}", rng.below(10_000), rng.below(10_000));
            let phone = match rng.below(5) {
                0 => format!("0{}-{}-{}", &phone_digits[..2], &phone_digits[2..6], &phone_digits[6..]),
                1 => format!("+81 {}-{}-{}", &phone_digits[..2], &phone_digits[2..6], &phone_digits[6..]),
                2 => format!("０{}", phone_digits),
                3 => format!("(0{}){}-{}", &phone_digits[..2], &phone_digits[2..6], &phone_digits[6..]),
                _ => format!("0{phone_digits}"),
            };
            let email =
                if rng.below(2) == 0 { format!("user{i}@example.jp") } else { format!("User.{i}@Example.CO.JP") };
            let postal = format!("{:03}-{:04}", rng.below(1000), rng.below(10_000));
            let address = rng.pick(&[
                "東京都千代田区丸の内1-1-1",
                "大阪府大阪市北区梅田一丁目2番3号",
                "宮城県名取市ゆりが丘1丁目1番3号 メゾン101",
                "千代田区霞ヶ関１－２－１",
            ]);
            raw.set(Field::NameKanji, &kanji);
            raw.set(Field::NameKana, &kana);
            if rng.below(3) == 0 {
                raw.set(Field::NameRomaji, &romaji);
            }
            raw.set(Field::Gender, rng.pick(&["男", "女", "M", "F", "1"]));
            raw.set(Field::BirthDate, &birth);
            raw.set(Field::Email, &email);
            raw.set(Field::PostalCode, &postal);
            raw.set(Field::Address, address);
            raw.set(Field::Phone, &phone);
            if rng.below(3) == 0 {
                raw.set(Field::PassportNumber, &format!("TK{:07}", rng.below(10_000_000)));
                raw.set(Field::PassportIssueDate, &format!("{}-{:02}-01", 2006 + rng.below(10), 1 + rng.below(12)));
            }
            raw
        })
        .collect()
}

/// The recovered-file columns the sample is written with (Japanese headers).
const HEADERS: [(&str, Field); 11] = [
    ("氏名", Field::NameKanji),
    ("フリガナ", Field::NameKana),
    ("氏名ローマ字", Field::NameRomaji),
    ("性別", Field::Gender),
    ("生年月日", Field::BirthDate),
    ("メールアドレス", Field::Email),
    ("郵便番号", Field::PostalCode),
    ("住所", Field::Address),
    ("電話番号", Field::Phone),
    ("旅券番号", Field::PassportNumber),
    ("旅券発行日", Field::PassportIssueDate),
];

/// The sample as the pipeline sees it: a CSV file's byte records and its
/// opened [`Source`] (the temporary folder must outlive the source).
fn sample_records() -> (tempfile::TempDir, Source, Vec<csv::ByteRecord>) {
    let dir = tempfile::tempdir().expect("temp dir");
    // LEAKMATCH_BENCH_CSV=path: measure on the first 100,000 rows of a real
    // recovered file instead (e.g. one made by `leakmatch generate`).
    if let Some(path) = std::env::var_os("LEAKMATCH_BENCH_CSV") {
        let source =
            Source::open(std::path::Path::new(&path), InputKind::Recovered, &InputOptions::default()).expect("source");
        let mut rdr = csv::ReaderBuilder::new().from_path(&path).expect("reader");
        let records = rdr.byte_records().take(ROWS).collect::<Result<Vec<_>, _>>().expect("records");
        return (dir, source, records);
    }
    let source = source_of_sample(&dir);
    let records = sample_byte_records(&dir);
    (dir, source, records)
}

/// The next 100,000 rows of the real file, to warm a worker's memo of name
/// parts as the rows before do in a long file (only with
/// LEAKMATCH_BENCH_CSV; the synthetic sample has too few names to need it).
fn warm_up_records() -> Vec<csv::ByteRecord> {
    let Some(path) = std::env::var_os("LEAKMATCH_BENCH_CSV") else {
        return Vec::new();
    };
    let mut rdr = csv::ReaderBuilder::new().from_path(&path).expect("reader");
    rdr.byte_records().skip(ROWS).take(ROWS).collect::<Result<Vec<_>, _>>().expect("records")
}

fn source_of_sample(dir: &tempfile::TempDir) -> Source {
    let path = dir.path().join("recovered.csv");
    let mut wtr = csv::Writer::from_path(&path).expect("csv file");
    wtr.write_record(HEADERS.iter().map(|(h, _)| *h)).expect("header");
    for row in sample_rows() {
        wtr.write_record(HEADERS.iter().map(|(_, f)| row.get(*f))).expect("row");
    }
    wtr.flush().expect("flush");
    Source::open(&path, InputKind::Recovered, &InputOptions::default()).expect("source")
}

fn sample_byte_records(dir: &tempfile::TempDir) -> Vec<csv::ByteRecord> {
    let mut rdr = csv::ReaderBuilder::new().from_path(dir.path().join("recovered.csv")).expect("reader");
    rdr.byte_records().collect::<Result<Vec<_>, _>>().expect("records")
}

/// The hot path of the pipeline for one recovered row: decode its fields
/// into reused buffers and normalize them. This is the figure the target
/// (500k rows/s a core) is about. `cold`: a new worker for the 100,000
/// rows (the start of a file); `warm`: a worker that has seen the 100,000
/// rows before them (the steady state of a long file: its memo of name
/// parts is warm, as the pipeline's pooled workers keep it).
#[divan::bench(args = ["cold", "warm"], sample_count = 10, sample_size = 1)]
fn normalize_full_rows(bencher: divan::Bencher, start: &str) {
    let (_dir, source, records) = sample_records();
    let warm_up = if start == "warm" { warm_up_records() } else { Vec::new() };
    let as_of = Date::constant(2016, 6, 14);
    let run = |records: &[csv::ByteRecord], raw: &mut RawFields, scratch: &mut Scratch, out: &mut NormalizedRecord| {
        for record in records {
            decode_row(record, &source, raw).expect("a well-formed row");
            divan::black_box(normalize_record(raw, scratch, out));
        }
    };
    bencher
        .counter(ItemsCount::new(records.len()))
        .with_inputs(|| {
            let (mut raw, mut scratch, mut out) =
                (RawFields::default(), Scratch::new(as_of), NormalizedRecord::default());
            run(&warm_up, &mut raw, &mut scratch, &mut out);
            (raw, scratch, out)
        })
        .bench_local_values(|(mut raw, mut scratch, mut out)| run(&records, &mut raw, &mut scratch, &mut out));
}

/// One field at a time, to see where a row's time goes. These iterate over
/// 100,000 separately allocated `RawFields`, so they include cache misses the
/// pipeline (one reused, cache-hot `RawFields`) does not have.
#[divan::bench(args = ["record_id", "name_kanji", "name_kana", "name_romaji", "birth_date", "email", "address", "phone", "postal_code", "passport_number"], sample_count = 5, sample_size = 1)]
fn normalize_one_field(bencher: divan::Bencher, field: &str) {
    let field = Field::ALL.into_iter().find(|f| f.name() == field).expect("a field");
    // The same rows as normalize_full_rows (the real file's with
    // LEAKMATCH_BENCH_CSV).
    let (_dir, source, records) = sample_records();
    let mut raw = RawFields::default();
    let rows: Vec<RawFields> = records
        .iter()
        .map(|record| {
            decode_row(record, &source, &mut raw).expect("a well-formed row");
            let mut only = RawFields::default();
            only.set(field, raw.get(field));
            only
        })
        .collect();
    let as_of = Date::constant(2016, 6, 14);
    // A worker warmed on the same rows: the steady state, per field.
    bencher
        .counter(ItemsCount::new(rows.len()))
        .with_inputs(|| {
            let (mut scratch, mut out) = (Scratch::new(as_of), NormalizedRecord::default());
            for raw in &rows {
                normalize_record(raw, &mut scratch, &mut out);
            }
            (scratch, out)
        })
        .bench_local_values(|(mut scratch, mut out)| {
            for raw in &rows {
                divan::black_box(normalize_record(raw, &mut scratch, &mut out));
            }
        });
}

/// The romaji fold on its own, per call.
#[divan::bench(args = ["YAMADATARO", "SATOUHANAKO", "SHUUICHI"])]
fn romaji_fold(bencher: divan::Bencher, text: &str) {
    use leakmatch::normalize::romaji::{fold, FoldScratch, Strength};
    let mut scratch = FoldScratch::default();
    let mut out = String::new();
    bencher.bench_local(|| {
        out.clear();
        fold(divan::black_box(text), Strength::Strict, &mut scratch, &mut out);
        divan::black_box(&out);
    });
}

/// Single simple values, per call.
#[divan::bench(args = ["postal", "phone", "email", "date", "address", "kana", "kanji"])]
fn simple_value(bencher: divan::Bencher, which: &str) {
    use leakmatch::normalize::{address, date, email, name, phone, postal};
    let mut scratch = Scratch::new(Date::constant(2016, 6, 14));
    let mut text = String::new();
    let mut mail = email::Email::default();
    let mut day = None;
    let mut place = address::Address::default();
    let mut kana = name::KanaName::default();
    let mut kanji = name::KanjiName::default();
    bencher.bench_local(|| match which {
        "postal" => postal::normalize(divan::black_box("123-4567"), &mut scratch, &mut text),
        "phone" => phone::normalize(divan::black_box("090-1234-5678"), &mut scratch, &mut text),
        "email" => email::normalize(divan::black_box("User.12345@Example.CO.JP"), &mut scratch, &mut mail),
        "address" => address::normalize(divan::black_box("大阪府大阪市北区梅田一丁目2番3号"), &mut scratch, &mut place),
        "kana" => name::normalize_kana(divan::black_box("サトウ ハナコ"), &mut scratch, &mut kana),
        "kanji" => name::normalize_kanji(divan::black_box("佐藤 花子"), &mut scratch, &mut kanji),
        _ => date::normalize(divan::black_box("1980/1/2"), &mut scratch, &mut day),
    });
}
