//! Crate-level tests: reference vectors, round trips and hostile input.

mod robustness;
mod round_trip;
mod vectors;

/// App id of the AgoraIO/Tools test fixtures.
const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
/// App certificate of the AgoraIO/Tools test fixtures.
const APP_CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
/// A well-formed certificate that did not sign anything here.
const OTHER_CERT: &str = "5CFd2fd1755d40ecb72977518be15d3c";
/// Channel name of the AgoraIO/Tools test fixtures.
const CHANNEL: &str = "7d72365eb983485397e3e3f9d460bdda";
/// Numeric uid of the AgoraIO/Tools test fixtures.
const UID: u32 = 2_882_341_273;

/// A small deterministic xorshift64* generator, so the tests need no `rand`.
struct XorShift(u64);

impl XorShift {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}
