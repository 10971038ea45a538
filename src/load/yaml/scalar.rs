//! What a YAML scalar is: null, true/false, a number or text.
//!
//! planc read YAML through serde-saphyr until the loader was rebuilt on the
//! parser's events; the decoder and every snapshot depend on the typing it
//! gave scalars, so this module resolves them the same way: YAML 1.2 core
//! schema booleans (`true`/`True`/`TRUE`, strict), `~`/`null`/empty as
//! null, integers in decimal (no leading zeros), `0x`, `0o` and `0b` with
//! single `_` separators that fit 64 bits, floats as Rust reads them, and
//! `.inf`/`.nan` (or any float too large for 64 bits) refused. Explicit
//! tags (`!!str`, `!!int`, `!`, `!!binary`...) override the plain rules.
//!
//! A number is only classified here: its value is never computed, and the
//! tree keeps its text as written.

use granit_parser::{ScalarStyle, Tag};

/// What an explicit tag asks for, as serde-saphyr classed tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum TagKind {
    None,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
    TimeStamp,
    /// `!!time`, `!!degrees`, `!!radians`: conversions planc does not do.
    Angle,
    Binary,
    Str,
    Merge,
    Value,
    /// `!` alone, or `!!` with nothing after it: text, as written.
    NonSpecific,
    Include,
    Other,
}

const YAML_NAMESPACE: &str = "tag:yaml.org,2002:";

impl TagKind {
    pub(super) fn of(tag: Option<&Tag>) -> TagKind {
        let Some(tag) = tag else {
            return TagKind::None;
        };
        for prefix in [
            "!include",
            "tag:yaml.org,2002:include",
            "tag:yaml.org,2002:!include",
        ] {
            if let Some(rest) = tag.suffix_in_namespace(prefix)
                && (rest.is_empty() || rest.starts_with('#'))
            {
                return TagKind::Include;
            }
        }
        if let Some(kind) = tag.core_suffix().and_then(core_name) {
            return kind;
        }
        if let Some(suffix) = tag.suffix_in_namespace(YAML_NAMESPACE) {
            match suffix.as_ref() {
                "merge" => return TagKind::Merge,
                "value" => return TagKind::Value,
                name => return tag_name(name.strip_prefix('!').unwrap_or(name)),
            }
        }
        let Some(suffix) = tag.suffix_in_namespace("!") else {
            return TagKind::Other;
        };
        match suffix.as_ref() {
            "" | "!" => TagKind::NonSpecific,
            "!timestamp" => TagKind::TimeStamp,
            "!binary" => TagKind::Binary,
            name => match name.strip_prefix('!') {
                Some(name) => core_name(name).unwrap_or(TagKind::Other),
                None => tag_name(name),
            },
        }
    }

    /// The kind of node the tag belongs on, if it names one.
    pub(super) fn requires(self) -> Option<NodeKind> {
        match self {
            TagKind::None | TagKind::NonSpecific | TagKind::Other => None,
            TagKind::Seq => Some(NodeKind::Seq),
            TagKind::Map => Some(NodeKind::Map),
            _ => Some(NodeKind::Scalar),
        }
    }

    /// Tags under which a scalar can still be read as text.
    pub(super) fn allows_text(self) -> bool {
        matches!(
            self,
            TagKind::None
                | TagKind::Str
                | TagKind::Merge
                | TagKind::Value
                | TagKind::Other
                | TagKind::Include
                | TagKind::NonSpecific
        )
    }

    fn forces_text(self) -> bool {
        matches!(self, TagKind::Str | TagKind::NonSpecific)
    }

    fn is_core(self) -> bool {
        matches!(
            self,
            TagKind::Int
                | TagKind::Float
                | TagKind::Bool
                | TagKind::Null
                | TagKind::Seq
                | TagKind::Map
                | TagKind::Str
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NodeKind {
    Scalar,
    Seq,
    Map,
}

fn core_name(name: &str) -> Option<TagKind> {
    Some(match name {
        "null" => TagKind::Null,
        "bool" => TagKind::Bool,
        "int" => TagKind::Int,
        "float" => TagKind::Float,
        "map" => TagKind::Map,
        "seq" => TagKind::Seq,
        "str" => TagKind::Str,
        _ => return None,
    })
}

fn tag_name(name: &str) -> TagKind {
    match name {
        "timestamp" => TagKind::TimeStamp,
        "time" | "degrees" | "radians" => TagKind::Angle,
        "binary" => TagKind::Binary,
        "include" => TagKind::Include,
        other => core_name(other).unwrap_or(TagKind::Other),
    }
}

/// A scalar's type, once resolved.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Scalar {
    Null,
    Bool(bool),
    Number,
    Str,
    /// `!!binary` text, decoded.
    Decoded(String),
}

/// Why a scalar cannot be read, in serde-saphyr's words (planc has shown
/// them since it first read YAML).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum Invalid {
    #[error("invalid {0}")]
    Scalar(&'static str),
    #[error("invalid boolean (strict mode expects true/false)")]
    Boolean,
    #[error("non-finite float `{0}` rejected by the configured policy")]
    NonFinite(String),
    #[error("invalid !!binary base64")]
    Base64,
    #[error(
        "!!binary scalar is not valid UTF-8 so cannot be stored into string. If you just use \
         !!binary for documentation/annotation, set ignore_binary_tag_for_string in Options"
    )]
    BinaryNotUtf8,
    #[error("cannot deserialize tagged scalar into string")]
    TaggedNotText,
    #[error("unsupported tag `{0}`")]
    UnsupportedTag(String),
    #[error("!include currently only supports the scalar form: !include <path>")]
    Include,
    #[error("YAML merge value must be mapping or sequence of mappings")]
    MergeValue,
    #[error("recursive references require weak recursion types")]
    Recursive,
}

/// The whitespace serde-saphyr trims before reading a scalar's value.
pub(super) fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn plain_null(value: &str, style: ScalarStyle) -> bool {
    style == ScalarStyle::Plain && matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

/// Null unless a tag says otherwise.
pub(super) fn is_null(tag: TagKind, value: &str, style: ScalarStyle) -> bool {
    tag == TagKind::Null
        || (!tag.is_core()
            && !tag.forces_text()
            && !matches!(tag, TagKind::Binary | TagKind::TimeStamp | TagKind::Angle)
            && plain_null(value, style))
}

fn boolean(value: &str) -> Option<bool> {
    match trim(value) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Resolves a scalar as serde-saphyr's untyped deserializer did.
pub(super) fn resolve(value: &str, style: ScalarStyle, tag: TagKind) -> Result<Scalar, Invalid> {
    match tag {
        TagKind::Null => return Ok(Scalar::Null),
        TagKind::Bool => return boolean(value).map(Scalar::Bool).ok_or(Invalid::Boolean),
        TagKind::Int => {
            let t = trim(value);
            return if t.starts_with('-') {
                signed(t, false).filter(|v| i64::try_from(*v).is_ok())
            } else {
                unsigned(t).filter(|v| u64::try_from(*v).is_ok()).map(|_| 0)
            }
            .map(|_| Scalar::Number)
            .ok_or(Invalid::Scalar(if t.starts_with('-') {
                "i64"
            } else {
                "u64"
            }));
        }
        TagKind::Float => {
            return match float(value) {
                Some(Float::Finite) => Ok(Scalar::Number),
                Some(Float::NonFinite) => Err(Invalid::NonFinite(value.to_string())),
                None => Err(Invalid::Scalar("floating point")),
            };
        }
        TagKind::Angle => return Err(Invalid::Scalar("floating point")),
        _ => {}
    }
    if is_null(tag, value, style) {
        return Ok(Scalar::Null);
    }
    if style != ScalarStyle::Plain
        || !tag.allows_text()
        || tag == TagKind::Binary
        || tag.forces_text()
    {
        if tag == TagKind::Binary {
            let bytes = base64(value).ok_or(Invalid::Base64)?;
            return String::from_utf8(bytes)
                .map(Scalar::Decoded)
                .map_err(|_| Invalid::BinaryNotUtf8);
        }
        if !tag.allows_text() {
            return Err(Invalid::TaggedNotText);
        }
        return Ok(Scalar::Str);
    }
    if let Some(b) = boolean(value) {
        return Ok(Scalar::Bool(b));
    }
    let t = trim(value);
    let integer = if t.starts_with('-') {
        !leading_zero_decimal(t) && signed(t, false).is_some_and(|v| i64::try_from(v).is_ok())
    } else {
        unsigned(t).is_some_and(|v| u64::try_from(v).is_ok())
    };
    if integer {
        return Ok(Scalar::Number);
    }
    match float(value) {
        Some(Float::Finite) => Ok(Scalar::Number),
        Some(Float::NonFinite) => Err(Invalid::NonFinite(value.to_string())),
        None => Ok(Scalar::Str),
    }
}

/// `0127`, `+0127`, `-0127`: decimal digits with a redundant leading zero.
fn leading_zero_decimal(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Digits with single `_` separators in `radix`, as a magnitude.
fn digits(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_ok = i > 0 && bytes[i - 1] != b'_';
            let next_ok = i + 1 < bytes.len() && bytes[i + 1] != b'_';
            if !prev_ok || !next_ok {
                return None;
            }
            continue;
        }
        let d = char::from(b).to_digit(16)?;
        if d >= radix {
            return None;
        }
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(value)
}

fn radix(rest: &str) -> (u32, &str) {
    for (prefixes, radix) in [(["0x", "0X"], 16), (["0o", "0O"], 8), (["0b", "0B"], 2)] {
        for prefix in prefixes {
            if let Some(r) = rest.strip_prefix(prefix) {
                return (radix, r);
            }
        }
    }
    (10, rest)
}

/// An integer's magnitude, without a sign or with `+`; `None` if the text
/// is not an integer or does not fit 128 bits.
fn unsigned(t: &str) -> Option<u128> {
    if t.starts_with('-') {
        return None;
    }
    let (radix, rest) = radix(t.strip_prefix('+').unwrap_or(t));
    if radix == 10 && rest.starts_with('0') && rest != "0" {
        return None;
    }
    digits(rest, radix)
}

/// A signed integer that fits 128 bits.
fn signed(t: &str, _legacy_octal: bool) -> Option<i128> {
    let (negative, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        },
    };
    let (radix, rest) = radix(rest);
    if radix == 10 && rest.starts_with('0') && rest != "0" {
        return None;
    }
    let magnitude = digits(rest, radix)?;
    if negative {
        if magnitude == i128::MAX.unsigned_abs() + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(magnitude).ok().map(|m| -m)
        }
    } else {
        i128::try_from(magnitude).ok()
    }
}

/// An integer key's identity, independent of its spelling: `1`, `+1` and
/// `0x1` are one key.
pub(super) fn integer_identity(value: &str) -> Option<(bool, u128)> {
    let t = trim(value);
    if t.starts_with('-') {
        signed(t, false).map(|v| (v < 0, v.unsigned_abs()))
    } else {
        unsigned(t).map(|m| (false, m))
    }
}

enum Float {
    Finite,
    NonFinite,
}

/// Whether the text is a float, and whether a finite one. The value is
/// computed (by the standard library, as serde-saphyr did) only to tell
/// whether it overflows, and then dropped: no amount is ever a float.
fn float(value: &str) -> Option<Float> {
    let t = trim(value);
    let unsigned = t
        .strip_prefix('-')
        .unwrap_or_else(|| t.strip_prefix('+').unwrap_or(t));
    if matches!(
        unsigned,
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF"
    ) {
        return Some(Float::NonFinite);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(Float::Finite),
        Ok(v) if v.is_infinite() => t
            .strip_prefix(['+', '-'])
            .unwrap_or(t)
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_digit)
            .then_some(Float::NonFinite),
        _ => None,
    }
}

/// `!!binary` text: base64 with ASCII whitespace anywhere.
fn base64(s: &str) -> Option<Vec<u8>> {
    fn value(b: u8) -> Option<u32> {
        Some(u32::from(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let cleaned: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !cleaned.len().is_multiple_of(4) {
        return None;
    }
    let chunks = cleaned.chunks_exact(4);
    let total = chunks.len();
    let mut out = Vec::with_capacity(total * 3);
    for (i, chunk) in chunks.enumerate() {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if (pad > 0 && i + 1 != total) || pad > 2 {
            return None;
        }
        let a = value(chunk[0])?;
        let b = value(chunk[1])?;
        let c = if chunk[2] == b'=' {
            (pad >= 2).then_some(0)?
        } else {
            value(chunk[2])?
        };
        let d = if chunk[3] == b'=' {
            (pad >= 1).then_some(0)?
        } else {
            value(chunk[3])?
        };
        if (pad == 2 && b & 0x0F != 0) || (pad == 1 && c & 0x03 != 0) {
            return None;
        }
        let triple = (a << 18) | (b << 12) | (c << 6) | d;
        out.push((triple >> 16) as u8);
        if pad < 2 {
            out.push((triple >> 8) as u8);
        }
        if pad == 0 {
            out.push(triple as u8);
        }
    }
    Some(out)
}

/// How serde-saphyr told keys apart: integers by value, other scalars by
/// their text and tag, collections by their contents (a mapping's entries
/// in any order).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Fingerprint {
    Integer {
        negative: bool,
        magnitude: u128,
    },
    Scalar {
        value: String,
        tag: KeyTag,
    },
    Seq {
        tag: KeyTag,
        items: Vec<Fingerprint>,
    },
    Map {
        tag: KeyTag,
        entries: Vec<(Fingerprint, Fingerprint)>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum KeyTag {
    Kind(TagOrd),
    Custom(String),
}

/// [`TagKind`] in the order serde-saphyr sorted fingerprints by (only the
/// order of a mapping key's entries depends on it, never a result).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct TagOrd(u8);

impl KeyTag {
    /// A string's: how plain and quoted text keys compare.
    pub(super) const TEXT: KeyTag = KeyTag::Kind(TagOrd(TagKind::Str as u8));

    /// The tag a key is compared under; `implicit` is the node's own kind.
    pub(super) fn new(tag: TagKind, raw: Option<&Tag>, implicit: TagKind) -> KeyTag {
        let raw_text = || raw.map(ToString::to_string);
        if (tag == TagKind::Other
            || (implicit == TagKind::Map
                && tag == TagKind::Map
                && raw_text().as_deref() == Some("!map")))
            && let Some(raw) = raw_text()
        {
            return KeyTag::Custom(raw);
        }
        let tag = if matches!(tag, TagKind::None | TagKind::NonSpecific) {
            implicit
        } else if implicit == TagKind::Str && tag.allows_text() {
            TagKind::Str
        } else {
            tag
        };
        KeyTag::Kind(TagOrd(tag as u8))
    }
}

/// A scalar's identity as a key, borrowing its text where it can: a plain
/// or quoted string key costs no copy.
pub(super) enum Identity<'v> {
    /// A string, compared by its text.
    Text(&'v str),
    Other(Fingerprint),
}

impl Identity<'_> {
    pub(super) fn to_fingerprint(&self) -> Fingerprint {
        match self {
            Identity::Text(value) => Fingerprint::Scalar {
                value: (*value).to_string(),
                tag: KeyTag::TEXT,
            },
            Identity::Other(fingerprint) => fingerprint.clone(),
        }
    }
}

/// A scalar key's identity.
pub(super) fn identity<'v>(
    value: &'v str,
    style: ScalarStyle,
    tag: TagKind,
    raw: Option<&Tag>,
) -> Identity<'v> {
    if (tag == TagKind::Int || (tag == TagKind::None && style == ScalarStyle::Plain))
        && let Some((negative, magnitude)) = integer_identity(value)
    {
        return Identity::Other(Fingerprint::Integer {
            negative,
            magnitude,
        });
    }
    let tag = if tag == TagKind::None && is_null(tag, value, style) {
        TagKind::Null
    } else {
        tag
    };
    match KeyTag::new(tag, raw, TagKind::Str) {
        KeyTag::TEXT => Identity::Text(value),
        tag => Identity::Other(Fingerprint::Scalar {
            tag,
            value: value.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Result<Scalar, Invalid> {
        resolve(s, ScalarStyle::Plain, TagKind::None)
    }

    #[test]
    fn plain_scalars_resolve_as_serde_saphyr_did() {
        for null in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(null), Ok(Scalar::Null), "{null:?}");
        }
        for (text, b) in [("true", true), ("True", true), ("FALSE", false)] {
            assert_eq!(plain(text), Ok(Scalar::Bool(b)));
        }
        for number in [
            "0",
            "-0",
            "+1",
            "1_000",
            "0x1F",
            "0o17",
            "0b101",
            "-0x10",
            "0123",
            "-0123",
            "1.5",
            ".5",
            "5.",
            "1e5",
            "-1E-3",
            "99999999999999999999",
            "18446744073709551615",
            "-9223372036854775808",
        ] {
            assert_eq!(plain(number), Ok(Scalar::Number), "{number:?}");
        }
        for text in [
            "yes",
            "no",
            "on",
            "tRUE",
            "0x",
            "0x_1",
            "1__0",
            "_1",
            "1_",
            "1,000",
            "£5",
            "inf",
            "nan",
            "infinity",
            "0x1_0000_0000_0000_0000",
            "1_000_000_000_000_000_000_000",
            "-0x8000_0000_0000_0001",
            "2009-02-30",
            "1.2.3",
            "e5",
            ".",
        ] {
            assert_eq!(plain(text), Ok(Scalar::Str), "{text:?}");
        }
        for non_finite in [".inf", "-.Inf", "+.INF", ".nan", ".NaN", "1e999", "-1e400"] {
            assert!(
                matches!(plain(non_finite), Err(Invalid::NonFinite(_))),
                "{non_finite:?}"
            );
        }
    }

    #[test]
    fn quoted_and_tagged_scalars() {
        let quoted = |s| resolve(s, ScalarStyle::DoubleQuoted, TagKind::None);
        assert_eq!(quoted("1"), Ok(Scalar::Str));
        assert_eq!(quoted("null"), Ok(Scalar::Str));
        assert_eq!(quoted("true"), Ok(Scalar::Str));
        assert_eq!(
            resolve("1", ScalarStyle::Plain, TagKind::Str),
            Ok(Scalar::Str)
        );
        assert_eq!(
            resolve("~", ScalarStyle::Plain, TagKind::NonSpecific),
            Ok(Scalar::Str)
        );
        assert_eq!(
            resolve("x", ScalarStyle::Plain, TagKind::Null),
            Ok(Scalar::Null)
        );
        assert_eq!(
            resolve("12", ScalarStyle::Plain, TagKind::Other),
            Ok(Scalar::Number)
        );
        assert_eq!(
            resolve("12", ScalarStyle::DoubleQuoted, TagKind::Int),
            Ok(Scalar::Number)
        );
        assert_eq!(
            resolve("x", ScalarStyle::Plain, TagKind::Int),
            Err(Invalid::Scalar("u64"))
        );
        assert_eq!(
            resolve("-x", ScalarStyle::Plain, TagKind::Int),
            Err(Invalid::Scalar("i64"))
        );
        assert_eq!(
            resolve("yes", ScalarStyle::Plain, TagKind::Bool),
            Err(Invalid::Boolean)
        );
        assert_eq!(
            resolve("aGVsbG8=", ScalarStyle::Plain, TagKind::Binary),
            Ok(Scalar::Decoded("hello".into()))
        );
        assert_eq!(
            resolve("aGVsbG8", ScalarStyle::Plain, TagKind::Binary),
            Err(Invalid::Base64)
        );
        assert_eq!(
            resolve("2001-01-01", ScalarStyle::Plain, TagKind::TimeStamp),
            Err(Invalid::TaggedNotText)
        );
    }

    #[test]
    fn integer_keys_are_one_key_however_spelled() {
        assert_eq!(integer_identity("1"), integer_identity("0x1"));
        assert_eq!(
            integer_identity("+1"),
            integer_identity("1_0").map(|(n, m)| (n, m / 10))
        );
        assert_eq!(integer_identity("-0"), Some((false, 0)));
        assert_eq!(integer_identity("01"), None);
    }
}
