//! Fingerprints: 64-bit hashes of what a page is made from, so the dev server
//! can tell which pages an edit changed without rendering them. Two renders with
//! the same templates give a page the same bytes whenever its fingerprint is the
//! same, because the fingerprint covers everything its context is built from.

use std::hash::{Hash, Hasher};

use serde::Serialize;

/// A hash being built; what goes in is delimited, so `("ab", "c")` and
/// `("a", "bc")` differ.
pub struct Fingerprint(QuickHash);

impl Fingerprint {
    /// Starts a fingerprint for one kind of thing (`"idea"`, `"skill"`, …), so
    /// that pages of different kinds built from the same pieces still differ.
    pub fn new(kind: &str) -> Fingerprint {
        let mut hasher = QuickHash::default();
        kind.hash(&mut hasher);
        Fingerprint(hasher)
    }

    pub fn add(&mut self, piece: impl Hash) -> &mut Fingerprint {
        piece.hash(&mut self.0);
        self
    }

    /// Adds a value by its JSON form: what a template context would see of it.
    pub fn add_serialized(&mut self, value: &impl Serialize) -> &mut Fingerprint {
        let mut writer = HashWriter(&mut self.0);
        // Writing into a hasher cannot fail, and the model and views are plain
        // strings, numbers and lists, which always serialize.
        serde_json::to_writer(&mut writer, value).expect("plain data serializes");
        // Ends the value, so that two values written one after the other stay apart.
        self.0.write_u8(0xff);
        self
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The fingerprint of one serializable value.
pub fn of(kind: &str, value: &impl Serialize) -> u64 {
    Fingerprint::new(kind).add_serialized(value).finish()
}

struct HashWriter<'h>(&'h mut QuickHash);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The hasher of fingerprints and of the tables of the site's own data, hashed
/// by the megabyte on every rebuild: rustc's FxHash, because there is no one to
/// choose colliding keys, and SipHash's defence against that costs more than the
/// rest of the lookup.
pub type QuickHash = rustc_hash::FxHasher;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_delimited_and_kinds_differ() {
        let ab_c = Fingerprint::new("x").add("ab").add("c").finish();
        let a_bc = Fingerprint::new("x").add("a").add("bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_ne!(of("idea", &"t"), of("term", &"t"));
        assert_eq!(of("idea", &vec!["a", "b"]), of("idea", &vec!["a", "b"]));
    }
}
