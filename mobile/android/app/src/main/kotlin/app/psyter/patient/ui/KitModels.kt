package app.psyter.patient.ui

import androidx.compose.runtime.Composable
import androidx.lifecycle.ViewModel
import androidx.lifecycle.ViewModelStore
import androidx.lifecycle.ViewModelStoreOwner
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.lifecycle.viewmodel.initializer
import androidx.lifecycle.viewmodel.viewModelFactory
import app.psyter.kit.PsyterKit
import kotlinx.coroutines.CoroutineScope

/**
 * The androidx ViewModel around one of the kit's plain view models: it survives configuration
 * changes and hands the kit model `viewModelScope`, which is cancelled when the screen is gone
 * (a call's scope ending leaves the call).
 */
class KitModelHolder<M : Any>(kit: PsyterKit, create: (PsyterKit, CoroutineScope) -> M) : ViewModel() {
    /** The kit's view model. */
    val model: M = create(kit, viewModelScope)
    private var started = false

    /** Runs [start] the first time only (a load or a join must not repeat after a rotation). */
    fun once(start: (M) -> Unit) {
        if (started) return
        started = true
        start(model)
    }
}

/** The holder of a kit view model in the current ViewModelStoreOwner (a navigation entry or a session scope). */
@Composable
inline fun <reified M : Any> kitModel(
    kit: PsyterKit,
    key: String = M::class.java.name,
    noinline create: (PsyterKit, CoroutineScope) -> M,
): KitModelHolder<M> = viewModel(
    key = key,
    factory = viewModelFactory { initializer { KitModelHolder(kit, create) } },
)

/**
 * ViewModel stores that outlive configuration changes but not the session: the signed-in screens'
 * models are dropped at sign-out, so nothing of one account is shown to the next.
 */
class SessionStores : ViewModel() {
    private val stores = HashMap<String, Owner>()

    /** The owner named [name], created on first use. */
    fun owner(name: String): ViewModelStoreOwner = stores.getOrPut(name) { Owner() }

    /** Clears and forgets the owner named [name] (its view models' scopes are cancelled). */
    fun drop(name: String) {
        stores.remove(name)?.viewModelStore?.clear()
    }

    override fun onCleared() {
        stores.values.forEach { it.viewModelStore.clear() }
        stores.clear()
    }

    /** One scope's store. */
    private class Owner : ViewModelStoreOwner {
        override val viewModelStore = ViewModelStore()
    }
}
