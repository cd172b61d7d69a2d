//! `LogFormat` against the Loghub benchmark's own splitting: each raw `*_2k.log` line of the
//! corpus sets, cut by the set's log format (the format strings of the Loghub benchmark
//! settings), must give the `Content` its `*_structured*.csv` holds, line for line. Sets that
//! cannot agree are listed with their reason in `tests/log-format-expected-failures.tsv`; an
//! unlisted failure fails the test, and so does a listed set that agrees. The fast scan used
//! for plain formats must cut every line as the regular expression does.

mod common;

use std::collections::BTreeMap;

use common::loghub;
use vigie_templates::LogFormat;

/// The log formats of the Loghub benchmark settings, per system.
const FORMATS: [(&str, &str); 16] = [
    (
        "Android",
        r"<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>",
    ),
    ("Apache", r"\[<Time>\] \[<Level>\] <Content>"),
    (
        "BGL",
        r"<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
    ),
    (
        "HDFS",
        r"<Date> <Time> <Pid> <Level> <Component>: <Content>",
    ),
    (
        "HPC",
        r"<LogId> <Node> <Component> <State> <Time> <Flag> <Content>",
    ),
    (
        "Hadoop",
        r"<Date> <Time> <Level> \[<Process>\] <Component>: <Content>",
    ),
    ("HealthApp", r"<Time>\|<Component>\|<Pid>\|<Content>"),
    (
        "Linux",
        r"<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>",
    ),
    (
        "Mac",
        r"<Month>  <Date> <Time> <User> <Component>\[<PID>\]( \(<Address>\))?: <Content>",
    ),
    (
        "OpenSSH",
        r"<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>",
    ),
    (
        "OpenStack",
        r"<Logrecord> <Date> <Time> <Pid> <Level> <Component> \[<ADDR>\] <Content>",
    ),
    ("Proxifier", r"\[<Time>\] <Program> - <Content>"),
    ("Spark", r"<Date> <Time> <Level> <Component>: <Content>"),
    (
        "Thunderbird",
        r"<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\[<PID>\])?: <Content>",
    ),
    (
        "Windows",
        r"<Date> <Time>, <Level>                  <Component>    <Content>",
    ),
    (
        "Zookeeper",
        r"<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>",
    ),
];

#[test]
fn loghub_formats_split_raw_lines_as_the_benchmark_did() {
    let root = loghub::corpus().join("anomaly/loghub-2k");
    if !root.is_dir() {
        eprintln!(
            "SKIPPED log formats: corpus not found at {} (set VIGIE_CORPUS)",
            root.display()
        );
        return;
    }
    let expected_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/log-format-expected-failures.tsv"),
    )
    .unwrap_or_default();
    let expected: BTreeMap<String, String> = expected_text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let formats: BTreeMap<&str, &str> = FORMATS.into_iter().collect();
    let mut surprises = Vec::new();
    for set in loghub::sets(&root).expect("the Loghub sets read") {
        let key = format!("{}/{}", set.group, set.name);
        let folder = if set.group == "original" {
            "loghub-orig"
        } else {
            "loghub2.0-2k"
        };
        let raw = std::fs::read_to_string(
            root.join(folder)
                .join(&set.name)
                .join(format!("{}_2k.log", set.name)),
        )
        .expect("raw log");
        let format = LogFormat::parse(formats[set.name.as_str()]).expect("a valid format");
        let contents: Vec<&str> = raw
            .lines()
            .map(|l| format.content(l, 0).unwrap_or("<no match>"))
            .collect();
        for (l, c) in raw.lines().zip(&contents) {
            let by_regex = format.content_by_regex(l, 0).unwrap_or("<no match>");
            assert_eq!(
                *c, by_regex,
                "{key}: the scan and the regex cut {l:?} apart"
            );
        }
        let wrong: Vec<usize> = (0..set.all_contents.len())
            .filter(|&i| contents.get(i).copied() != Some(set.all_contents[i].as_str()))
            .collect();
        eprintln!(
            "{key}: {} of {} lines differ",
            wrong.len(),
            set.all_contents.len()
        );
        if let Some(&i) = wrong.first() {
            eprintln!(
                "  line {}: {:?}\n   want {:?}",
                i + 1,
                contents.get(i),
                set.all_contents[i]
            );
        }
        match (wrong.is_empty(), expected.contains_key(&key)) {
            (false, false) => surprises.push(format!("{key}: {} lines differ", wrong.len())),
            (true, true) => surprises.push(format!("{key}: listed as failing but agrees")),
            _ => {}
        }
    }
    assert!(surprises.is_empty(), "{surprises:#?}");
}
