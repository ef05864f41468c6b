//! `uniffi-bindgen`, built from the workspace's pinned UniFFI so generated Kotlin and Swift always
//! match the scaffolding compiled into `libpsyter_ffi` (`cargo xtask bindings` runs it).

fn main() {
    uniffi::uniffi_bindgen_main()
}
