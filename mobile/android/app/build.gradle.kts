// The Psyter patient app: Compose UI over the kit, with the Android platform services
// (Keystore, BiometricPrompt, ConnectivityManager, WorkManager, Agora).
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

// `psyter.*` Gradle properties (gradle.properties, ~/.gradle/gradle.properties or -P); see README.md.
val baseUrl: String = providers.gradleProperty("psyter.baseUrl").getOrElse("http://127.0.0.1:8080")
val pins: String = providers.gradleProperty("psyter.pins").getOrElse("")
val agoraAppId: String = providers.gradleProperty("psyter.agoraAppId").getOrElse("")

/** This text as a Java string literal for a BuildConfig field. */
fun String.javaLiteral(): String = "\"" + replace("\\", "\\\\").replace("\"", "\\\"") + "\""

android {
    namespace = "app.psyter.patient"
    compileSdk = 35

    defaultConfig {
        applicationId = "app.psyter.patient"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
        buildConfigField("String", "BASE_URL", baseUrl.javaLiteral())
        buildConfigField("String", "PINS", pins.javaLiteral())
        buildConfigField("String", "AGORA_APP_ID", agoraAppId.javaLiteral())
        // The ABIs `cargo xtask bindings --android` builds the core for (Agora and JNA ship more).
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    testOptions {
        // Unit tests of pure helpers touch R ids and android.* stubs only; stubs return defaults.
        unitTests.isReturnDefaultValues = true
    }

    packaging {
        resources.excludes += setOf("META-INF/AL2.0", "META-INF/LGPL2.1")
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    implementation(project(":kit"))

    implementation(platform(libs.androidx.compose.bom))
    implementation(libs.androidx.compose.ui)
    implementation(libs.androidx.compose.ui.tooling.preview)
    implementation(libs.androidx.compose.material3)
    implementation(libs.androidx.compose.material.icons.extended)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.navigation.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.fragment.ktx)
    implementation(libs.androidx.biometric)
    implementation(libs.androidx.work.runtime.ktx)
    implementation(libs.kotlinx.coroutines.android)
    implementation(libs.agora.full.sdk)
    debugImplementation(libs.androidx.compose.ui.tooling)

    testImplementation(libs.junit)
}
