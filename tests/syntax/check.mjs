#!/usr/bin/env node
// Syntax check for Swift and Kotlin sources: parses each file with a tree-sitter grammar (WASM, no
// compiler or SDK needed) and reports ERROR and MISSING nodes.
//
//   node tests/syntax/check.mjs [--lang swift|kotlin] <file-or-dir>...
//
// Exit 0: no syntax errors; 1: some file has one; 2: usage error or no file to check.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
// The grammars are ~3.5 MB of WASM each: V8's optimising compiler would spend ~5 s of CPU on them
// (and exit waits for it), while the baseline compiler parses hundreds of files in well under a second.
setFlagsFromString('--liftoff-only');
const EXTENSIONS = { '.swift': 'swift', '.kt': 'kotlin' };
const SKIPPED_DIRS = new Set(['node_modules', 'build', '.gradle', '.build', '.git']);
const MAX_REPORTS_PER_FILE = 5;
const USAGE = 'usage: node tests/syntax/check.mjs [--lang swift|kotlin] <file-or-dir>...';

class UsageError extends Error {}

// Splits argv into the optional language filter and the paths to check.
export function parseArgs(argv) {
  let lang = null;
  const paths = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lang' || arg.startsWith('--lang=')) {
      lang = arg === '--lang' ? argv[++i] : arg.slice('--lang='.length);
      if (lang !== 'swift' && lang !== 'kotlin') throw new UsageError(`--lang must be swift or kotlin, not '${lang ?? ''}'`);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) throw new UsageError('no file or directory given');
  return { lang, paths };
}

// Returns the sorted .swift/.kt files under the given paths (directories recursively), with their language.
export function collectFiles(paths, lang) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) walk(path);
      else if (entry.isFile() && EXTENSIONS[extname(entry.name)] && (!lang || EXTENSIONS[extname(entry.name)] === lang)) files.push(path);
    }
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`${path}: no such file or directory`);
    }
    if (stat.isDirectory()) walk(path);
    else if (EXTENSIONS[extname(path)] && (!lang || EXTENSIONS[extname(path)] === lang)) files.push(path);
    else throw new UsageError(`${path}: not a ${lang ? `${lang} ` : '.swift or .kt '}file`);
  }
  return [...new Set(files)].sort().map((path) => ({ path, lang: EXTENSIONS[extname(path)] }));
}

// The Swift wasm is built from tree-sitter-swift 0.7.1, whose scanner allocates its state with
// calloc(0, 4) (fixed upstream in alex-pinkus/tree-sitter-swift#554). Natively the allocator hides
// it; in WASM the state is garbage, which breaks raw strings, `#if` and `#available`. Patch the one
// instruction to calloc(1, 4). The body is matched exactly: `i32.const 0; i32.const 4; call calloc`.
function fixSwiftScanner(bytes) {
  const body = Buffer.from('0c00410041041080808080000b', 'hex');
  const at = bytes.indexOf(body);
  if (at >= 0 && bytes.indexOf(body, at + 1) >= 0) throw new Error('tree-sitter-swift.wasm: scanner patch is ambiguous');
  if (at >= 0) bytes[at + 3] = 1; // the first i32.const: 0 -> 1 (a fixed build has no match)
  return bytes;
}

// Loads the two grammars (from the pinned npm packages) into web-tree-sitter.
export async function loadLanguages() {
  await Parser.init();
  const swift = readFileSync(require.resolve('@repomix/tree-sitter-wasms/out/tree-sitter-swift.wasm'));
  const kotlin = readFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-kotlin/tree-sitter-kotlin.wasm'));
  return { swift: await Language.load(fixSwiftScanner(swift)), kotlin: await Language.load(kotlin) };
}

// Returns the ERROR and MISSING nodes of a tree, outermost first, in source order. A MISSING token of
// a hidden rule (Kotlin's automatic `_class_member_semi`) is not exposed by the API, so not reported.
function problemNodes(root) {
  const found = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node.isError || node.isMissing) found.push(node);
    else if (node.hasError) stack.push(...[...node.children].reverse());
  }
  return found;
}

// Describes a problem node as `line:col: syntax error near '...'` (1-based line and column).
function describe(node, source) {
  const { row, column } = node.startPosition;
  const line = source.split('\n', row + 1)[row] ?? '';
  const text = (node.isMissing || node.text.trim() === '' ? line : node.text).trim().split('\n')[0];
  const near = text === '' ? 'at end of file' : `near '${text.length > 40 ? `${text.slice(0, 40)}...` : text}'`;
  const missing = node.isMissing ? ` (missing '${node.type}')` : '';
  return `${row + 1}:${column + 1}: syntax error ${near}${missing}`;
}

// Valid Swift that tree-sitter-swift 0.7.1 misparses, all in UniFFI's generated code: an attribute
// inside `#if swift(>=5.8) ... #endif`, `nonisolated(unsafe)`, and a closure returning the empty tuple,
// `{ () }`. Each is blanked to the same length
// (line and column numbers stay right); the code around them is still checked.
const SWIFT_GAPS = [
  /#if swift\(>=5\.8\)\n[ \t]*@_documentation\(visibility: private\)\n[ \t]*#endif/g,
  /(?<=nonisolated)\(unsafe\)/g,
  /(?<=\{ )\(\)(?= \})/g,
];

// Blanks the constructs in SWIFT_GAPS, keeping newlines.
export function maskSwiftGaps(source) {
  return SWIFT_GAPS.reduce((text, gap) => text.replace(gap, (m) => m.replace(/[^\n]/g, ' ')), source);
}

// Parses one file with a fresh parser (the Swift scanner keeps state between parses) and returns its problems.
export function checkFile(language, path, lang) {
  const raw = readFileSync(path, 'utf8');
  const source = lang === 'swift' ? maskSwiftGaps(raw) : raw;
  const parser = new Parser();
  parser.setLanguage(language);
  const tree = parser.parse(source);
  try {
    return problemNodes(tree.rootNode).map((node) => describe(node, source));
  } finally {
    tree.delete();
    parser.delete();
  }
}

// Runs the command line: prints problems and the summary, returns the exit code.
export async function main(argv) {
  let files;
  try {
    const { lang, paths } = parseArgs(argv);
    files = collectFiles(paths, lang);
    if (files.length === 0) throw new UsageError(`no ${lang ?? '.swift or .kt'} files under ${paths.join(' ')}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`check: ${error.message}\n${USAGE}`);
    return 2;
  }
  const languages = await loadLanguages();
  let failed = 0;
  for (const { path, lang } of files) {
    const problems = checkFile(languages[lang], path, lang);
    if (problems.length > 0) failed++;
    for (const problem of problems.slice(0, MAX_REPORTS_PER_FILE)) console.log(`${path}:${problem}`);
    if (problems.length > MAX_REPORTS_PER_FILE) console.log(`${path}: ... and ${problems.length - MAX_REPORTS_PER_FILE} more`);
  }
  const count = (lang) => files.filter((file) => file.lang === lang).length;
  const seconds = (performance.now() / 1000).toFixed(2); // since the process started
  console.log(`checked ${count('swift')} Swift and ${count('kotlin')} Kotlin files: ${failed} with syntax errors (${seconds} s)`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('-h') || process.argv.includes('--help')) console.log(USAGE);
  else process.exitCode = await main(process.argv.slice(2));
}
