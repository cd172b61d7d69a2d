//! `vigie stix match`: a STIX 2.1 pattern over observed-data, answered `match` (exit 0) or
//! `nomatch` (exit 1) on stdout; a pattern that does not parse or cannot be evaluated, and
//! unreadable observations, exit 2 with the reason and a hint on stderr.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use vigie_stix_pattern::{parse, EvalError, Observations, ParseError, ValidationError};

use crate::cli::StixCommand;
use crate::ui::{paint, Hint};

pub fn run(command: StixCommand) -> Result<ExitCode> {
    match command {
        StixCommand::Match { pattern, observed } => run_match(&pattern, &observed),
    }
}

fn run_match(pattern: &str, observed: &Path) -> Result<ExitCode> {
    let parsed = parse(pattern)
        .map_err(|e| anyhow!("invalid STIX pattern: {e}\n{}", caret(pattern, &e)))
        .context(Hint(
            "a pattern is [object-type:property OPERATOR value] observations joined by AND, OR \
             or FOLLOWEDBY; keywords are upper case, strings take single quotes ('it\\'s'), \
             timestamps are written t'2024-01-31T12:00:00Z'"
                .into(),
        ))?;
    for finding in parsed.validate() {
        if !matches!(finding, ValidationError::Parse(_)) {
            eprintln!("{} {finding}", paint("warning:", "1;33"));
        }
    }
    let compiled = parsed.compile().map_err(eval_error)?;
    let text = std::fs::read_to_string(observed)
        .with_context(|| format!("cannot read {}", observed.display()))
        .context(Hint("--observed takes a JSON file".into()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{} is not JSON: {e}", observed.display()))
        .context(Hint(OBSERVED_HINT.into()))?;
    let obs = Observations::from_json(&json)
        .map_err(|e| {
            anyhow!(
                "cannot read the observations in {}: {e}",
                observed.display()
            )
        })
        .context(Hint(OBSERVED_HINT.into()))?;
    let result = compiled.matches(&obs).map_err(eval_error)?;
    if result.matched {
        println!("match");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("nomatch");
        Ok(ExitCode::from(1))
    }
}

const OBSERVED_HINT: &str = "the file holds a STIX bundle, a list of bundles or a list of \
    observed-data; each observed-data needs first_observed, last_observed, number_observed and \
    object_refs (or a STIX 2.0 objects dictionary)";

/// The pattern line where parsing stopped, with a caret under the place.
fn caret(pattern: &str, e: &ParseError) -> String {
    let line = pattern.lines().nth(e.line.saturating_sub(1)).unwrap_or("");
    format!("  {line}\n  {}^", " ".repeat(e.column.saturating_sub(1)))
}

fn eval_error(e: EvalError) -> anyhow::Error {
    let hint = match &e {
        EvalError::InvalidTimestampLiteral(_) => {
            "timestamp literals must be real dates and times, such as t'2024-02-29T23:59:59Z'"
        }
        EvalError::NonHomogeneousSet(_) => {
            "the values of an IN set must all be of one type (integers and decimals may mix)"
        }
        EvalError::InvalidRegex { .. } => {
            "MATCHES takes a regular expression in the syntax of the Rust regex crate \
             (PCRE-like, without look-around or back-references)"
        }
        EvalError::InvalidWithin(_) | EvalError::InvalidRepeats(_) => {
            "WITHIN takes a positive number of SECONDS and REPEATS a count of at least 1"
        }
        EvalError::InvalidJsonTimestamp(_) => {
            "compared with a t'...' literal, the property must hold timestamps such as \
             2024-01-31T12:00:00Z in every object of that type"
        }
        EvalError::InvalidIp(_) | EvalError::InvalidCidr(_) => {
            "ISSUBSET takes a subnet such as '198.51.100.0/24' and the property must hold IP \
             addresses or subnets; ISSUPERSET takes an address or subnet and the property must \
             hold subnets"
        }
        EvalError::BadReference { .. } => {
            "a *_ref property must hold an object id, a *_refs property a list of ids"
        }
        EvalError::BadBinaryProperty { .. } => {
            "a *_hex property must hold hex digits and a *_bin property base64"
        }
        EvalError::BinaryNotUtf8 => "use MATCHES to test binary values that are not text",
        EvalError::ReversedInterval(_) => "first_observed must not be after last_observed",
        EvalError::TimeOutOfRange => "use a smaller WITHIN duration",
        EvalError::TooComplex(_) => {
            "narrow the pattern (a START/STOP window, a tighter comparison, a smaller REPEATS \
             count) or the observations"
        }
        _ => "the pattern is valid STIX but cannot be evaluated over these observations",
    };
    anyhow!("cannot evaluate the STIX pattern: {e}").context(Hint(hint.into()))
}
