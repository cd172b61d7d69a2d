//! `vigie version compare ECOSYSTEM A B`: the order of two versions by an ecosystem's rules
//! (`vigie-version`), printed as `<`, `=` or `>`.

use std::cmp::Ordering;
use std::process::ExitCode;

use anyhow::{Context, Result};
use vigie_version::{compare, Ecosystem, Scheme, VersionError};

use crate::cli::VersionCommand;
use crate::ui::Hint;

pub fn run(command: VersionCommand) -> Result<ExitCode> {
    match command {
        VersionCommand::Compare { ecosystem, a, b } => {
            let eco: Ecosystem = ecosystem.parse().context(Hint(
                "name an OSV ecosystem, case-insensitive, e.g. Debian, \"Red Hat\", Alpine, PyPI, npm, crates.io; a release suffix (Debian:12) is allowed".into(),
            ))?;
            // The ecosystem is known here, so the only error left is an invalid version.
            let order = compare(eco, &a, &b).map_err(|e: VersionError| {
                anyhow::Error::new(e).context(Hint(example(eco.scheme())))
            })?;
            println!(
                "{}",
                match order {
                    Ordering::Less => "<",
                    Ordering::Equal => "=",
                    Ordering::Greater => ">",
                }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What versions of a scheme look like, for the hint.
fn example(scheme: Scheme) -> String {
    let shapes = match scheme {
        Scheme::Dpkg => "[epoch:]upstream[-revision], e.g. 1:2.30-1+deb12u1",
        Scheme::Rpm => "[epoch:]version[-release], e.g. 2:8.2.2637-20.el9",
        Scheme::Apk => "number{.number}[letter]{_suffix[N]}[-rN], e.g. 1.2.3_rc1-r0",
        Scheme::Pep440 => "PEP 440, e.g. 1!2.0.post1 or 1.0rc1+local",
        Scheme::Maven => "e.g. 1.2.3, 2.0-beta-1 or 3.1.0.RELEASE",
        Scheme::RubyGems => "numbers and letters separated by dots, e.g. 1.2.3.pre1",
        Scheme::SemVer => "MAJOR.MINOR.PATCH[-pre][+build], e.g. 1.2.3-rc.1 or v1.2.3",
        Scheme::Packagist => "e.g. 1.2.3, v2.0.0-beta2 or 1.0-dev",
        Scheme::NuGet => "up to four numbers[-pre][+metadata], e.g. 1.2.3.4-beta.1",
        Scheme::Pub => "MAJOR.MINOR.PATCH[-pre][+build], e.g. 1.2.3+1",
        Scheme::Cran => "numbers separated by '.' or '-', e.g. 1.2-3",
        Scheme::Hackage => "numbers separated by '.', e.g. 1.2.0.3",
    };
    format!(
        "{} versions look like {shapes}; put -- before versions that begin with a dash",
        scheme.name()
    )
}
