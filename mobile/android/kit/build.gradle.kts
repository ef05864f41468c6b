// PsyterKit for Android: the plain-Kotlin kit (no android.* imports) over the generated UniFFI
// bindings and the Rust core. `cargo xtask bindings --android` fills build/generated/uniffi (Kotlin)
// and src/main/jniLibs (libpsyter_ffi.so per ABI); both are generated, never committed. The same
// sources compile and run on the JVM in tests/kotlin-jvm, against a live psyter-server.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "app.psyter.kit"
    compileSdk = 35

    defaultConfig {
        // The bindings use java.time (Instant, Duration) without desugaring.
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    sourceSets {
        getByName("main") {
            kotlin.srcDirs("src/main/kotlin", "build/generated/uniffi")
            jniLibs.srcDirs("src/main/jniLibs")
        }
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    // The kit's API exposes StateFlow and SharedFlow.
    api(libs.kotlinx.coroutines.core)
    // The bindings reach the core through JNA; the aar carries libjnidispatch.so for each ABI.
    implementation(libs.jna) { artifact { type = "aar" } }
}
