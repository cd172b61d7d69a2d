//! Fuzzes Wazuh SCA policies: any text as a policy (YAML, rules, regexes), and when it reads,
//! its rules evaluated against an empty root folder; nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_sca::{evaluate, Options, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(policy) = Policy::parse(text, "fuzz.yml") {
        let root = std::env::temp_dir().join("vigie-fuzz-empty-root");
        let _ = std::fs::create_dir_all(&root);
        let _ = evaluate(
            &policy,
            &Options {
                root,
                run_commands: false,
            },
        );
    }
});
