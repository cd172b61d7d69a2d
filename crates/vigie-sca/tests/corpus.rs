//! The Wazuh policies of the corpus (`vuln/wazuh-sca-sample/policies`, found through
//! `VIGIE_CORPUS`): every check reads, and a whole policy evaluates on a small root folder
//! without a panic, each check getting a result.

use std::path::PathBuf;

use vigie_sca::{evaluate, Kind, Options, Outcome, Policy};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
        .join("vuln/wazuh-sca-sample/policies");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED wazuh policies: no corpus at {} (set VIGIE_CORPUS)",
            dir.display()
        );
        None
    }
}

#[test]
fn corpus_policies_read_and_evaluate() {
    let Some(dir) = corpus() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(root.path().join("etc/ssh")).expect("mkdir");
    std::fs::write(
        root.path().join("etc/ssh/sshd_config"),
        "PermitRootLogin no\n",
    )
    .expect("write");
    let mut total = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let policy = Policy::parse(&text, &f.display().to_string()).expect("a policy");
        assert!(
            policy.problems.is_empty(),
            "{}: {:?}",
            f.display(),
            policy.problems
        );
        let mut kinds = [0usize; 5];
        for c in &policy.checks {
            for r in &c.rules {
                kinds[r.kind as usize] += 1;
            }
        }
        let checks = policy.checks.len();
        total += checks;
        // Requirements aside (they look for files this small root lacks), every check evaluates.
        let no_req = Policy {
            requirements: None,
            ..policy
        };
        let results = evaluate(
            &no_req,
            &Options {
                root: root.path().to_path_buf(),
                run_commands: false,
            },
        )
        .expect("no requirements");
        let count = |name: &str| {
            results
                .iter()
                .filter(|r| r.outcome.as_str() == name)
                .count()
        };
        let na_commands = results
            .iter()
            .filter(|r| matches!(&r.outcome, Outcome::NotApplicable(why) if why.starts_with("commands")))
            .count();
        eprintln!(
            "{}: {checks} checks (rules: file {}, directory {}, process {}, command {}, registry {}); on a nearly empty root: {} passed, {} failed, {} not applicable ({} for commands not run)",
            f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            kinds[Kind::File as usize], kinds[Kind::Directory as usize], kinds[Kind::Process as usize],
            kinds[Kind::Command as usize], kinds[Kind::Registry as usize],
            count("passed"), count("failed"), count("not applicable"), na_commands
        );
        assert_eq!(results.len(), checks);
    }
    assert_eq!(
        total,
        207 + 159 + 279 + 190,
        "check counts of the four policies (SOURCE.txt)"
    );
}
