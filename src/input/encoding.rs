//! Character encodings of input files: detection and per-field decoding.
//!
//! CP932 bytes are parsed as CSV directly and decoded one field at a time:
//! its trail bytes (0x40–0x7E, 0x80–0xFC) never equal `,` `"` CR LF or TAB, so
//! the csv parser splits CP932 safely (no escape character is configured, so
//! the 0x5C trail byte is harmless). Decoding per field lets a bad byte be
//! reported with its line and column instead of becoming U+FFFD silently.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};
use encoding_rs::{DecoderResult, SHIFT_JIS};

/// The encoding a file is decoded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Windows-31J; encoding_rs's Shift_JIS is the WHATWG/CP932 superset.
    Cp932,
}

impl Encoding {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Cp932 => "CP932",
        }
    }

    /// Appends the decoded `bytes` to `out`; `false` if they are malformed
    /// (then `out` may hold a partial value and must be discarded).
    pub fn decode_into(self, bytes: &[u8], out: &mut String) -> bool {
        match self {
            Encoding::Utf8 => match std::str::from_utf8(bytes) {
                Ok(text) => {
                    out.push_str(text);
                    true
                }
                Err(_) => false,
            },
            Encoding::Cp932 => {
                if bytes.is_ascii() {
                    // ASCII is identical in CP932 except 0x5C/0x7E, which
                    // encoding_rs (like Windows) also decodes as \ and ~.
                    out.push_str(std::str::from_utf8(bytes).unwrap_or_default());
                    return true;
                }
                let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
                let needed = decoder.max_utf8_buffer_length_without_replacement(bytes.len()).unwrap_or(bytes.len() * 3);
                out.reserve(needed);
                let (result, _read) = decoder.decode_to_string_without_replacement(bytes, out, true);
                matches!(result, DecoderResult::InputEmpty)
            }
        }
    }

    /// Decodes bytes that are shown, never compared (a rejected row's raw
    /// text): malformed sequences become U+FFFD, as rejects.csv documents.
    pub fn decode_lossy(self, bytes: &[u8]) -> String {
        let mut text = String::new();
        self.decode_lossy_into(bytes, &mut text);
        text
    }

    /// [`Encoding::decode_lossy`], appended to `out`.
    pub fn decode_lossy_into(self, bytes: &[u8], out: &mut String) {
        match self {
            Encoding::Utf8 => out.push_str(&String::from_utf8_lossy(bytes)),
            Encoding::Cp932 => out.push_str(&SHIFT_JIS.decode_without_bom_handling(bytes).0),
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// How many bytes after the first non-ASCII byte the detector looks at.
const DETECT_WINDOW_BYTES: usize = 1 << 20;
const SCAN_CHUNK_BYTES: usize = 1 << 16;

/// Detects the encoding of a file: a UTF-8 BOM says UTF-8; a UTF-16 BOM is
/// refused with a clear message; otherwise, over a sample of up to 1 MiB
/// from the first non-ASCII byte, the encoding with fewer malformed
/// sequences wins (ties and pure-ASCII files: UTF-8). Counting, rather than
/// stopping at the first bad byte, keeps one broken row of a CP932 file from
/// turning the whole file into rejects: the bad row alone is rejected.
pub fn detect(path: &Path) -> Result<Encoding> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut window = Vec::new();
    let mut chunk = vec![0u8; SCAN_CHUNK_BYTES];
    let mut first_non_ascii: Option<usize> = None;
    let mut at_eof = false;
    let mut first_read = true;
    loop {
        let read = file.read(&mut chunk).with_context(|| format!("cannot read {}", path.display()))?;
        if read == 0 {
            at_eof = true;
            break;
        }
        let start = window.len();
        window.extend_from_slice(&chunk[..read]);
        if std::mem::take(&mut first_read) {
            if window.starts_with(UTF8_BOM) {
                return Ok(Encoding::Utf8);
            }
            if window.starts_with(b"\xFF\xFE") || window.starts_with(b"\xFE\xFF") {
                bail!(
                    "{}: the file is UTF-16 (it starts with a UTF-16 byte order mark); \
                     save it as UTF-8 or CP932 (Shift_JIS) and run again",
                    path.display()
                );
            }
            if looks_like_utf16(&window) {
                bail!(
                    "{}: the file looks like UTF-16 without a byte order mark (a NUL in every other byte \
                     of its first line); save it as UTF-8 or CP932 (Shift_JIS) and run again",
                    path.display()
                );
            }
        }
        if first_non_ascii.is_none() {
            match window[start..].iter().position(|b| !b.is_ascii()) {
                Some(offset) => first_non_ascii = Some(start + offset),
                // Keep memory flat while scanning a long ASCII prefix.
                None => {
                    window.clear();
                    continue;
                }
            }
        }
        if let Some(first) = first_non_ascii {
            if window.len() - first >= DETECT_WINDOW_BYTES {
                break;
            }
        }
    }
    let Some(first) = first_non_ascii else {
        return Ok(Encoding::Utf8);
    };
    Ok(classify(&window[first..], at_eof))
}

/// Whether the first line of `start` (the file's first bytes) is UTF-16
/// text without a byte order mark: a NUL in every other byte of at least
/// half its two-byte units, which the ASCII of a header row in UTF-16 is
/// (kanji headers have none) and no UTF-8 or CP932 text has (read as
/// UTF-8, it was a file without identifying columns whose headers had
/// NULs between their letters).
fn looks_like_utf16(start: &[u8]) -> bool {
    let line = start.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = &line[..line.len().min(UTF16_SNIFF_BYTES)];
    let nul_at = |parity: usize| line.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let pairs = line.len() / 2;
    // ASCII headers: a NUL in half the units at least; kanji headers: the
    // NULs of their commas and line end, all on one side.
    let one_side = |p: usize, q: usize| nul_at(p) * 2 >= pairs || (nul_at(p) >= MIN_UTF16_NULS && nul_at(q) == 0);
    pairs >= MIN_UTF16_PAIRS && (one_side(0, 1) || one_side(1, 0))
}

/// The first bytes of the first line [`looks_like_utf16`] reads, and the
/// fewest two-byte units it decides on (a header row has more).
const UTF16_SNIFF_BYTES: usize = 256;
const MIN_UTF16_PAIRS: usize = 4;
/// The fewest NULs, all at one parity, that make a line of kanji headers
/// UTF-16 (two commas and a line end; a stray NUL in a UTF-8 header is one).
const MIN_UTF16_NULS: usize = 3;

/// Classifies bytes that start at a character boundary; `complete` tells
/// whether they run to the end of the file (else a cut last character is fine).
fn classify(bytes: &[u8], complete: bool) -> Encoding {
    let utf8 = utf8_errors(bytes, complete);
    if utf8 == 0 {
        return Encoding::Utf8;
    }
    if cp932_errors(bytes, complete) < utf8 {
        Encoding::Cp932
    } else {
        Encoding::Utf8
    }
}

/// Malformed UTF-8 sequences in `bytes`.
fn utf8_errors(bytes: &[u8], complete: bool) -> usize {
    let (mut rest, mut errors) = (bytes, 0);
    while let Err(e) = std::str::from_utf8(rest) {
        match e.error_len() {
            Some(len) => {
                errors += 1;
                rest = &rest[e.valid_up_to() + len..];
            }
            // A sequence cut by the end of the sample is not an error.
            None => {
                errors += usize::from(complete);
                break;
            }
        }
    }
    errors
}

/// Malformed CP932 sequences in `bytes`.
fn cp932_errors(bytes: &[u8], complete: bool) -> usize {
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let mut sink = vec![0u8; SCAN_CHUNK_BYTES];
    let (mut rest, mut errors) = (bytes, 0);
    loop {
        let (result, read, _) = decoder.decode_to_utf8_without_replacement(rest, &mut sink, complete);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return errors,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(_, _) => errors += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_japanese_is_utf8() {
        assert_eq!(classify("山田太郎,ヤマダ".as_bytes(), true), Encoding::Utf8);
    }

    #[test]
    fn cp932_japanese_is_cp932() {
        let (bytes, _, _) = SHIFT_JIS.encode("山田太郎,ヤマダ,ソ表");
        assert_eq!(classify(&bytes, true), Encoding::Cp932);
    }

    #[test]
    fn one_bad_pair_in_a_cp932_file_does_not_make_it_utf8() {
        // Many CP932 rows and one invalid byte pair (81 7F).
        let mut bytes = Vec::new();
        for _ in 0..200 {
            bytes.extend_from_slice(&SHIFT_JIS.encode("山田太郎,ヤマダタロウ,東京都千代田区\n").0);
        }
        bytes.extend_from_slice(&[0x81, 0x7F, b'\n']);
        assert_eq!(classify(&bytes, true), Encoding::Cp932);
        // And one bad byte in UTF-8 text keeps it UTF-8.
        let mut utf8 = "山田太郎,ヤマダタロウ\n".repeat(200).into_bytes();
        utf8.extend_from_slice(&[0xFF, b'\n']);
        assert_eq!(classify(&utf8, true), Encoding::Utf8);
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_refused_too() {
        let dir = tempfile::tempdir().unwrap();
        for bytes in [
            "record_id,氏名\r\n1,山田\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>(),
            "record_id,氏名\r\n1,山田\r\n".encode_utf16().flat_map(u16::to_be_bytes).collect(),
            "氏名,生年月日,電話番号\r\n山田,1980-01-02,03\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ] {
            let path = dir.path().join("u16.csv");
            std::fs::write(&path, bytes).unwrap();
            let err = detect(&path).unwrap_err().to_string();
            assert!(err.contains("looks like UTF-16 without a byte order mark"), "{err}");
        }
        // A NUL or two in a UTF-8 header row is no UTF-16.
        let path = dir.path().join("nul.csv");
        std::fs::write(&path, "record_id,\0氏名\0,email\n1,山田,a@b.jp\n").unwrap();
        assert_eq!(detect(&path).unwrap(), Encoding::Utf8);
    }

    #[test]
    fn utf16_is_refused_naming_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u16.csv");
        std::fs::write(&path, [0xFF, 0xFE, b'a', 0, b',', 0]).unwrap();
        let err = detect(&path).unwrap_err().to_string();
        assert!(err.contains("UTF-16") && err.contains("UTF-8 or CP932"), "{err}");
    }

    #[test]
    fn utf8_cut_mid_character_is_still_utf8_when_not_at_eof() {
        let bytes = "山田".as_bytes();
        assert_eq!(classify(&bytes[..4], false), Encoding::Utf8);
    }

    #[test]
    fn cp932_decode_reports_malformed_bytes() {
        let mut out = String::new();
        assert!(!Encoding::Cp932.decode_into(&[0x81], &mut out));
        out.clear();
        assert!(Encoding::Cp932.decode_into(&[0x83, 0x5E], &mut out));
        assert_eq!(out, "タ");
    }

    #[test]
    fn utf8_decode_rejects_invalid_bytes() {
        let mut out = String::new();
        assert!(!Encoding::Utf8.decode_into(&[0xFF, 0x41], &mut out));
    }
}
