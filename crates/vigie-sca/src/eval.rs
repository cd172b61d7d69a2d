//! Evaluating a policy against a root folder, with Wazuh's semantics: a rule is true, false or
//! not applicable; `not` swaps true and false; checks combine their rules by `all`, `any` or
//! `none` as Wazuh's condition table says; a policy whose requirements fail is not run.
//! Commands run only when allowed and only on the live host (`/`); processes are read from
//! the root's `/proc`. Nothing here writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::policy::{Check, Condition, Policy};
use crate::rule::{Kind, Rule, Stage};

/// Largest file read for content rules.
const MAX_FILE: u64 = 16 << 20;
/// Most files a directory rule looks at.
const MAX_DIR_FILES: usize = 10_000;
/// How long a command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    True,
    False,
    NotApplicable(String),
}

/// A check's result, as Wazuh spells them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    NotApplicable(String),
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::NotApplicable(_) => "not applicable",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Run `c:` rules (only on the live host, `/`).
    pub run_commands: bool,
}

fn under(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim().trim_start_matches('/'))
}

fn lines_hold(text: &str, stage: &Stage) -> bool {
    text.lines().any(|l| stage.iter().all(|op| op.holds(l)))
}

fn read_text(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn file_rule(rule: &Rule, o: &Options) -> Verdict {
    for target in rule.target.split(',') {
        let path = under(&o.root, target);
        if !path.exists() {
            continue;
        }
        let Some(stage) = rule.stages.first() else {
            return Verdict::True;
        };
        match read_text(&path) {
            Some(text) if lines_hold(&text, stage) => return Verdict::True,
            Some(_) => {}
            None => return Verdict::NotApplicable(format!("cannot read {}", target.trim())),
        }
    }
    Verdict::False
}

fn dir_files(dir: &Path, out: &mut Vec<PathBuf>, depth: u8) {
    if depth > 8 || out.len() >= MAX_DIR_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut list: Vec<_> = entries.flatten().collect();
    list.sort_by_key(|e| e.file_name());
    for e in list {
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            dir_files(&e.path(), out, depth + 1);
        } else if ft.is_file() {
            out.push(e.path());
        }
    }
}

fn dir_rule(rule: &Rule, o: &Options) -> Verdict {
    for target in rule.target.split(',') {
        let dir = under(&o.root, target);
        if !dir.is_dir() {
            continue;
        }
        let Some(names) = rule.stages.first() else {
            return Verdict::True;
        };
        let mut files = Vec::new();
        dir_files(&dir, &mut files, 0);
        for f in files {
            let name = f
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            if !names.iter().all(|op| op.holds(&name)) {
                continue;
            }
            match rule.stages.get(1) {
                None => return Verdict::True,
                Some(stage) => {
                    if read_text(&f).is_some_and(|t| lines_hold(&t, stage)) {
                        return Verdict::True;
                    }
                }
            }
        }
    }
    Verdict::False
}

fn process_rule(rule: &Rule, o: &Options) -> Verdict {
    let proc_dir = o.root.join("proc");
    let Ok(entries) = std::fs::read_dir(&proc_dir) else {
        return Verdict::NotApplicable("no process list under this root".into());
    };
    for e in entries.flatten() {
        let p = e.path();
        if !p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
        {
            continue;
        }
        let comm = std::fs::read_to_string(p.join("comm")).unwrap_or_default();
        let cmdline = std::fs::read(p.join("cmdline")).unwrap_or_default();
        let exe = cmdline
            .split(|b| *b == 0)
            .next()
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        let base = exe.rsplit('/').next().unwrap_or("");
        if comm.trim() == rule.target || base == rule.target {
            return Verdict::True;
        }
    }
    Verdict::False
}

/// Splits a command line on spaces, keeping double-quoted parts whole.
fn argv(command: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut started) = (Vec::new(), String::new(), false, false);
    for ch in command.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            c => {
                cur.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(cur);
    }
    out
}

fn command_rule(rule: &Rule, o: &Options) -> Verdict {
    if !o.run_commands {
        return Verdict::NotApplicable("commands are not run (allow them on the live host)".into());
    }
    if o.root != Path::new("/") {
        return Verdict::NotApplicable(
            "commands run on the live host only, not on a root folder".into(),
        );
    }
    let args = argv(&rule.target);
    let Some((program, rest)) = args.split_first() else {
        return Verdict::NotApplicable("empty command".into());
    };
    let child = Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return Verdict::False;
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > COMMAND_TIMEOUT => {
                let _ = child.kill();
                return Verdict::NotApplicable("command timed out".into());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return Verdict::False,
        }
    }
    let out = child
        .wait_with_output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&out);
    match rule.stages.first() {
        None => Verdict::True,
        Some(stage) => {
            if lines_hold(&text, stage) {
                Verdict::True
            } else {
                Verdict::False
            }
        }
    }
}

/// One rule's verdict, `not` applied.
pub fn eval_rule(rule: &Rule, o: &Options) -> Verdict {
    let v = match rule.kind {
        Kind::File => file_rule(rule, o),
        Kind::Directory => dir_rule(rule, o),
        Kind::Process => process_rule(rule, o),
        Kind::Command => command_rule(rule, o),
        Kind::Registry => Verdict::NotApplicable("Windows registry rules are not evaluated".into()),
    };
    match (v, rule.negated) {
        (Verdict::True, true) => Verdict::False,
        (Verdict::False, true) => Verdict::True,
        (v, _) => v,
    }
}

/// Rule verdicts combined by a condition, as Wazuh's condition table says.
pub fn combine(condition: Condition, verdicts: &[Verdict]) -> Outcome {
    let passed = verdicts.contains(&Verdict::True);
    let failed = verdicts.contains(&Verdict::False);
    let na = verdicts.iter().find_map(|v| match v {
        Verdict::NotApplicable(r) => Some(r.clone()),
        _ => None,
    });
    match condition {
        Condition::All if failed => Outcome::Failed,
        Condition::All => na.map_or(Outcome::Passed, Outcome::NotApplicable),
        Condition::Any if passed => Outcome::Passed,
        Condition::Any => na.map_or(Outcome::Failed, Outcome::NotApplicable),
        Condition::None if passed => Outcome::Failed,
        Condition::None => na.map_or(Outcome::Passed, Outcome::NotApplicable),
    }
}

/// One check's result.
#[derive(Debug, Clone)]
pub struct CheckResult<'p> {
    pub check: &'p Check,
    pub outcome: Outcome,
}

/// Evaluates a policy: `Err` with the reason when its requirements are not met.
pub fn evaluate<'p>(policy: &'p Policy, o: &Options) -> Result<Vec<CheckResult<'p>>, String> {
    if let Some(req) = &policy.requirements {
        let verdicts: Vec<Verdict> = req.rules.iter().map(|r| eval_rule(r, o)).collect();
        if combine(req.condition, &verdicts) != Outcome::Passed {
            return Err(format!(
                "the policy's requirements are not met on {} ({} rules, condition {:?})",
                o.root.display(),
                req.rules.len(),
                req.condition
            ));
        }
    }
    Ok(policy
        .checks
        .iter()
        .map(|check| {
            let verdicts: Vec<Verdict> = check.rules.iter().map(|r| eval_rule(r, o)).collect();
            CheckResult {
                check,
                outcome: combine(check.condition, &verdicts),
            }
        })
        .collect())
}
