//! Why an image, or a part of it, could not be read: the image, the file or layer inside it,
//! and the reason.

use std::path::PathBuf;

/// One problem met while reading a container image; reading goes on after each.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The image path itself cannot be read.
    #[error("{}: cannot read image: {source}", image.display())]
    Read {
        image: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Neither an OCI layout nor a `docker save` tarball, or no image to pick.
    #[error("{}: {reason}", image.display())]
    Format { image: PathBuf, reason: String },
    /// A file of the layout (`index.json`, `manifest.json`, a manifest blob) is missing or wrong.
    #[error("{}!{file}: {reason}", image.display())]
    Manifest {
        image: PathBuf,
        file: String,
        reason: String,
    },
    /// A layer that could not be read (to its end); the layers after it are still applied.
    #[error("{}: layer {layer}: {reason}", image.display())]
    Layer {
        image: PathBuf,
        layer: String,
        reason: String,
    },
    /// A layer member skipped: a path leaving the root, a size over the limit, a hard link to
    /// nothing.
    #[error("{}: layer {layer}: {member}: {reason}", image.display())]
    Member {
        image: PathBuf,
        layer: String,
        member: String,
        reason: String,
    },
    /// A file of the image's final view that could not be resolved (symbolic link loop) or
    /// written for the readers.
    #[error("{}!{path}: {reason}", image.display())]
    View {
        image: PathBuf,
        path: String,
        reason: String,
    },
}

impl ImageError {
    /// The image the error is about.
    pub fn image(&self) -> &std::path::Path {
        match self {
            ImageError::Read { image, .. }
            | ImageError::Format { image, .. }
            | ImageError::Manifest { image, .. }
            | ImageError::Layer { image, .. }
            | ImageError::Member { image, .. }
            | ImageError::View { image, .. } => image,
        }
    }
}
