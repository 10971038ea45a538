//! Telling a mapping's keys apart, as serde-saphyr did: by fingerprint,
//! borrowing the entry's own text for the usual string key.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::scalar::{Fingerprint, Identity, KeyTag};
use crate::load::node::Entry;

/// How a mapping's key is told from the others: almost always by its text,
/// which the entry holds already.
pub(super) enum KeyId {
    /// A string key (plain or quoted, untagged or `!!str`) whose text is
    /// the entry's key.
    Text,
    Full(Fingerprint),
}

/// A key's identity, borrowed, for comparing and hashing.
#[derive(Clone, Copy)]
pub(super) enum KeyRef<'a> {
    Text(&'a str),
    Full(&'a Fingerprint),
}

impl<'a> KeyRef<'a> {
    pub(super) fn of(fingerprint: &'a Fingerprint) -> KeyRef<'a> {
        match fingerprint {
            Fingerprint::Scalar { value, tag } if *tag == KeyTag::TEXT => KeyRef::Text(value),
            other => KeyRef::Full(other),
        }
    }

    pub(super) fn same(self, other: KeyRef<'_>) -> bool {
        match (self, other) {
            (KeyRef::Text(a), KeyRef::Text(b)) => a == b,
            (KeyRef::Full(a), KeyRef::Full(b)) => a == b,
            _ => false,
        }
    }

    pub(super) fn hash(self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        match self {
            KeyRef::Text(t) => {
                0u8.hash(&mut hasher);
                t.hash(&mut hasher);
            }
            KeyRef::Full(f) => {
                1u8.hash(&mut hasher);
                f.hash(&mut hasher);
            }
        }
        hasher.finish()
    }

    pub(super) fn to_owned(self) -> Fingerprint {
        match self {
            KeyRef::Text(t) => Fingerprint::Scalar {
                value: t.to_string(),
                tag: KeyTag::TEXT,
            },
            KeyRef::Full(f) => f.clone(),
        }
    }
}

impl<'a> From<&'a Identity<'_>> for KeyRef<'a> {
    fn from(identity: &'a Identity<'_>) -> Self {
        match identity {
            Identity::Text(t) => KeyRef::Text(t),
            Identity::Other(f) => KeyRef::of(f),
        }
    }
}

impl KeyId {
    pub(super) fn new(text: &str, fingerprint: Fingerprint) -> KeyId {
        match KeyRef::of(&fingerprint) {
            KeyRef::Text(value) if value == text => KeyId::Text,
            _ => KeyId::Full(fingerprint),
        }
    }
}

/// Mappings with more keys than this find a key by its hash.
const LINEAR_KEYS: usize = 16;

/// A mapping's entries so far, and its keys' identities.
#[derive(Default)]
pub(super) struct Entries {
    pub(super) entries: Vec<Entry>,
    /// The keys not told apart by their text alone, by entry index in
    /// order: most mappings have none, and so no allocation.
    others: Vec<(usize, Fingerprint)>,
    index: Option<HashMap<u64, Vec<u32>>>,
}

impl Entries {
    pub(super) fn key(&self, i: usize) -> KeyRef<'_> {
        match self.others.binary_search_by_key(&i, |(at, _)| *at) {
            Ok(found) => KeyRef::of(&self.others[found].1),
            Err(_) => KeyRef::Text(&self.entries[i].key),
        }
    }

    pub(super) fn contains(&self, key: KeyRef<'_>) -> bool {
        match &self.index {
            None if self.others.is_empty() => match key {
                KeyRef::Text(text) => self.entries.iter().any(|e| e.key == text),
                KeyRef::Full(_) => false,
            },
            None => (0..self.entries.len()).any(|i| self.key(i).same(key)),
            Some(index) => index
                .get(&key.hash())
                .is_some_and(|found| found.iter().any(|&i| self.key(i as usize).same(key))),
        }
    }

    pub(super) fn push(&mut self, entry: Entry, id: KeyId) {
        if let KeyId::Full(fingerprint) = id {
            self.others.push((self.entries.len(), fingerprint));
        }
        self.entries.push(entry);
        let n = self.entries.len();
        if n <= LINEAR_KEYS {
            return;
        }
        let mut index = self.index.take().unwrap_or_default();
        let first = if index.is_empty() { 0 } else { n - 1 };
        for i in first..n {
            let hash = self.key(i).hash();
            index
                .entry(hash)
                .or_default()
                .push(u32::try_from(i).unwrap_or(u32::MAX));
        }
        self.index = Some(index);
    }
}
