//! The installed SCAP Security Guide data stream (Debian package ssg-debian), read at test time
//! (SKIPPED, loudly, when absent): the ANSSI average profile's selection, values and the
//! data stream's OVAL and CPE components.

use std::path::Path;

const DS: &str = "/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml";
const PROFILE: &str = "xccdf_org.ssgproject.content_profile_anssi_np_nt28_average";

#[test]
fn anssi_average_profile_of_ssg_debian11() {
    if !Path::new(DS).exists() {
        eprintln!("SKIPPED: {DS} absent (apt-get install ssg-debian)");
        return;
    }
    let text = std::fs::read_to_string(DS).expect("read");
    let content = vigie_xccdf::parse(&text, DS).expect("parses");
    assert!(content.data_stream);
    let b = &content.benchmark;
    assert_eq!(
        b.platforms,
        vec!["cpe:/o:debian:debian_linux:11".to_owned()]
    );
    assert_eq!(
        content
            .dictionary
            .get("cpe:/o:debian:debian_linux:11")
            .map(|(_, id)| id.as_str()),
        Some("oval:ssg-installed_OS_is_debian11:def:1")
    );
    // Rule checks live in the OVAL component, CPE checks in the CPE OVAL component.
    let comps: Vec<&vigie_xccdf::OvalSource> = content.sources.values().collect();
    assert!(comps.contains(&&vigie_xccdf::OvalSource::Component(
        "scap_org.open-scap_comp_ssg-debian11-oval.xml".into()
    )));
    assert!(comps.contains(&&vigie_xccdf::OvalSource::Component(
        "scap_org.open-scap_comp_ssg-debian11-cpe-oval.xml".into()
    )));
    let res = vigie_xccdf::resolve(b, Some(PROFILE), DS).expect("profile");
    let chosen = (0..b.rules.len())
        .filter(|&i| res.rule_selected(b, i))
        .count();
    // As `oscap xccdf eval --profile` lists them.
    assert_eq!(chosen, 45);
}
