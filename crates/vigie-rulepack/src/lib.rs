//! Rule packs users have: `vigie rules update` downloads the SigmaHQ release archive,
//! unpacks its rules into the user's data folder, checks that they load, and installs them
//! in place of the previous pack only then. Hunts without `--rules` use the installed pack
//! beside Vigie's built-in rules.

mod install;
mod location;

pub use install::{update, UpdateError, UpdateReport, DEFAULT_URL};
pub use location::{cache_dir, data_dir, installed_pack, PackInfo};
