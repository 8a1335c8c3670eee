//! SHA-256 and HMAC-SHA256 for webhook signatures, key names and vendor hashes, from the crypto library the
//! build already has: the TLS provider's `aws-lc-rs` with the `rustls` feature (no second implementation to
//! compile), the RustCrypto `sha2` and `hmac` crates otherwise (`rustls-ring`, `native-tls`, or the
//! `rustcrypto` feature for a build without TLS). Both wipe keyed states when they are dropped.

#[cfg(not(any(feature = "rustls", feature = "rustcrypto")))]
compile_error!(
    "carewire-core needs a TLS or crypto feature: `rustls` (the default), `rustls-ring`, `native-tls`, or \
     `rustcrypto` for a build that brings its own HTTP client"
);

use std::fmt;

/// The length in bytes of a SHA-256 digest and of an HMAC-SHA256 tag.
pub const SHA256_LEN: usize = 32;

/// An incremental SHA-256 hash.
///
/// # Examples
///
/// ```
/// use carewire_core::crypto::{Sha256, sha256};
///
/// let mut hash = Sha256::new();
/// hash.update(b"member-7");
/// hash.update(b"2026-12-04T10:00:00Z");
/// assert_eq!(hash.finish(), sha256(b"member-72026-12-04T10:00:00Z"));
/// ```
#[derive(Clone)]
pub struct Sha256(backend::Hash);

impl Sha256 {
    /// A hash of nothing yet.
    pub fn new() -> Self {
        Self(backend::Hash::new())
    }
    /// Adds `data` to what is hashed.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
    /// The digest of everything added.
    pub fn finish(self) -> [u8; SHA256_LEN] {
        self.0.finish()
    }
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sha256")
    }
}

/// The SHA-256 digest of `data`.
///
/// # Examples
///
/// ```
/// use carewire_core::crypto::sha256;
///
/// assert_eq!(sha256(b"abc")[..4], [0xba, 0x78, 0x16, 0xbf]);
/// ```
pub fn sha256(data: &[u8]) -> [u8; SHA256_LEN] {
    let mut hash = Sha256::new();
    hash.update(data);
    hash.finish()
}

/// `bytes` in lowercase hexadecimal, two digits a byte: how vendors write signatures and digests, and how
/// carewire writes the hashes in key names.
///
/// # Examples
///
/// ```
/// use carewire_core::crypto::{hex_lower, sha256};
///
/// assert_eq!(hex_lower(&[0x00, 0x7f, 0xab]), "007fab");
/// assert_eq!(&hex_lower(&sha256(b"abc"))[..8], "ba7816bf");
/// ```
pub fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// An HMAC-SHA256 key, keyed once (RFC 2104: any key length): signing and verifying with it do not redo the
/// key schedule. Cheap to clone; wiped when dropped; `Debug` shows nothing of it.
///
/// # Examples
///
/// ```
/// use carewire_core::crypto::HmacKey;
///
/// let key = HmacKey::new(b"whsec_test");
/// let tag = key.sign(b"{\"id\":\"evt_1\"}");
/// assert!(key.verify(b"{\"id\":\"evt_1\"}", &tag));
/// assert!(!key.verify(b"{\"id\":\"evt_2\"}", &tag));
/// assert!(!key.verify(b"{\"id\":\"evt_1\"}", &tag[..31]));
/// ```
#[derive(Clone)]
pub struct HmacKey(backend::Key);

impl HmacKey {
    /// Keys HMAC-SHA256 with `key`.
    pub fn new(key: &[u8]) -> Self {
        Self(backend::Key::new(key))
    }
    /// The tag of `data`.
    pub fn sign(&self, data: &[u8]) -> [u8; SHA256_LEN] {
        self.0.sign(data)
    }
    /// Whether `tag` is the tag of `data`, compared in constant time (a tag of the wrong length is not).
    pub fn verify(&self, data: &[u8], tag: &[u8]) -> bool {
        self.0.verify(data, tag)
    }
    /// Whether any of `tags` is the tag of `data`: the tag computed once, each comparison constant-time.
    pub(crate) fn matches_any(&self, data: &[u8], tags: &[[u8; SHA256_LEN]]) -> bool {
        let computed = self.sign(data);
        let mut found = false;
        for tag in tags {
            found |= constant_time_eq_32(&computed, tag);
        }
        found
    }
}

/// Whether two tags are equal, looking at every byte whatever the first difference (the accumulator passes
/// through `black_box`, so the compiler cannot turn the loop into an early exit).
fn constant_time_eq_32(a: &[u8; SHA256_LEN], b: &[u8; SHA256_LEN]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff = std::hint::black_box(diff | (x ^ y));
    }
    diff == 0
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacKey([REDACTED])")
    }
}

/// aws-lc-rs, which rustls already compiles; its HMAC contexts are cleansed when freed.
#[cfg(feature = "rustls")]
mod backend {
    use aws_lc_rs::{digest, hmac};

    use super::SHA256_LEN;

    #[derive(Clone)]
    pub(super) struct Hash(digest::Context);

    impl Hash {
        pub(super) fn new() -> Self {
            Self(digest::Context::new(&digest::SHA256))
        }
        pub(super) fn update(&mut self, data: &[u8]) {
            self.0.update(data);
        }
        pub(super) fn finish(self) -> [u8; SHA256_LEN] {
            let mut out = [0; SHA256_LEN];
            out.copy_from_slice(self.0.finish().as_ref());
            out
        }
    }

    #[derive(Clone)]
    pub(super) struct Key(hmac::Key);

    impl Key {
        pub(super) fn new(key: &[u8]) -> Self {
            Self(hmac::Key::new(hmac::HMAC_SHA256, key))
        }
        pub(super) fn sign(&self, data: &[u8]) -> [u8; SHA256_LEN] {
            let mut out = [0; SHA256_LEN];
            out.copy_from_slice(hmac::sign(&self.0, data).as_ref());
            out
        }
        pub(super) fn verify(&self, data: &[u8], tag: &[u8]) -> bool {
            hmac::verify(&self.0, data, tag).is_ok()
        }
    }
}

/// The RustCrypto crates, with `zeroize` on.
#[cfg(all(feature = "rustcrypto", not(feature = "rustls")))]
mod backend {
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Digest;

    use super::SHA256_LEN;

    // An HMAC state is two SHA-256 block states (the inner and outer key pads): key material, which must be
    // wiped when dropped (sha2's `zeroize` feature). This fails to compile if it is not.
    const _: fn(&sha2::block_api::Sha256VarCore) -> &dyn hmac::digest::zeroize::ZeroizeOnDrop = |core| core;

    /// SHA-256 block size in bytes (the HMAC key block).
    const BLOCK_LEN: usize = 64;

    #[derive(Clone)]
    pub(super) struct Hash(sha2::Sha256);

    impl Hash {
        pub(super) fn new() -> Self {
            Self(sha2::Sha256::new())
        }
        pub(super) fn update(&mut self, data: &[u8]) {
            self.0.update(data);
        }
        pub(super) fn finish(self) -> [u8; SHA256_LEN] {
            self.0.finalize().into()
        }
    }

    #[derive(Clone)]
    pub(super) struct Key(Hmac<sha2::Sha256>);

    impl Key {
        /// Keyed per RFC 2104 (keys longer than a block are hashed first, shorter ones zero-padded), through
        /// the infallible fixed-size constructor.
        pub(super) fn new(key: &[u8]) -> Self {
            let mut block = [0u8; BLOCK_LEN];
            if key.len() > BLOCK_LEN {
                block[..SHA256_LEN].copy_from_slice(&sha2::Sha256::digest(key));
            } else {
                block[..key.len()].copy_from_slice(key);
            }
            Self(<Hmac<sha2::Sha256> as KeyInit>::new(&block.into()))
        }
        pub(super) fn sign(&self, data: &[u8]) -> [u8; SHA256_LEN] {
            let mut mac = self.0.clone();
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        pub(super) fn verify(&self, data: &[u8], tag: &[u8]) -> bool {
            let mut mac = self.0.clone();
            mac.update(data);
            mac.verify_slice(tag).is_ok()
        }
    }
}

/// No backend: the `compile_error!` at the top of this module is the one message such a build gets (these items only keep the
/// rest of the crate resolving).
#[cfg(not(any(feature = "rustls", feature = "rustcrypto")))]
mod backend {
    use super::SHA256_LEN;

    #[derive(Clone)]
    pub(super) struct Hash;

    impl Hash {
        pub(super) fn new() -> Self {
            Self
        }
        pub(super) fn update(&mut self, _: &[u8]) {}
        pub(super) fn finish(self) -> [u8; SHA256_LEN] {
            [0; SHA256_LEN]
        }
    }

    #[derive(Clone)]
    pub(super) struct Key;

    impl Key {
        pub(super) fn new(_: &[u8]) -> Self {
            Self
        }
        pub(super) fn sign(&self, _: &[u8]) -> [u8; SHA256_LEN] {
            [0; SHA256_LEN]
        }
        pub(super) fn verify(&self, _: &[u8], _: &[u8]) -> bool {
            false
        }
    }
}
