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

use anyhow::{Context, Result};
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
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Cp932 => SHIFT_JIS.decode_without_bom_handling(bytes).0.into_owned(),
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// How many bytes after the first non-ASCII byte the detector looks at.
const DETECT_WINDOW_BYTES: usize = 1 << 20;
const SCAN_CHUNK_BYTES: usize = 1 << 16;

/// Detects the encoding of a file: a UTF-8 BOM, else valid UTF-8 in a window
/// from the first non-ASCII byte, else CP932 if that window decodes cleanly,
/// else UTF-8 (whose bad rows are then rejected one by one). A pure-ASCII file
/// is UTF-8.
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
        if std::mem::take(&mut first_read) && window.starts_with(UTF8_BOM) {
            return Ok(Encoding::Utf8);
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

/// Classifies bytes that start at a character boundary; `complete` tells
/// whether they run to the end of the file (else a cut last character is fine).
fn classify(bytes: &[u8], complete: bool) -> Encoding {
    match std::str::from_utf8(bytes) {
        Ok(_) => return Encoding::Utf8,
        Err(e) if e.error_len().is_none() && !complete => return Encoding::Utf8,
        Err(_) => {}
    }
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let mut sink = String::with_capacity(bytes.len() * 3);
    let (result, _) = decoder.decode_to_string_without_replacement(bytes, &mut sink, complete);
    match result {
        DecoderResult::Malformed(_, _) => Encoding::Utf8,
        _ => Encoding::Cp932,
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
