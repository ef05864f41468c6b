// The Android build of Psyter: the kit (plain Kotlin over the UniFFI bindings, packaged with the
// core's jniLibs) and the patient app. Run `cargo xtask bindings --android` before the first build.
pluginManagement {
    repositories {
        google {
            content {
                includeGroupByRegex("com\\.android.*")
                includeGroupByRegex("com\\.google.*")
                includeGroupByRegex("androidx.*")
            }
        }
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "psyter-android"

include(":kit")
include(":app")
