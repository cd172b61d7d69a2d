//! Container images read directly: an OCI image layout (a folder, or packed as a tar) or a
//! `docker save` tarball. The layers are applied in order onto a file map holding only the
//! files the inventory reads (whiteouts honoured, links resolved inside the image), that view
//! is written to a temporary folder, and the root and lockfile readers run on it; every
//! package's and error's file is then named `IMAGE!path/inside/the/image`.

mod container;
mod error;
mod layer;
mod manifest;
mod paths;
mod tree;
mod view;
mod wanted;

use std::path::{Path, PathBuf};

pub use error::ImageError;

use crate::{Inventory, InventoryError};

/// Limits on what an image may make the inventory hold.
#[derive(Debug, Clone, Copy)]
pub struct ImageLimits {
    /// A layer member the inventory reads that is larger than this is skipped (reported).
    pub max_member: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        ImageLimits {
            max_member: 256 << 20,
        }
    }
}

/// The inventory of the image at `image` (OS packages and lockfiles), with default limits.
pub fn scan_image(image: &Path) -> Inventory {
    let mut inv = Inventory::default();
    inv.add_image(image, ImageLimits::default());
    inv
}

impl Inventory {
    /// Adds the packages of the image at `image`: those `add_root` and `add_path` would find in
    /// its final file system; each problem becomes an [`InventoryError::Image`].
    pub fn add_image(&mut self, image: &Path, limits: ImageLimits) {
        let mut errors = Vec::new();
        let tree = match build(image, limits, &mut errors) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if let Some(tree) = tree {
            self.read_view(image, &tree, &mut errors);
        }
        self.errors
            .extend(errors.into_iter().map(InventoryError::Image));
    }

    fn read_view(&mut self, image: &Path, tree: &tree::Tree, errors: &mut Vec<ImageError>) {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(source) => {
                errors.push(ImageError::Read {
                    image: image.to_path_buf(),
                    source,
                });
                return;
            }
        };
        let mut view_errors = Vec::new();
        view::write(tree, dir.path(), &mut view_errors);
        errors.extend(view_errors.into_iter().map(|e| ImageError::View {
            image: image.to_path_buf(),
            path: e.path,
            reason: e.reason,
        }));
        let mut inner = Inventory::default();
        inner.add_root(dir.path());
        inner.add_path(dir.path());
        let rename = |p: &mut PathBuf| {
            if let Ok(rel) = p.strip_prefix(dir.path()) {
                *p = PathBuf::from(format!("{}!{}", image.display(), rel.display()));
            }
        };
        for mut p in inner.packages {
            rename(&mut p.source);
            self.packages.push(p);
        }
        for mut e in inner.errors {
            if let Some(p) = e.path_mut() {
                rename(p);
            }
            self.errors.push(e);
        }
    }
}

/// Applies the image's layers in order; an error is returned when there is no image to read.
fn build(
    image: &Path,
    limits: ImageLimits,
    errors: &mut Vec<ImageError>,
) -> Result<tree::Tree, ImageError> {
    let c = container::Container::open(image).map_err(|reason| ImageError::Format {
        image: image.to_path_buf(),
        reason,
    })?;
    let layers = manifest::layers(&c).map_err(|e| match e.file.as_str() {
        "" => ImageError::Format {
            image: image.to_path_buf(),
            reason: e.reason,
        },
        _ => ImageError::Manifest {
            image: image.to_path_buf(),
            file: e.file,
            reason: e.reason,
        },
    })?;
    let mut tree = tree::Tree::default();
    for name in layers {
        let layer_err = |reason: String| ImageError::Layer {
            image: image.to_path_buf(),
            layer: name.clone(),
            reason,
        };
        let reader = match c.open_member(&name) {
            Ok((r, _)) => r,
            Err(reason) => {
                errors.push(layer_err(reason));
                continue;
            }
        };
        let mut skipped = Vec::new();
        let done = layer::apply(&mut tree, reader, limits.max_member, &mut skipped);
        errors.extend(skipped.into_iter().map(|s| ImageError::Member {
            image: image.to_path_buf(),
            layer: name.clone(),
            member: s.member,
            reason: s.reason,
        }));
        if let Err(reason) = done {
            errors.push(layer_err(reason));
        }
    }
    Ok(tree)
}
