//! `vigie inventory [PATH...] [--root DIR] [--image PATH]`: the software inventory
//! (`vigie-inventory`): OS packages under a root folder or in a container image and lockfile
//! packages under paths (and in the image), as a table or JSON lines on
//! stdout; each file that could not be read on stderr with its reason (exit code 1).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use vigie_inventory::{ImageLimits, Inventory, Package};

use crate::cli::ListFormat;
use crate::ui::{paint, Hint};

#[derive(Args, Debug)]
pub struct InventoryArgs {
    /// Files or folders to walk for lockfiles: Cargo.lock, package-lock.json, yarn.lock,
    /// pnpm-lock.yaml, pom.xml,
    /// requirements*.txt, poetry.lock, Pipfile.lock, uv.lock, go.mod, Gemfile.lock,
    /// composer.lock, `rpm -qa` query output (rpm-qa.txt, *.rpmqa), CycloneDX (bom.json,
    /// *.cdx.json) and SPDX (*.spdx.json) JSON SBOMs.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A root folder whose installed OS packages are listed (dpkg status, apk database,
    /// rpmdb.sqlite);
    /// `--root /` for this host.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// A container image whose OS packages and lockfiles are listed: an OCI image layout
    /// (folder or tar) or a `docker save` tarball; files named IMAGE!path/inside.
    #[arg(long, value_name = "PATH")]
    pub image: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// What to read: lockfile paths, a root folder, a container image.
pub struct Inputs<'a> {
    pub paths: &'a [PathBuf],
    pub root: Option<&'a Path>,
    pub image: Option<&'a Path>,
}

/// The inventory of a root folder and lockfile paths, each file not read reported on stderr;
/// `what` names the command's job in the error when there is nothing to read.
pub fn collect(inputs: &Inputs, what: &str) -> Result<Inventory> {
    let Inputs { paths, root, image } = *inputs;
    if paths.is_empty() && root.is_none() && image.is_none() {
        return Err(anyhow::anyhow!("nothing to {what}")).context(Hint(
            "give lockfile paths, --root DIR for the OS packages of a root folder (--root / \
             for this host), or --image PATH for a container image (OCI layout, docker save)"
                .into(),
        ));
    }
    let mut inv = Inventory::default();
    if let Some(root) = root {
        if !root.is_dir() {
            return Err(anyhow::anyhow!("{}: not a folder", root.display())).context(Hint(
                "--root takes the folder the system is installed in".into(),
            ));
        }
        inv.add_root(root);
    }
    if let Some(image) = image {
        if !image.exists() {
            return Err(anyhow::anyhow!(
                "{}: no such file or folder",
                image.display()
            ))
            .context(Hint(
                "--image takes an OCI image layout (folder or tar) or a `docker save` \
                     tarball"
                    .into(),
            ));
        }
        inv.add_image(image, ImageLimits::default());
    }
    for p in paths {
        inv.add_path(p);
    }
    for e in &inv.errors {
        eprintln!("{} {e}", paint("error:", "1;31"));
    }
    Ok(inv)
}

pub fn run(args: InventoryArgs) -> Result<ExitCode> {
    let inputs = Inputs {
        paths: &args.paths,
        root: args.root.as_deref(),
        image: args.image.as_deref(),
    };
    let inv = collect(&inputs, "inventory")?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Table => table(&mut out, &inv.packages)?,
        ListFormat::Jsonl => {
            for p in &inv.packages {
                serde_json::to_writer(&mut out, p)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    let files: std::collections::BTreeSet<&std::path::Path> =
        inv.packages.iter().map(|p| p.source.as_path()).collect();
    eprintln!(
        "{} packages from {} files, {} not read",
        inv.packages.len(),
        files.len(),
        inv.errors.len()
    );
    Ok(if inv.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Aligned columns: ecosystem, name, version, source package (when it differs from the
/// package), file.
fn table(out: &mut impl Write, packages: &[Package]) -> Result<()> {
    let rows: Vec<[String; 5]> = packages
        .iter()
        .map(|p| {
            // dpkg names may carry `:arch`; the source package never does.
            let bare = p.name.split(':').next().unwrap_or(&p.name);
            let src = match (&p.source_package, &p.source_version) {
                (Some(n), Some(v)) if n != bare || *v != p.version => format!("{n} {v}"),
                (Some(n), None) if n != bare => n.clone(),
                _ => "-".to_owned(),
            };
            [
                p.ecosystem.clone(),
                p.name.clone(),
                p.version.clone(),
                src,
                p.source.display().to_string(),
            ]
        })
        .collect();
    let head = ["ECOSYSTEM", "NAME", "VERSION", "SOURCE PACKAGE", "FILE"];
    let mut width = head.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: [&str; 5]| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                let pad = width[i] + 2 - c.chars().count();
                s.push_str(&" ".repeat(pad));
            }
        }
        writeln!(out, "{s}")
    };
    line(out, head)?;
    for r in &rows {
        line(out, [&r[0], &r[1], &r[2], &r[3], &r[4]])?;
    }
    Ok(())
}
