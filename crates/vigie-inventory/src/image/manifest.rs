//! Which layers make the image, in order: `docker save`'s `manifest.json` (`Layers`), else the
//! OCI layout's `index.json`, following indexes of manifests (linux/amd64, else the only one)
//! to an image manifest whose layers are blobs under `blobs/ALGORITHM/HEX`.

use serde_json::Value;

use super::container::Container;

/// Largest JSON document of the layout read.
const MAX_JSON: u64 = 8 << 20;
/// Indexes of indexes followed before giving up.
const MAX_DEPTH: usize = 4;

/// A manifest problem: the file inside the image, and the reason.
pub(crate) struct ManifestError {
    pub file: String,
    pub reason: String,
}

fn err(file: &str, reason: impl Into<String>) -> ManifestError {
    ManifestError {
        file: file.to_owned(),
        reason: reason.into(),
    }
}

/// The archive paths of the image's layers, lowest first.
pub(crate) fn layers(c: &Container) -> Result<Vec<String>, ManifestError> {
    if c.has("manifest.json") {
        return docker_layers(c);
    }
    if c.has("index.json") {
        let index = json(c, "index.json")?;
        return oci_layers(c, "index.json", &index, 0);
    }
    Err(err(
        "",
        "neither an OCI image layout (index.json) nor a `docker save` tarball (manifest.json)",
    ))
}

fn json(c: &Container, name: &str) -> Result<Value, ManifestError> {
    let bytes = c.read_member(name, MAX_JSON).map_err(|r| err(name, r))?;
    serde_json::from_slice(&bytes).map_err(|e| err(name, format!("invalid JSON: {e}")))
}

fn docker_layers(c: &Container) -> Result<Vec<String>, ManifestError> {
    let f = "manifest.json";
    let doc = json(c, f)?;
    let images = doc
        .as_array()
        .ok_or_else(|| err(f, "not an array of images"))?;
    let image = match images.as_slice() {
        [one] => one,
        [] => return Err(err(f, "no image")),
        many => {
            return Err(err(
                f,
                format!(
                    "{} images in one tarball: save one image at a time",
                    many.len()
                ),
            ))
        }
    };
    let layers = image
        .get("Layers")
        .and_then(Value::as_array)
        .ok_or_else(|| err(f, "no `Layers` array"))?;
    layers
        .iter()
        .map(|l| {
            l.as_str()
                .map(str::to_owned)
                .ok_or_else(|| err(f, "a `Layers` entry that is not a string"))
        })
        .collect()
}

/// The blob path of a descriptor's digest (`sha256:HEX` → `blobs/sha256/HEX`); anything but a
/// lowercase algorithm and hex digits is refused, so a digest cannot name another path.
fn blob(file: &str, desc: &Value) -> Result<String, ManifestError> {
    let digest = desc
        .get("digest")
        .and_then(Value::as_str)
        .ok_or_else(|| err(file, "a descriptor without `digest`"))?;
    let ok = digest.split_once(':').filter(|(alg, hex)| {
        !alg.is_empty()
            && alg
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && !hex.is_empty()
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
    });
    let (alg, hex) = ok.ok_or_else(|| err(file, format!("malformed digest {digest:?}")))?;
    Ok(format!("blobs/{alg}/{hex}"))
}

fn is_index(doc: &Value, desc_type: Option<&str>) -> bool {
    let t = desc_type.or_else(|| doc.get("mediaType").and_then(Value::as_str));
    matches!(
        t,
        Some(
            "application/vnd.oci.image.index.v1+json"
                | "application/vnd.docker.distribution.manifest.list.v2+json"
        )
    ) || (t.is_none() && doc.get("manifests").is_some())
}

/// The descriptor to follow from an index: linux/amd64, else the only one.
fn pick<'a>(file: &str, index: &'a Value) -> Result<&'a Value, ManifestError> {
    let manifests = index
        .get("manifests")
        .and_then(Value::as_array)
        .ok_or_else(|| err(file, "no `manifests` array"))?;
    let platform = |m: &Value, k: &str| {
        m.get("platform")
            .and_then(|p| p.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if let Some(m) = manifests.iter().find(|m| {
        platform(m, "os").as_deref() == Some("linux")
            && platform(m, "architecture").as_deref() == Some("amd64")
    }) {
        return Ok(m);
    }
    match manifests.as_slice() {
        [one] => Ok(one),
        [] => Err(err(file, "no manifest")),
        many => Err(err(
            file,
            format!("{} manifests and none for linux/amd64", many.len()),
        )),
    }
}

fn oci_layers(
    c: &Container,
    file: &str,
    index: &Value,
    depth: usize,
) -> Result<Vec<String>, ManifestError> {
    if depth > MAX_DEPTH {
        return Err(err(file, "indexes nested too deep"));
    }
    let desc = pick(file, index)?;
    let name = blob(file, desc)?;
    let doc = json(c, &name)?;
    if is_index(&doc, desc.get("mediaType").and_then(Value::as_str)) {
        return oci_layers(c, &name, &doc, depth + 1);
    }
    let layers = doc
        .get("layers")
        .and_then(Value::as_array)
        .ok_or_else(|| err(&name, "an image manifest without `layers`"))?;
    layers.iter().map(|l| blob(&name, l)).collect()
}
