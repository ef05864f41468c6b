//! The binary primitives of AccessToken2: little-endian integers, byte strings with a `u16` length
//! prefix, and `u16 -> u32` maps with a `u16` entry count, written in ascending key order.
//!
//! [`Packer`] appends to a growing buffer; [`Reader`] is a bounds-checked cursor that never reads past
//! its input and never allocates more than the bytes it has actually seen.

use std::collections::BTreeMap;

use crate::TokenError;

/// Bytes one `u16 -> u32` map entry takes on the wire.
const MAP_ENTRY_LEN: usize = 2 + 4;

/// Appends AccessToken2 primitives to a byte buffer.
#[derive(Debug, Default)]
pub(crate) struct Packer {
    buf: Vec<u8>,
}

impl Packer {
    /// An empty buffer.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Appends a little-endian `u16`.
    pub(crate) fn u16(&mut self, value: u16) -> &mut Self {
        self.buf.extend_from_slice(&value.to_le_bytes());
        self
    }

    /// Appends a little-endian `u32`.
    pub(crate) fn u32(&mut self, value: u32) -> &mut Self {
        self.buf.extend_from_slice(&value.to_le_bytes());
        self
    }

    /// Appends a count as a `u16`, failing when it does not fit.
    pub(crate) fn count(&mut self, field: &'static str, count: usize) -> Result<&mut Self, TokenError> {
        let count = u16::try_from(count).map_err(|_| TokenError::FieldTooLong { field })?;
        Ok(self.u16(count))
    }

    /// Appends `data` behind its `u16` length.
    pub(crate) fn bytes(&mut self, field: &'static str, data: &[u8]) -> Result<&mut Self, TokenError> {
        self.count(field, data.len())?;
        self.buf.extend_from_slice(data);
        Ok(self)
    }

    /// Appends a `u16 -> u32` map: entry count, then key/value pairs in ascending key order.
    pub(crate) fn u32_map(&mut self, field: &'static str, map: &BTreeMap<u16, u32>) -> Result<&mut Self, TokenError> {
        self.count(field, map.len())?;
        for (&key, &value) in map {
            self.u16(key).u32(value);
        }
        Ok(self)
    }

    /// Appends raw bytes without a prefix.
    pub(crate) fn raw(&mut self, data: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(data);
        self
    }

    /// The bytes written so far.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

/// A bounds-checked cursor over AccessToken2 bytes.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A cursor at the start of `data`.
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { rest: data }
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// Takes exactly `len` bytes, or fails without consuming anything.
    pub(crate) fn take(&mut self, field: &'static str, len: usize) -> Result<&'a [u8], TokenError> {
        if len > self.rest.len() {
            return Err(TokenError::Truncated { field });
        }
        let (head, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(head)
    }

    /// Takes exactly `N` bytes as an array.
    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], TokenError> {
        let bytes = self.take(field, N)?;
        <[u8; N]>::try_from(bytes).map_err(|_| TokenError::Truncated { field })
    }

    /// Reads a little-endian `u16`.
    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, TokenError> {
        self.array(field).map(u16::from_le_bytes)
    }

    /// Reads a little-endian `i16`.
    pub(crate) fn i16(&mut self, field: &'static str) -> Result<i16, TokenError> {
        self.array(field).map(i16::from_le_bytes)
    }

    /// Reads a little-endian `u32`.
    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, TokenError> {
        self.array(field).map(u32::from_le_bytes)
    }

    /// Reads `u16`-length-prefixed bytes, borrowing them from the input.
    pub(crate) fn bytes(&mut self, field: &'static str) -> Result<&'a [u8], TokenError> {
        let len = self.u16(field)?;
        self.take(field, usize::from(len))
    }

    /// Reads `u16`-length-prefixed UTF-8 text.
    pub(crate) fn string(&mut self, field: &'static str) -> Result<String, TokenError> {
        let bytes = self.bytes(field)?;
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| TokenError::InvalidUtf8 { field })
    }

    /// Reads a `u16 -> u32` map, rejecting a key that appears twice.
    pub(crate) fn u32_map(&mut self, field: &'static str) -> Result<BTreeMap<u16, u32>, TokenError> {
        let count = usize::from(self.u16(field)?);
        // Fail fast on a count the remaining bytes cannot hold (at most 65535 * 6 bytes, no overflow).
        if count * MAP_ENTRY_LEN > self.rest.len() {
            return Err(TokenError::Truncated { field });
        }
        let mut map = BTreeMap::new();
        for _ in 0..count {
            let key = self.u16(field)?;
            let value = self.u32(field)?;
            if map.insert(key, value).is_some() {
                return Err(TokenError::DuplicatePrivilege { privilege: key });
            }
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_little_endian() {
        let mut p = Packer::new();
        p.u16(0x0102).u32(0x0304_0506);
        assert_eq!(p.into_bytes(), [0x02, 0x01, 0x06, 0x05, 0x04, 0x03]);
    }

    #[test]
    fn strings_and_maps_round_trip() {
        let map = BTreeMap::from([(3, 600), (1, 7)]);
        let mut p = Packer::new();
        p.bytes("s", b"abc").and_then(|p| p.u32_map("m", &map)).expect("fits");
        let bytes = p.into_bytes();
        assert_eq!(&bytes[..5], [3, 0, b'a', b'b', b'c']);
        // Keys come out sorted even though they went in unsorted.
        assert_eq!(&bytes[5..13], [2, 0, 1, 0, 7, 0, 0, 0]);

        let mut r = Reader::new(&bytes);
        assert_eq!(r.string("s"), Ok("abc".to_owned()));
        assert_eq!(r.u32_map("m"), Ok(map));
        assert!(r.rest().is_empty());
    }

    #[test]
    fn oversized_fields_are_rejected_when_packing() {
        let long = vec![b'x'; usize::from(u16::MAX) + 1];
        let mut p = Packer::new();
        assert_eq!(p.bytes("channel", &long).map(|_| ()), Err(TokenError::FieldTooLong { field: "channel" }));
        assert!(p.bytes("channel", &long[1..]).is_ok());
    }

    #[test]
    fn reads_past_the_end_fail_without_consuming() {
        let mut r = Reader::new(&[5, 0, b'a']);
        assert_eq!(r.bytes("s"), Err(TokenError::Truncated { field: "s" }));
        let mut r = Reader::new(&[1]);
        assert_eq!(r.u16("n"), Err(TokenError::Truncated { field: "n" }));
        assert_eq!(r.rest(), [1]);
        assert_eq!(r.u32("n"), Err(TokenError::Truncated { field: "n" }));
    }

    #[test]
    fn maps_check_count_and_duplicates() {
        let mut r = Reader::new(&[0xff, 0xff, 1, 0]);
        assert_eq!(r.u32_map("m"), Err(TokenError::Truncated { field: "m" }));
        let dup = [2, 0, 1, 0, 1, 0, 0, 0, 1, 0, 2, 0, 0, 0];
        assert_eq!(Reader::new(&dup).u32_map("m"), Err(TokenError::DuplicatePrivilege { privilege: 1 }));
    }

    #[test]
    fn invalid_utf8_is_reported() {
        let mut r = Reader::new(&[1, 0, 0xff]);
        assert_eq!(r.string("uid"), Err(TokenError::InvalidUtf8 { field: "uid" }));
    }
}
