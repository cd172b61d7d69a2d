//! Threat-intel matches as detections: one synthetic rule per indicator type, so that intel
//! hits sort, spill, count and are silenced like rule detections, each carrying the indicator.

use vigie_event::{Event, Value};
use vigie_intel::IndicatorType;
use vigie_intel_match::{IntelHit, IntelIndex};

use crate::detection::{Detection, IntelRef, RuleHead};

/// The level of an intel detection: an indicator meant for detection matched.
pub const INTEL_LEVEL: &str = "high";

/// The synthetic rule id of hits on indicators of `kind` (`intel-domain`).
pub fn intel_rule_id(kind: IndicatorType) -> String {
    format!("intel-{}", kind.as_str())
}

fn title(kind: IndicatorType) -> &'static str {
    match kind {
        IndicatorType::Ipv4 | IndicatorType::Ipv6 => "Threat intel: known-bad IP address",
        IndicatorType::Cidr => "Threat intel: address in a known-bad network",
        IndicatorType::Domain => "Threat intel: known-bad domain",
        IndicatorType::Url => "Threat intel: known-bad URL",
        IndicatorType::Md5
        | IndicatorType::Sha1
        | IndicatorType::Sha256
        | IndicatorType::Sha512 => "Threat intel: known-bad file hash",
        IndicatorType::Email => "Threat intel: known-bad e-mail address",
        IndicatorType::Filename => "Threat intel: known-bad file name",
        IndicatorType::StixPattern => "Threat intel: STIX pattern",
    }
}

/// The heads of intel detections, numbered from `first` on, in [`IndicatorType::ALL`] order.
pub(crate) fn intel_heads(first: usize) -> Vec<RuleHead> {
    IndicatorType::ALL
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            RuleHead::synthetic(
                first + i,
                &intel_rule_id(kind),
                title(kind),
                INTEL_LEVEL,
                "intel",
            )
        })
        .collect()
}

/// The head index of hits on `kind`, among heads made by [`intel_heads`] from `first`.
fn head_of(first: usize, kind: IndicatorType) -> usize {
    first
        + IndicatorType::ALL
            .iter()
            .position(|&k| k == kind)
            .unwrap_or(0)
}

/// The detections of an event's intel hits, in the order the index finds them.
pub(crate) fn intel_detections(
    index: &IntelIndex,
    heads: &[RuleHead],
    first: usize,
    event: &Event,
    source: &str,
    mut each: impl FnMut(Detection),
) {
    index.for_each_match(event, |hit: IntelHit| {
        let Some(head) = heads.get(head_of(first, hit.kind)) else {
            return;
        };
        let mut d = Detection::from_event(
            head,
            event,
            source,
            vec![(hit.field.into(), Value::str(hit.value))],
        );
        d.intel = Some(Box::new(IntelRef {
            indicator_id: hit.indicator_id,
            indicator_type: hit.kind.as_str().to_owned(),
            indicator: hit.indicator.to_owned(),
            intel_source: hit.source.to_owned(),
            tlp: format!("TLP:{}", hit.tlp.as_str().to_ascii_uppercase()),
        }));
        each(d);
    });
}
