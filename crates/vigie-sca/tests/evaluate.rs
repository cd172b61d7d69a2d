//! A policy written for these tests, evaluated on a root folder the test builds: every rule
//! type and operation, the three conditions, variables, requirements; results pinned.

use std::path::Path;

use vigie_sca::{evaluate, Options, Policy};

const POLICY: &str = r#"
policy:
  id: "vigie_test"
  file: "vigie_test.yml"
  name: "Test policy"
  description: "Written for Vigie's tests."
requirements:
  title: "A Linux root"
  condition: any
  rules:
    - 'f:/etc/os-release'
variables:
  $sshd: /etc/ssh/sshd_config
  $pam: /etc/pam.d/common-password,/etc/pam.d/system-auth
checks:
  - id: 1
    title: "root login disabled"
    remediation: "Set PermitRootLogin no"
    condition: all
    rules:
      - 'f:$sshd -> !r:^# && r:PermitRootLogin\s+no'
  - id: 2
    title: "MaxAuthTries at most 4"
    remediation: "Set MaxAuthTries 4"
    condition: all
    rules:
      - 'f:$sshd -> n:^\s*MaxAuthTries\s+(\d+) compare <= 4'
  - id: 3
    title: "no telnet configuration"
    condition: none
    rules:
      - 'f:/etc/xinetd.d/telnet'
  - id: 4
    title: "password quality in one of the PAM files"
    condition: any
    rules:
      - 'f:$pam -> r:pam_pwquality.so'
  - id: 5
    title: "ip forwarding off"
    condition: all
    rules:
      - 'f:/proc/sys/net/ipv4/ip_forward -> 0'
  - id: 6
    title: "chrony runs as _chrony (a conf.d file says so)"
    condition: any
    rules:
      - 'f:/etc/chrony/chrony.conf -> r:^user\s+_chrony'
      - 'd:/etc/chrony/conf.d -> r:\.conf$ -> r:^user\s+_chrony'
  - id: 7
    title: "avahi not enabled"
    condition: all
    rules:
      - 'not c:systemctl is-enabled avahi-daemon.service -> r:^enabled'
  - id: 8
    title: "no world-readable shadow backup and no nis"
    condition: all
    rules:
      - 'not f:/etc/shadow-'
      - 'not p:ypbind'
  - id: 9
    title: "banner without OS name (look-behind regex)"
    condition: all
    rules:
      - 'not f:/etc/issue -> r:(?<!no )Debian'
"#;

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

#[test]
fn every_rule_kind_on_a_written_root() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "etc/os-release", "ID=debian\n");
    write(
        root,
        "etc/ssh/sshd_config",
        "# PermitRootLogin yes\nPermitRootLogin no\nMaxAuthTries 6\n",
    );
    write(
        root,
        "etc/pam.d/system-auth",
        "password requisite pam_pwquality.so retry=3\n",
    );
    write(root, "proc/sys/net/ipv4/ip_forward", "1\n");
    write(
        root,
        "etc/chrony/chrony.conf",
        "pool 2.debian.pool.ntp.org\n",
    );
    write(root, "etc/chrony/conf.d/10-user.conf", "user _chrony\n");
    write(root, "etc/issue", "Debian GNU/Linux 12\n");
    let policy = Policy::parse(POLICY, "vigie_test.yml").expect("parses");
    assert!(policy.problems.is_empty(), "{:?}", policy.problems);
    let opts = Options {
        root: root.to_path_buf(),
        run_commands: false,
    };
    let results = evaluate(&policy, &opts).expect("requirements met");
    let text: Vec<String> = results
        .iter()
        .map(|r| {
            let why = match &r.outcome {
                vigie_sca::Outcome::NotApplicable(reason) => format!(" ({reason})"),
                _ => String::new(),
            };
            format!(
                "{} {}: {}{why}",
                r.check.id,
                r.check.title,
                r.outcome.as_str()
            )
        })
        .collect();
    insta::assert_snapshot!(text.join("\n"));

    // Requirements not met: the policy is not run.
    let empty = tempfile::tempdir().expect("temp dir");
    let e = evaluate(
        &policy,
        &Options {
            root: empty.path().to_path_buf(),
            run_commands: false,
        },
    )
    .expect_err("not run");
    assert!(
        e.starts_with("the policy's requirements are not met"),
        "{e}"
    );
}

#[test]
fn bad_checks_are_named_and_the_rest_kept() {
    let text = POLICY
        .replace("condition: none", "condition: sometimes")
        .replace(
            "'f:/proc/sys/net/ipv4/ip_forward -> 0'",
            "'f:/proc/sys/net/ipv4/ip_forward -> n:(\\d+ compare <= 1'",
        );
    let policy = Policy::parse(&text, "broken.yml").expect("parses");
    assert_eq!(policy.checks.len(), 7);
    insta::assert_snapshot!(format!("{:#?}", policy.problems));
    let e = Policy::parse("checks: []", "x.yml").expect_err("refused");
    assert_eq!(
        e.to_string(),
        "x.yml: not an SCA policy: no `policy` section"
    );
}
