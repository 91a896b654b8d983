//! A note in brackets beside a value: `山田 花子（旧姓 佐藤）`,
//! `ヤマダ ハナコ（ダイヒョウ）`, `taro@example.jp (PC)`, `【携帯】taro@…`.
//! The note says something of the value (a maiden name, a role, a device),
//! it is not the value; the name and email rules drop it before they read
//! the value (one rule for both, here).
//!
//! Invariant: the functions return ranges into the text they are given,
//! so a caller may cut its own buffer; a text that would keep no letter or
//! digit keeps its note (`()` is not made a name).

use std::ops::Range;

/// The brackets a note is written in, opening and closing: round, square
/// and 【】, ASCII and full width (a normalized text holds the ASCII ones
/// after NFKC, a raw text either).
const NOTE_BRACKETS: [(char, char); 5] = [('(', ')'), ('（', '）'), ('[', ']'), ('［', '］'), ('【', '】')];

/// Where the value is in `text` without the notes after it, as many as
/// follow one another (`山田太郎（旧姓 佐藤）（代表）`); a value wholly in
/// brackets (`（山田太郎）`) is the text inside them.
pub fn without_notes(text: &str) -> Range<usize> {
    let mut value = 0..text.len();
    while let Some(inner) = without_trailing_note(&text[value.clone()]) {
        value = value.start + inner.start..value.start + inner.end;
    }
    value
}

/// [`without_notes`] for the last note only; `None` when there is none,
/// or when neither the text before it nor inside it has a letter or digit.
pub fn without_trailing_note(text: &str) -> Option<Range<usize>> {
    let trimmed = text.trim_end();
    let &(opening, closing) = NOTE_BRACKETS.iter().find(|(_, closing)| trimmed.ends_with(*closing))?;
    let inner = &trimmed[..trimmed.len() - closing.len_utf8()];
    let open = inner.rfind(opening)?;
    let (before, inside) = (&inner[..open], &inner[open + opening.len_utf8()..]);
    if has_letter_or_digit(before) {
        Some(0..before.trim_end().len())
    } else if has_letter_or_digit(inside) {
        Some(open + opening.len_utf8()..inner.len())
    } else {
        None
    }
}

/// Where the value is in `text` without a note before it (`(自宅)taro@…`);
/// `None` when there is none or nothing with a letter or digit follows it.
pub fn without_leading_note(text: &str) -> Option<Range<usize>> {
    let trimmed_start = text.len() - text.trim_start().len();
    let rest = &text[trimmed_start..];
    let &(_, closing) = NOTE_BRACKETS.iter().find(|(opening, _)| rest.starts_with(*opening))?;
    let close = rest.find(closing)?;
    let after = close + closing.len_utf8();
    let value_start = trimmed_start + after + (rest[after..].len() - rest[after..].trim_start().len());
    has_letter_or_digit(&text[value_start..]).then_some(value_start..text.len())
}

/// Where the value is in `text` without its notes after it
/// ([`without_notes`]) and then one before it ([`without_leading_note`]):
/// a value that says nothing of itself inside it, such as an email
/// (`taro@example.jp (PC)`, `【携帯】taro@…`) or a passport number
/// (`TK1234567（旧）`).
pub fn without_notes_either_side(text: &str) -> Range<usize> {
    let value = without_notes(text);
    match without_leading_note(&text[value.clone()]) {
        Some(inner) => value.start + inner.start..value.start + inner.end,
        None => value,
    }
}

/// Where a note in brackets sits inside `text`, with letters before and
/// after it (`小林（田中）直美`: a maiden name written between the surname
/// and the given name): the range to cut, brackets included. `None` when
/// there is none; a note at either end is [`without_notes`]'s or
/// [`without_leading_note`]'s.
pub fn inner_note(text: &str) -> Option<Range<usize>> {
    NOTE_BRACKETS.iter().find_map(|&(opening, closing)| {
        let open = text.find(opening)?;
        let close = open + text[open..].find(closing)? + closing.len_utf8();
        (has_letter_or_digit(&text[..open]) && has_letter_or_digit(&text[close..])).then_some(open..close)
    })
}

fn has_letter_or_digit(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Texts of letters, spaces and every kind of bracket, open or closed.
    fn bracketed_text() -> impl Strategy<Value = String> {
        let characters: Vec<char> = "山田aZ1 　()（）[]［］【】@".chars().collect();
        proptest::collection::vec(proptest::sample::select(characters), 0..10).prop_map(String::from_iter)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// The value is a slice of the text; a text with a letter or digit
        /// keeps one; the value has no note left after it; a leading note
        /// goes only before a value with a letter or digit.
        #[test]
        fn a_value_keeps_its_letters_and_loses_its_notes(text in bracketed_text()) {
            let value = without_notes(&text);
            prop_assert!(value.start <= value.end && value.end <= text.len());
            let value = &text[value];
            let has = |t: &str| t.chars().any(char::is_alphanumeric);
            prop_assert_eq!(has(value), has(&text));
            prop_assert!(without_trailing_note(value).is_none(), "{:?} -> {:?}", text, value);
            if let Some(rest) = without_leading_note(&text) {
                prop_assert!(has(&text[rest]));
            }
        }
    }

    #[test]
    fn notes_are_cut_off_and_a_value_in_brackets_is_its_inside() {
        let trailing = [
            ("山田太郎（旧姓 佐藤）", "山田太郎"),
            ("山田太郎(代表) (故人)", "山田太郎"),
            ("ヤマダ タロウ【旧姓 サトウ】 ", "ヤマダ タロウ"),
            ("（山田太郎）", "山田太郎"),
            ("taro@example.jp [PC]", "taro@example.jp"),
            ("山田太郎", "山田太郎"),
            ("()", "()"),
            ("(山田", "(山田"),
            ("山田)", "山田)"),
        ];
        for (text, value) in trailing {
            assert_eq!(&text[without_notes(text)], value, "{text}");
        }
        let leading =
            [("(自宅)taro@example.jp", Some("taro@example.jp")), ("【携帯】 t@x.jp", Some("t@x.jp")), ("(PC)", None)];
        for (text, value) in leading {
            assert_eq!(without_leading_note(text).map(|r| &text[r]), value, "{text}");
        }
    }
}
