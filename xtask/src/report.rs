//! Bench results: parsing tool output, and the table printed and written as markdown.

use anyhow::{Context, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

/// Whether a row met its target.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Met the target.
    Pass,
    /// Missed a performance target (noted, not fatal: the machine is noisy).
    Miss,
    /// Something was wrong (errors, 5xx, missing measurement).
    Fail,
    /// Informational, no target.
    Info,
}

impl Verdict {
    /// Pass when `ok`, else Miss.
    pub fn from_target(ok: bool) -> Self {
        if ok { Self::Pass } else { Self::Miss }
    }

    /// The word shown in the table.
    fn word(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Miss => "MISS",
            Self::Fail => "FAIL",
            Self::Info => "info",
        }
    }
}

/// One line of the report: name | median/figure | target | floor | ratio | pass?
pub struct Row {
    /// What was measured.
    pub name: String,
    /// The measured figure, with unit.
    pub figure: String,
    /// The target, e.g. `<= 20 ms`.
    pub target: String,
    /// The same figure for the bare-axum floor, if any.
    pub floor: String,
    /// Psyter relative to the floor, if any.
    pub ratio: String,
    /// Whether the target was met.
    pub verdict: Verdict,
}

impl Row {
    /// A row with no floor or ratio.
    pub fn new(name: &str, figure: String, target: &str, verdict: Verdict) -> Self {
        Self {
            name: name.to_string(),
            figure,
            target: target.to_string(),
            floor: "-".to_string(),
            ratio: "-".to_string(),
            verdict,
        }
    }

    /// Adds the floor figure and the ratio.
    pub fn with_floor(mut self, floor: String, ratio: f64) -> Self {
        self.floor = floor;
        self.ratio = format!("{ratio:.2}x");
        self
    }
}

/// Column headers.
const HEADERS: [&str; 6] = ["name", "median/figure", "target", "floor", "ratio", "pass?"];

/// The cells of a row in column order.
fn cells(row: &Row) -> [&str; 6] {
    [&row.name, &row.figure, &row.target, &row.floor, &row.ratio, row.verdict.word()]
}

/// Prints the table with aligned columns.
pub fn print(rows: &[Row]) {
    let mut widths = HEADERS.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(cells(row)) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        println!("    {}", padded.join(" | ").trim_end());
    };
    line(HEADERS);
    println!("    {}", widths.map(|w| "-".repeat(w)).join("-+-"));
    for row in rows {
        line(cells(row));
    }
}

/// Writes the table (plus notes) as markdown to `path`.
pub fn write_markdown(path: &Path, rows: &[Row], notes: &[String]) -> Result<()> {
    let mut md = String::from("# Psyter bench report\n\n");
    md.push_str(&format!("- date (UTC): {}\n", utc_now()));
    if let Ok(cores) = std::thread::available_parallelism() {
        md.push_str(&format!("- cores: {cores}\n"));
    }
    md.push_str("- targets missed are marked MISS (noisy machines); FAIL means errors\n\n");
    md.push_str(&format!("| {} |\n", HEADERS.join(" | ")));
    md.push_str(&format!("|{}\n", "---|".repeat(HEADERS.len())));
    for row in rows {
        md.push_str(&format!("| {} |\n", cells(row).join(" | ")));
    }
    if !notes.is_empty() {
        md.push_str("\n## Raw results\n\n```\n");
        for note in notes {
            md.push_str(note);
            md.push('\n');
        }
        md.push_str("```\n");
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, md).with_context(|| format!("could not write {}", path.display()))
}

/// The current time as `YYYY-MM-DD HH:MM`, UTC (civil-from-days, no date crate needed).
fn utc_now() -> String {
    let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (hour, minute) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

/// Finds the line starting with `prefix` and parses its `key=value` numbers.
pub fn result_line(output: &str, prefix: &str) -> Option<(String, HashMap<String, f64>)> {
    let line = output.lines().find(|l| l.trim_start().starts_with(prefix))?;
    let fields = line
        .split_whitespace()
        .filter_map(|word| {
            let (key, value) = word.split_once('=')?;
            Some((key.to_string(), value.parse().ok()?))
        })
        .collect();
    Some((line.trim().to_string(), fields))
}

/// Whether a benchmark id has every word of `needle` (so "slot generation 30 days" names
/// "slot generation for 30 days of one provider").
pub fn names(id: &str, needle: &str) -> bool {
    let id = id.to_lowercase();
    let words: Vec<&str> = id.split(|c: char| !c.is_alphanumeric()).collect();
    needle.to_lowercase().split_whitespace().all(|w| words.contains(&w))
}

/// Criterion's median (ns) for the benchmark named by `needle`, measured after `since`.
pub fn criterion_median(dir: &Path, needle: &str, since: SystemTime) -> Option<f64> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let fresh = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t >= since);
            let in_new = path.parent().is_some_and(|p| p.ends_with("new"));
            if !(fresh && in_new && path.ends_with("benchmark.json")) {
                continue;
            }
            let Some(meta) = read_json(&path) else {
                continue;
            };
            let id = meta.get("full_id").and_then(Value::as_str).unwrap_or("");
            if names(id, needle) {
                let estimates = read_json(&path.with_file_name("estimates.json"))?;
                return estimates.pointer("/median/point_estimate")?.as_f64();
            }
        }
    }
    None
}

/// Reads a JSON file, if it exists and parses.
fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Fallback: the middle `time:` estimate (ns) printed by criterion after the benchmark's name.
pub fn criterion_stdout(output: &str, needle: &str) -> Option<f64> {
    let lines: Vec<&str> = output.lines().collect();
    let at = lines.iter().position(|l| names(l, needle))?;
    let line = lines[at..].iter().take(3).find(|l| l.contains("time:"))?;
    let inside = line.split_once('[')?.1.split_once(']')?.0;
    let words: Vec<&str> = inside.split_whitespace().collect();
    let (value, unit) = (words.get(2)?.parse::<f64>().ok()?, *words.get(3)?);
    let scale = match unit {
        "ps" => 1e-3,
        "ns" => 1.0,
        "µs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_result_lines_and_criterion_output() {
        let out = "noise\nsearch result: rps=5123.4 p95_ms=12.5 tag=x\n";
        let (line, fields) = result_line(out, "search result:").unwrap_or_default();
        assert!(line.starts_with("search result:"));
        assert_eq!(fields.get("rps"), Some(&5123.4));
        assert_eq!(fields.get("tag"), None);

        let crit = "Benchmarking x\nslot generation for 30 days of one provider\n                        time:   [120.10 µs 121.50 µs 123.00 µs]\n";
        assert_eq!(criterion_stdout(crit, "Slot generation 30 days"), Some(121_500.0));
        assert_eq!(criterion_stdout(crit, "slot generation 31 days"), None);
    }

    #[test]
    fn finds_fresh_criterion_estimates() -> std::io::Result<()> {
        let root = std::env::temp_dir().join(format!("xtask-criterion-{}", std::process::id()));
        let new = root.join("slot generation for 30 days of one provider/new");
        std::fs::create_dir_all(&new)?;
        let id = "slot generation for 30 days of one provider";
        std::fs::write(new.join("benchmark.json"), format!(r#"{{"full_id":"{id}"}}"#))?;
        std::fs::write(new.join("estimates.json"), r#"{"median":{"point_estimate":10667.1}}"#)?;
        let found = criterion_median(&root, "slot generation 30 days", SystemTime::UNIX_EPOCH);
        let future = SystemTime::now() + std::time::Duration::from_secs(3600);
        let stale = criterion_median(&root, "slot generation 30 days", future);
        std::fs::remove_dir_all(&root)?;
        assert_eq!(found, Some(10667.1));
        assert_eq!(stale, None);
        Ok(())
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(utc_now().len(), "2026-01-01 00:00".len());
    }
}
