#!/usr/bin/env node
// Self-test of check.mjs: valid modern Swift and Kotlin must pass, broken files must fail on the
// right line, and the exit codes must hold (0 clean, 1 errors, 2 usage or no files).
//
//   node tests/syntax/selftest.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECK = fileURLToPath(new URL('./check.mjs', import.meta.url));

// Returns a template literal's raw text without its first newline; `$\{` stands for Kotlin's `${`.
function code(strings) {
  if (strings.length !== 1) throw new Error('code`...` takes no ${} substitutions');
  return strings.raw[0].replace(/^\n/, '').replaceAll('$\\{', '${');
}

const VALID = {
  'ios/AppointmentsView.swift': code`
import SwiftUI
import Observation

@propertyWrapper
struct Clamped<Value: Comparable> {
    private var value: Value
    let range: ClosedRange<Value>

    init(wrappedValue: Value, _ range: ClosedRange<Value>) {
        self.range = range
        self.value = min(max(wrappedValue, range.lowerBound), range.upperBound)
    }

    var wrappedValue: Value {
        get { value }
        set { value = min(max(newValue, range.lowerBound), range.upperBound) }
    }
}

@Observable
final class AppointmentsModel {
    var patientName: String?
    var upcoming: [String] = []
    var isLoading = false

    @MainActor
    func refresh(using store: AppointmentStore) async throws {
        isLoading = true
        defer { isLoading = false }
        async let count = store.count()
        upcoming = try await store.upcoming()
        patientName = "Omar (\(await count) visits)"
    }
}

struct AppointmentsView: View {
    @State private var model = AppointmentsModel()
    @State private var showHelp = false
    @Environment(\.dismiss) private var dismiss
    @Clamped(0...5) var rating: Int = 3

    var body: some View {
        NavigationStack {
            List(model.upcoming, id: \.self) { item in
                Text("Visit \(item)")
            }
            .navigationTitle("Appointments")
            .toolbar {
                Button("Close") { dismiss() }
            }
            .sheet(isPresented: $showHelp) {
                HelpView(isShown: $showHelp)
            }
        }
        .task {
            try? await model.refresh(using: AppointmentStore())
        }
    }

    @ViewBuilder
    private func header(_ name: String?) -> some View {
        if let name {
            Text("Hello, \(name)!")
        } else {
            ProgressView()
        }
    }
}

struct HelpView: View {
    @Binding var isShown: Bool

    var body: some View {
        VStack(spacing: 12) {
            Text(#"Raw "help" text \#(isShown)"#)
            Button {
                isShown = false
            } label: {
                Label("Done", systemImage: "checkmark")
            }
        }
        .padding()
    }
}

#if DEBUG
#Preview {
    AppointmentsView()
}
#endif
`,
  'ios/AppointmentStore.swift': code`
import Foundation

enum StoreError: Error {
    case offline
    case notFound(id: String)
}

@resultBuilder
enum LinesBuilder {
    static func buildBlock(_ lines: String...) -> [String] { lines }
}

func lines(@LinesBuilder _ make: () -> [String]) -> [String] { make() }

actor AppointmentStore {
    private var visits: [String: Date] = [:]
    private var listeners: [(String) -> Void] = []

    func add(_ id: String, at date: Date = .now) {
        visits[id, default: date] = date
        listeners.forEach { $0(id) }
    }

    func count() -> Int { visits.count }

    func upcoming() async throws -> [String] {
        guard !visits.isEmpty else { throw StoreError.offline }
        return visits.sorted { $0.value < $1.value }.map(\.key)
    }
}

final class Poller {
    private var task: Task<Void, Never>?

    func start(_ stream: AsyncStream<Int>, onTick: @escaping @Sendable (Int) -> Void) {
        task = Task { [weak self] in
            for await tick in stream {
                guard self != nil else { return }
                onTick(tick)
            }
        }
    }

    func describe(_ error: StoreError) -> String {
        let text = switch error {
        case .offline: "offline"
        case .notFound(let id): "no visit \(id)"
        }
        return lines {
            "error:"
            text
        }.joined(separator: " ")
    }

    func supportsLiveActivities() -> Bool {
        if #available(iOS 17, *) {
            return true
        }
        return false
    }
}
`,
  'android/AppointmentsScreen.kt': code`
package app.psyter.patient

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.tooling.preview.Preview
import androidx.compose.ui.unit.dp

sealed interface UiState {
    data object Loading : UiState
    data class Ready(val items: List<String>, val count: Int = items.size) : UiState
    data class Failed(val message: String) : UiState
}

fun describe(state: UiState): String = when (state) {
    is UiState.Loading -> "loading"
    is UiState.Ready -> "ready: $\{state.items.size} visits, first $\{state.items.firstOrNull()}"
    is UiState.Failed -> "failed: $state"
}

@Composable
fun AppointmentsScreen(ids: List<String>, onBook: (String) -> Unit = {}) {
    var state by remember { mutableStateOf<UiState>(UiState.Loading) }
    LaunchedEffect(ids) {
        state = loadAppointments(ids)
    }
    Column(modifier = Modifier.padding(16.dp)) {
        Text(text = describe(state))
        Button(onClick = { onBook(ids.first()) }) {
            Text("Book")
        }
    }
}

@Preview(showBackground = true)
@Composable
private fun AppointmentsScreenPreview() {
    AppointmentsScreen(ids = listOf("a1", "a2"))
}
`,
  'android/Appointments.kt': code`
package app.psyter.patient

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

@JvmInline
value class AppointmentId(val raw: String)

typealias Listener = suspend (AppointmentId) -> Unit

fun interface Clock {
    fun now(): Long
}

object SystemClock : Clock {
    override fun now(): Long = System.currentTimeMillis()
}

enum class Role(val label: String) {
    PATIENT("patient"),
    PROVIDER("provider");

    fun isPatient() = this == PATIENT
}

fun String.initials(): String =
    split(" ").mapNotNull { it.firstOrNull()?.uppercaseChar() }.joinToString("")

inline fun <reified T : Any> Any?.asOrNull(): T? = this as? T

suspend fun loadAppointments(ids: List<String>): UiState = withContext(Dispatchers.IO) {
    if (ids.isEmpty()) UiState.Failed("nothing to show") else UiState.Ready(ids)
}

fun ticks(limit: Int): Flow<Int> = flow {
    for (i in 0..<limit) emit(i)
}

class Repository<T>(private val items: MutableList<T> = mutableListOf()) {
    val size get() = items.size
    private val cache by lazy { items.toList() }

    operator fun plusAssign(item: T) {
        items += item
    }

    fun firstOrThrow(): T = items.firstOrNull() ?: throw IllegalStateException("empty")

    companion object {
        const val PAGE = 50
    }
}

fun main() = runBlocking {
    val ticker = object : Runnable {
        override fun run() = println("tick")
    }
    launch {
        ticks(3).collect { println("tick $it") }
    }
    listOf(1, 2, 3).forEach {
        if (it == 2) return@forEach
        ticker.run()
    }
    val id: AppointmentId? = "a1".asOrNull<String>()?.let(::AppointmentId)
    println("$\{id!!.raw} $\{"Omar Haddad".initials()}")
}
`,
};

// Each broken file and the line its first reported error must be on (`text`: also in the message).
const BROKEN = [
  {
    file: 'UnclosedIf.swift',
    line: 13, // the end of the file, where the `}` is missing (as swiftc reports it)
    text: "missing '}'",
    source: code`
import Foundation

struct Visit {
    let id: String

    func label() -> String {
        if id.isEmpty {
            return "none"

        return "visit \(id)"
    }
}
`,
  },
  {
    file: 'ExtraBrace.swift',
    line: 6,
    source: code`
struct Visit {
    func label() -> String {
        return "visit"
    }
    }
}

let visit = Visit()
`,
  },
  {
    file: 'FuncParen.swift',
    line: 6,
    source: code`
import Foundation

final class Store {
    var items: [String] = []

    func (item: String) {
        items.append(item)
    }
}
`,
  },
  {
    file: 'UnfinishedFunc.swift',
    line: 4,
    source: code`
func load() {
    print("loading")

    func (
}
`,
  },
  {
    file: 'FunParen.kt',
    line: 5,
    source: code`
package app.psyter.patient

fun ok() = 1

fun x( {
    println("x")
}

fun after() = 2
`,
  },
  {
    file: 'NestedFunParen.kt',
    line: 4,
    source: code`
package app.psyter.patient

fun outer() {
    fun x( {
        println("x")
    }
}
`,
  },
  {
    file: 'ExtraBrace.kt',
    line: 6,
    source: code`
package app.psyter.patient

fun a() {
    println("a")
}
}

fun b() = 2
`,
  },
  {
    file: 'UnclosedFun.kt',
    line: 6, // after the last `}`, where the class's `}` is missing
    text: "missing '}'",
    source: code`
class Store {
    fun f() {
        val x = 1

    fun g() = 2
}
`,
  },
];

// Writes files (relative path -> content) under a directory.
function writeTree(root, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

// Runs check.mjs with the given arguments and returns its exit code, output lines and summary line.
function check(...args) {
  const run = spawnSync(process.execPath, [CHECK, ...args], { encoding: 'utf8' });
  const lines = run.stdout.split('\n').filter(Boolean);
  return { code: run.status, lines, summary: lines.at(-1) ?? '', stderr: run.stderr };
}

const results = [];

// Records one expectation and prints it as `ok - ...` or `not ok - ...` with the evidence.
function expect(name, passed, evidence) {
  results.push(passed);
  console.log(`${passed ? 'ok' : 'not ok'} - ${name}`);
  if (!passed) console.log(`    ${evidence.join('\n    ')}`);
}

const root = mkdtempSync(join(tmpdir(), 'psyter-syntax-'));
try {
  const valid = join(root, 'valid');
  const broken = join(root, 'broken');
  writeTree(valid, VALID);
  // Broken files in directories that must be skipped.
  writeTree(valid, { 'build/Gen.kt': 'fun x( {\n', 'node_modules/m/Bad.swift': 'func (\n', '.gradle/Bad.kt': '}\n', '.build/Bad.swift': '}\n' });
  writeTree(broken, Object.fromEntries(BROKEN.map((b) => [b.file, b.source])));
  mkdirSync(join(root, 'empty', 'build'), { recursive: true });
  writeFileSync(join(root, 'empty', 'build', 'Skipped.kt'), 'fun f() = 1\n');
  writeFileSync(join(root, 'empty', 'notes.txt'), 'no sources here\n');

  const ok = check(valid);
  expect('valid modern Swift and Kotlin pass (build, node_modules, .gradle, .build skipped)',
    ok.code === 0 && ok.summary.startsWith('checked 2 Swift and 2 Kotlin files: 0 with syntax errors'), [`exit ${ok.code}`, ...ok.lines]);

  const bad = check(broken);
  expect('broken files exit 1 and all are counted',
    bad.code === 1 && bad.summary.startsWith(`checked 4 Swift and 4 Kotlin files: ${BROKEN.length} with syntax errors`), [`exit ${bad.code}`, ...bad.lines]);
  for (const { file, line, text } of BROKEN) {
    const first = bad.lines.find((l) => l.startsWith(`${join(broken, file)}:`)) ?? '(no error reported)';
    const [, reported] = first.slice(join(broken, file).length).split(':');
    expect(`${file} fails on line ${line}${text ? ` with ${text}` : ''}`,
      Number(reported) === line && first.includes('syntax error') && (!text || first.includes(text)), [first]);
  }

  const swiftOnly = check('--lang', 'swift', broken);
  expect('--lang swift checks only Swift files',
    swiftOnly.code === 1 && swiftOnly.summary.startsWith('checked 4 Swift and 0 Kotlin files: 4 with syntax errors'), swiftOnly.lines);
  const kotlinOnly = check('--lang=kotlin', valid);
  expect('--lang=kotlin checks only Kotlin files',
    kotlinOnly.code === 0 && kotlinOnly.summary.startsWith('checked 0 Swift and 2 Kotlin files: 0'), kotlinOnly.lines);
  const single = check(join(broken, 'FunParen.kt'), join(valid, 'ios', 'AppointmentStore.swift'));
  expect('explicit files are checked', single.code === 1 && single.summary.startsWith('checked 1 Swift and 1 Kotlin files: 1'), single.lines);

  for (const [name, args] of [
    ['no files found exits 2', [join(root, 'empty')]],
    ['no arguments exits 2', []],
    ['unknown --lang exits 2', ['--lang', 'java', valid]],
    ['unknown option exits 2', ['--fast', valid]],
    ['missing path exits 2', [join(root, 'nope')]],
    ['explicit non-source file exits 2', [join(root, 'empty', 'notes.txt')]],
  ]) {
    const run = check(...args);
    expect(name, run.code === 2 && run.stderr.includes('usage:'), [`exit ${run.code}`, ...run.lines, run.stderr]);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const failed = results.filter((passed) => !passed).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
