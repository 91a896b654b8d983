//! The rule side of a generated booking: which channel, booking method,
//! payment place and product it has, as the notice's canonical values (from
//! which the truth is decided) and as an export writes them (synonyms,
//! sub-labels). Every rule case of the notice occurs, with the undecidable
//! ones (an unknown method, an empty channel) among them.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A booking's rule-relevant values: what they mean (`channel`, `method`,
/// `place`, `product`: the notice's canonical values, from which the truth is
/// decided) and how the export writes them (`*_text`: synonyms, sub-labels).
#[derive(Clone, Copy, Debug)]
pub(super) struct BookingCase {
    pub(super) channel: &'static str,
    pub(super) file: &'static str,
    pub(super) method: &'static str,
    pub(super) place: &'static str,
    pub(super) product: &'static str,
    pub(super) method_text: &'static str,
    pub(super) place_text: &'static str,
    pub(super) product_text: &'static str,
}

const ONLINE: [(&str, &str); 5] = [
    ("JTBホームページ", "web"),
    ("るるぶトラベル", "rurubu"),
    ("JAPANiCAN", "japanican"),
    ("提携サイト:楽天トラベル", "partner_rakuten"),
    ("提携サイト:じゃらん", "partner_jalan"),
];
const STORE: [(&str, &str); 3] =
    [("JTB店舗", "store_jtb"), ("提携販売店店舗", "store_partner"), ("JTB旅物語販売センター", "store_tabimonogatari")];
const UNKNOWN: (&str, &str) = ("電話予約センター", "unknown_phone_center");
const PRODUCTS: [&str; 3] = ["国内宿泊", "国内ツアー", "海外ツアー"];
/// Excluded products (the notice's list) with the sub-labels exports use.
const EXCLUDED_PRODUCTS: [(&str, &[&str]); 11] = [
    ("JTB旅物語", &["JTB旅物語（国内）", "JTB旅物語(海外)"]),
    ("高速バス", &["高速バス(夜行)"]),
    ("現地観光プラン", &[]),
    ("レジャーチケット", &["レジャーチケット（USJ）"]),
    ("定期観光バス", &[]),
    ("レストラン", &[]),
    ("海外ダイナミックパッケージ", &["海外ダイナミックパッケ－ジ"]),
    ("海外航空券", &[]),
    ("海外ホテル", &[]),
    ("海外現地オプションツアー", &[]),
    ("その他旅行関連商品", &["海外旅行保険", "国内旅行保険", "旅行積立"]),
];
/// How exports write "booked on the net" and "booked in the store".
const NET_METHODS: [&str; 6] = ["ネット", "ネット予約", "WEB予約", "インターネット", "オンライン", "アプリ"];
const STORE_METHODS: [&str; 4] = ["店頭", "店舗", "来店", "窓口"];
const ONLINE_PLACES: [&str; 3] = ["オンライン", "クレジットカード", "事前決済"];
const STORE_PLACES: [&str; 2] = ["店舗", "店頭"];
/// payment_place values saying "booked on the net, paid in a store".
const NET_BOOKED_STORE_PAID: [&str; 3] = ["ネット予約・店舗精算", "店頭精算", "店舗精算"];
/// Share of excluded-product bookings written with a sub-label.
const SUB_LABEL_SHARE: f64 = 0.3;

/// One booking's channel, method, place and product, drawn so that every
/// rule case occurs (the shares are the generator's, not the world's).
pub(super) fn draw_booking(rng: &mut ChaCha8Rng) -> BookingCase {
    fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
        items[rng.random_range(0..items.len())]
    }
    let product = pick(rng, &PRODUCTS);
    let case = |(channel, file): (&'static str, &'static str), method, place, product| BookingCase {
        channel,
        file,
        method,
        place,
        product,
        method_text: method,
        place_text: place,
        product_text: product,
    };
    let roll = rng.random_range(0..100);
    match roll {
        0..54 => BookingCase {
            method_text: pick(rng, &NET_METHODS),
            place_text: pick(rng, &ONLINE_PLACES),
            ..case(pick(rng, &ONLINE), "ネット", "オンライン", product)
        },
        54..69 => {
            let (excluded, labels) = pick(rng, &EXCLUDED_PRODUCTS);
            let text =
                if !labels.is_empty() && rng.random_bool(SUB_LABEL_SHARE) { pick(rng, labels) } else { excluded };
            BookingCase { product_text: text, ..case(pick(rng, &ONLINE), "ネット", "オンライン", excluded) }
        }
        69..84 => BookingCase {
            method_text: pick(rng, &STORE_METHODS),
            place_text: pick(rng, &STORE_PLACES),
            ..case(pick(rng, &STORE), "店頭", "店舗", product)
        },
        84..88 => BookingCase {
            method_text: pick(rng, &NET_METHODS),
            ..case(pick(rng, &STORE), "ネット", "店舗", product)
        },
        // Booked on the net and paid in a store, said by payment_place alone.
        88..90 => BookingCase {
            method_text: "",
            place_text: pick(rng, &NET_BOOKED_STORE_PAID),
            ..case(pick(rng, &STORE), "ネット", "店舗", product)
        },
        90..94 => case(pick(rng, &ONLINE), "ネット", "店舗", product),
        94..99 => case(UNKNOWN, "電話", "店舗", product),
        // What the rules cannot decide: a store booking by an unknown
        // method, and a booking whose channel cell is empty.
        _ if rng.random_bool(0.5) => case(pick(rng, &STORE), "FAX", "店舗", product),
        _ => BookingCase { channel: "", ..case(pick(rng, &ONLINE), "ネット", "オンライン", product) },
    }
}

/// The booking files the generator writes, one per channel.
pub(super) const BOOKING_FILES: [&str; 9] =
    [ONLINE[0].1, ONLINE[1].1, ONLINE[2].1, ONLINE[3].1, ONLINE[4].1, STORE[0].1, STORE[1].1, STORE[2].1, UNKNOWN.1];
