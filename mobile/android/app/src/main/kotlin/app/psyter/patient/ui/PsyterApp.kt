package app.psyter.patient.ui

import android.Manifest
import android.app.Activity
import android.content.Context
import android.content.ContextWrapper
import android.content.pm.PackageManager
import android.os.Build
import androidx.activity.compose.BackHandler
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.outlined.ArrowBack
import androidx.compose.material.icons.outlined.Event
import androidx.compose.material.icons.outlined.History
import androidx.compose.material.icons.outlined.Search
import androidx.compose.material.icons.outlined.Settings
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.produceState
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.unit.dp
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.LocalViewModelStoreOwner
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.NavGraph.Companion.findStartDestination
import androidx.navigation.NavHostController
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import app.psyter.core.SessionPhase
import app.psyter.kit.KitError
import app.psyter.kit.Outcome
import app.psyter.kit.PsyterKit
import app.psyter.patient.KitState
import app.psyter.patient.PsyterApplication
import app.psyter.patient.R
import java.time.ZoneId
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch

/** A top-level destination of the bottom bar. */
private data class Tab(val route: String, val label: Int, val icon: ImageVector)

private val TABS = listOf(
    Tab("appointments", R.string.nav_appointments, Icons.Outlined.Event),
    Tab("providers", R.string.nav_find, Icons.Outlined.Search),
    Tab("history", R.string.nav_history, Icons.Outlined.History),
    Tab("settings", R.string.nav_settings, Icons.Outlined.Settings),
)

/** The whole app: opening the core, then sign-in, the signed-in screens, and the unlock screen over them. */
@Composable
fun PsyterApp(app: PsyterApplication, reminderTapped: StateFlow<Long>) {
    val kitState by app.kit.collectAsStateWithLifecycle()
    when (val current = kitState) {
        KitState.Opening -> Loading()
        is KitState.Failed -> StartupFailed(current.error, onRetry = app::openKit)
        is KitState.Ready -> Session(current.kit, app, reminderTapped)
    }
}

/** Screens by session phase; each phase's view models live in their own store, dropped when it ends. */
@Composable
private fun Session(kit: PsyterKit, app: PsyterApplication, reminderTapped: StateFlow<Long>) {
    val stores: SessionStores = viewModel()
    val phase by kit.session.phase.collectAsStateWithLifecycle()
    LaunchedEffect(phase) {
        when (phase) {
            SessionPhase.SIGNED_OUT -> listOf("session", "unlock").forEach(stores::drop)
            SessionPhase.ACTIVE -> listOf("signin", "unlock").forEach(stores::drop)
            SessionPhase.LOCKED -> stores.drop("signin")
        }
    }
    if (phase == SessionPhase.SIGNED_OUT) {
        CompositionLocalProvider(LocalViewModelStoreOwner provides stores.owner("signin")) { SignInScreen(kit) }
        return
    }
    val locked = phase == SessionPhase.LOCKED
    Box(Modifier.fillMaxSize()) {
        // Locked: the screens stay (an open form, a call) but are hidden, and unreachable for screen readers.
        Box(if (locked) Modifier.clearAndSetSemantics {} else Modifier) {
            CompositionLocalProvider(LocalViewModelStoreOwner provides stores.owner("session")) {
                MainShell(kit, app, reminderTapped)
            }
        }
        if (locked) {
            // Back must not reach the hidden screens: it leaves the app instead.
            val context = LocalContext.current
            BackHandler { context.findActivity()?.moveTaskToBack(true) }
            Surface(Modifier.fillMaxSize()) {
                CompositionLocalProvider(LocalViewModelStoreOwner provides stores.owner("unlock")) {
                    UnlockScreen(kit, app.biometricGate)
                }
            }
        }
    }
}

/** The signed-in app: top bar, offline banner, navigation and the bottom bar. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun MainShell(kit: PsyterKit, app: PsyterApplication, reminderTapped: StateFlow<Long>) {
    val nav = rememberNavController()
    val sync by kit.syncStatus.collectAsStateWithLifecycle()
    val scope = rememberCoroutineScope()
    val zone by produceState(ZoneId.systemDefault(), kit) {
        val me = kit.settings.me()
        (me as? Outcome.Ok)?.value?.timeZone?.let { runCatching { ZoneId.of(it) }.getOrNull() }?.let { value = it }
    }
    AskForNotifications()
    val tapped by reminderTapped.collectAsStateWithLifecycle()
    LaunchedEffect(tapped) { if (tapped > 0) nav.showTab("appointments") }
    val entry by nav.currentBackStackEntryAsState()
    val route = entry?.destination?.route
    val tab = TABS.firstOrNull { it.route == route }
    val inCall = route == "call/{id}"

    Scaffold(
        topBar = {
            if (!inCall) {
                TopAppBar(
                    title = { Text(stringResource(titleFor(route))) },
                    navigationIcon = {
                        if (tab == null) {
                            IconButton(onClick = { nav.popBackStack() }) {
                                Icon(Icons.AutoMirrored.Outlined.ArrowBack, contentDescription = stringResource(R.string.action_back))
                            }
                        }
                    },
                )
            }
        },
        bottomBar = {
            if (tab != null) {
                NavigationBar {
                    for (item in TABS) {
                        NavigationBarItem(
                            selected = item == tab,
                            onClick = { nav.showTab(item.route) },
                            icon = { Icon(item.icon, contentDescription = null) },
                            label = { Text(stringResource(item.label)) },
                        )
                    }
                }
            }
        },
    ) { padding ->
        Column(Modifier.padding(if (inCall) PaddingValues(0.dp) else padding)) {
            if (!inCall) SyncBanner(sync) { scope.launch { kit.appointments.sync() } }
            CompositionLocalProvider(LocalUserZone provides zone) {
                NavHost(nav, startDestination = "appointments", modifier = Modifier.weight(1f)) {
                    composable("appointments") {
                        AppointmentsScreen(kit, onJoin = { nav.navigate("precall/$it") }, onFindCare = { nav.showTab("providers") })
                    }
                    composable("providers") { ProviderSearchScreen(kit, onOpen = { nav.navigate("provider/$it") }) }
                    composable("history") { HistoryScreen(kit) }
                    composable("settings") { SettingsScreen(kit) }
                    composable("provider/{id}") { backStack ->
                        val id = backStack.arguments?.getString("id").orEmpty()
                        ProviderProfileScreen(kit, id, onBooked = { nav.showTab("appointments") })
                    }
                    composable("precall/{id}") { backStack ->
                        val id = backStack.arguments?.getString("id").orEmpty()
                        PreCallScreen(kit, app.mediaEngine, onJoin = {
                            nav.navigate("call/$id") { popUpTo("precall/{id}") { inclusive = true } }
                        })
                    }
                    composable("call/{id}") { backStack ->
                        val id = backStack.arguments?.getString("id").orEmpty()
                        CallScreen(kit, id, app.mediaEngine, onClose = { nav.popBackStack() })
                    }
                }
            }
        }
    }
}

/** The activity behind a (possibly wrapped) context. */
private fun Context.findActivity(): Activity? =
    generateSequence(this) { (it as? ContextWrapper)?.baseContext }.filterIsInstance<Activity>().firstOrNull()

/** Asks once per start (Android 13+) for the permission reminders need; Android stops asking after two refusals. */
@Composable
private fun AskForNotifications() {
    if (Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU) return
    val context = LocalContext.current
    val launcher = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) {}
    LaunchedEffect(Unit) {
        val granted = ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) ==
            PackageManager.PERMISSION_GRANTED
        if (!granted) launcher.launch(Manifest.permission.POST_NOTIFICATIONS)
    }
}

/** Goes to a bottom-bar tab, keeping each tab's own back stack and state. */
private fun NavHostController.showTab(route: String) {
    navigate(route) {
        popUpTo(graph.findStartDestination().id) { saveState = true }
        launchSingleTop = true
        restoreState = true
    }
}

/** The top bar's title for a route. */
private fun titleFor(route: String?): Int = when (route) {
    "providers", "provider/{id}" -> R.string.nav_find
    "history" -> R.string.nav_history
    "settings" -> R.string.nav_settings
    "precall/{id}" -> R.string.precall_title
    else -> R.string.nav_appointments
}

/** The core could not open: why, and a retry. */
@Composable
private fun StartupFailed(error: KitError, onRetry: () -> Unit) {
    Column(
        Modifier.fillMaxSize().padding(24.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        Text(stringResource(R.string.opening_failed), style = MaterialTheme.typography.titleLarge)
        ErrorMessage(error)
        BusyButton(stringResource(R.string.action_retry), busy = false, enabled = true, onClick = onRetry)
    }
}
