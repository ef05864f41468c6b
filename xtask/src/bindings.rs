//! `cargo xtask bindings`: builds psyter-ffi and generates its Kotlin and Swift bindings with the
//! in-tree `uniffi-bindgen` (so the generator always matches the scaffolding). Generated code goes
//! to build directories and is never committed.
//!
//! - host (default): `target/debug/libpsyter_ffi.so` + `target/bindings/{kotlin,swift}`; used by the
//!   Kotlin JVM harness and the Swift syntax check.
//! - `--android`: jniLibs for the ABIs with cargo-ndk, Kotlin into the kit's generated sources.
//! - `--ios`: static libraries for device and simulators, an xcframework with xcodebuild, Swift into
//!   the PsyterKit package. Both need their SDKs and say what is missing when they are not there.

use crate::{Args, cmd};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The size-focused profile for shipped libraries (see the root Cargo.toml).
pub const SHIP_PROFILE: &str = "release-ffi";
/// The three UniFFI namespaces whose C headers share the `PsyterFFIFFI` module.
const NAMESPACES: [&str; 3] = ["psyter_ffi", "psyter_core", "psyter_domain"];
/// Android ABIs shipped in the app.
const ANDROID_ABIS: [&str; 3] = ["arm64-v8a", "armeabi-v7a", "x86_64"];
/// iOS targets: the device, then the simulators (merged with lipo).
const IOS_TARGETS: [&str; 3] = ["aarch64-apple-ios", "aarch64-apple-ios-sim", "x86_64-apple-ios"];

/// Where `cargo xtask bindings` builds for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// This machine (tests and the JVM harness).
    Host,
    /// Android devices and emulators.
    Android,
    /// iOS devices and simulators.
    Ios,
}

/// Options of `cargo xtask bindings`.
pub struct Options {
    /// What to build for.
    platform: Platform,
    /// Include the test-only `trigger_panic` hooks (host builds for the harness).
    test_hooks: bool,
}

impl Options {
    /// Parses `[--android | --ios] [--test-hooks]`.
    pub fn parse(raw: &[String]) -> Result<Self> {
        let mut opts = Self { platform: Platform::Host, test_hooks: false };
        let mut args = Args::new("bindings", raw);
        while let Some(flag) = args.next_flag() {
            match flag {
                "--android" => opts.platform = Platform::Android,
                "--ios" => opts.platform = Platform::Ios,
                "--test-hooks" => opts.test_hooks = true,
                other => return Err(args.unknown(other)),
            }
        }
        Ok(opts)
    }
}

/// Runs `cargo xtask bindings`.
pub fn main(opts: Options) -> Result<()> {
    match opts.platform {
        Platform::Host => host(opts.test_hooks).map(|out| println!("    bindings in {}", out.display())),
        Platform::Android => android(),
        Platform::Ios => ios(),
    }
}

/// Builds the host library (debug) and generates Kotlin and Swift into `target/bindings`.
pub fn host(test_hooks: bool) -> Result<PathBuf> {
    cmd::step("build psyter-ffi and uniffi-bindgen (host, debug)");
    // The same targets as `cargo test --workspace`: building one package alone would resolve
    // features differently and rebuild the core; this way a test build is reused.
    let mut build = cmd::cargo();
    build.args(["build", "--workspace", "--lib", "--bins", "--tests"]);
    if test_hooks {
        build.args(["--features", "psyter-ffi/test-hooks"]);
    }
    cmd::run(&mut build)?;
    let library = cmd::target_dir().join("debug").join(host_library_name());
    let out = cmd::target_dir().join("bindings");
    generate(&library, "kotlin", &out.join("kotlin"))?;
    generate(&library, "swift", &out.join("swift"))?;
    write_module_map(&out.join("swift"))?;
    Ok(out)
}

/// `libpsyter_ffi.so`, or `.dylib` on macOS.
pub fn host_library_name() -> &'static str {
    if cfg!(target_os = "macos") { "libpsyter_ffi.dylib" } else { "libpsyter_ffi.so" }
}

/// Runs the in-tree generator on `library` for `language` into a fresh `out`.
fn generate(library: &Path, language: &str, out: &Path) -> Result<()> {
    cmd::step(&format!("generate {language} bindings"));
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("clearing {}", out.display()))?;
    }
    let bindgen = cmd::target_dir().join("debug/uniffi-bindgen");
    cmd::run(
        Command::new(bindgen)
            .args(["generate", "--no-format", "--library"])
            .arg(library)
            .args(["--language", language, "--out-dir"])
            .arg(out),
    )
}

/// Replaces the per-namespace module maps with one `module.modulemap` for all three headers, so
/// the three generated Swift files compile into one module over one C module.
fn write_module_map(swift: &Path) -> Result<()> {
    let mut map = String::from("module PsyterFFIFFI {\n");
    for ns in NAMESPACES {
        let _ = std::fs::remove_file(swift.join(format!("{ns}FFI.modulemap")));
        map.push_str(&format!("    header \"{ns}FFI.h\"\n"));
    }
    map.push_str("    export *\n}\n");
    std::fs::write(swift.join("module.modulemap"), map).context("writing module.modulemap")
}

/// Android: jniLibs with cargo-ndk and Kotlin into the kit's generated sources.
fn android() -> Result<()> {
    let missing: Vec<&str> = [
        (!cmd::probe(cmd::cargo().args(["ndk", "--version"]))).then_some("cargo-ndk (`cargo install cargo-ndk`)"),
        std::env::var_os("ANDROID_NDK_HOME")
            .is_none()
            .then_some("the NDK (`sdkmanager 'ndk;27.2.12479018'`, then set ANDROID_NDK_HOME)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        bail!(
            "`cargo xtask bindings --android` needs {}; also `rustup target add aarch64-linux-android \
             armv7-linux-androideabi x86_64-linux-android`. On this Linux CI machine only the host \
             bindings are built (`cargo xtask bindings`).",
            missing.join(" and ")
        );
    }
    let generated = host(false)?;
    let jni = Path::new("mobile/android/kit/src/main/jniLibs");
    cmd::step("build jniLibs with cargo-ndk");
    let mut ndk = cmd::cargo();
    ndk.arg("ndk");
    for abi in ANDROID_ABIS {
        ndk.args(["-t", abi]);
    }
    ndk.args(["-o"]).arg(jni).args(["build", "-p", "psyter-ffi", "--profile", SHIP_PROFILE]);
    cmd::run(&mut ndk)?;
    copy_dir(&generated.join("kotlin"), Path::new("mobile/android/kit/build/generated/uniffi"))?;
    println!("    jniLibs in {}, Kotlin in mobile/android/kit/build/generated/uniffi", jni.display());
    Ok(())
}

/// iOS: static libraries per target, an xcframework, and Swift into PsyterKit.
fn ios() -> Result<()> {
    if !cfg!(target_os = "macos") || !cmd::on_path("xcodebuild") {
        bail!(
            "`cargo xtask bindings --ios` needs macOS with Xcode (xcodebuild, lipo) and `rustup target add \
             {}`. On this Linux CI machine the Swift sources are generated and syntax-checked only.",
            IOS_TARGETS.join(" ")
        );
    }
    let generated = host(false)?;
    let target = cmd::target_dir();
    for triple in IOS_TARGETS {
        cmd::step(&format!("build psyter-ffi for {triple}"));
        cmd::run(cmd::cargo().args(["build", "-p", "psyter-ffi", "--profile", SHIP_PROFILE, "--target", triple]))?;
    }
    let lib = |triple: &str| target.join(triple).join(SHIP_PROFILE).join("libpsyter_ffi.a");
    let sim = target.join("ios-sim/libpsyter_ffi.a");
    std::fs::create_dir_all(target.join("ios-sim"))?;
    cmd::run(
        Command::new("lipo").arg("-create").arg(lib(IOS_TARGETS[1])).arg(lib(IOS_TARGETS[2])).arg("-output").arg(&sim),
    )?;
    let headers = target.join("bindings/ios/headers");
    copy_dir(&generated.join("swift"), &headers)?;
    for entry in std::fs::read_dir(&headers)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "swift") {
            std::fs::remove_file(path)?;
        }
    }
    let framework = target.join("bindings/ios/PsyterFFI.xcframework");
    let _ = std::fs::remove_dir_all(&framework);
    cmd::run(
        Command::new("xcodebuild")
            .arg("-create-xcframework")
            .arg("-library")
            .arg(lib(IOS_TARGETS[0]))
            .arg("-headers")
            .arg(&headers)
            .arg("-library")
            .arg(&sim)
            .arg("-headers")
            .arg(&headers)
            .arg("-output")
            .arg(&framework),
    )?;
    let sources = Path::new("mobile/ios/PsyterKit/Sources/PsyterFFI");
    for ns in ["PsyterFFI", "PsyterCore", "PsyterDomain"] {
        let name = format!("{ns}.swift");
        std::fs::copy(generated.join("swift").join(&name), sources.join(&name))?;
    }
    println!("    {} and Swift sources in {}", framework.display(), sources.display());
    Ok(())
}

/// Copies the files of `from` (recursively) into a fresh `to`.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to)?;
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}
