//! Reading the parts of a zip package (DOCX, ODT) within limits: a member
//! that inflates past the cap, too many members, or an encrypted member is
//! refused with a clear error instead of exhausting the machine.

use super::ReadError;
use std::io::{Cursor, Read};
use zip::ZipArchive;

pub use crate::limits::Limits;

/// An opened package.
pub struct Package {
    archive: ZipArchive<Cursor<Vec<u8>>>,
    limits: Limits,
    names: Vec<String>,
}

impl Package {
    /// Opens the package in `bytes`.
    pub fn open(bytes: Vec<u8>, limits: Limits) -> Result<Package, ReadError> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ReadError::Corrupt(format!("not a valid zip package ({e})")))?;
        if archive.len() > limits.max_entries {
            return Err(ReadError::Limit {
                what: format!("the package has {} members", archive.len()),
                limit: format!("at most {} members", limits.max_entries),
                setting: "max-entries",
            });
        }
        let names = archive.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
        Ok(Package { archive, limits, names })
    }

    /// The members' names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The text of member `name`, or `None` when there is no such member.
    pub fn read(&mut self, name: &str) -> Result<Option<String>, ReadError> {
        let mut file = match self.archive.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(ReadError::Corrupt(format!("cannot read {name} ({e})"))),
        };
        if file.encrypted() {
            return Err(ReadError::Encrypted);
        }
        let cap = self.limits.max_member_bytes;
        let mut bytes = Vec::new();
        // The header's size may lie: read one byte past the cap to know.
        (&mut file)
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Corrupt(format!("cannot inflate {name} ({e})")))?;
        if bytes.len() as u64 > cap {
            return Err(ReadError::Limit {
                what: format!("{name} inflates to more than {cap} bytes"),
                limit: format!("at most {cap} bytes per member"),
                setting: "max-member-bytes",
            });
        }
        String::from_utf8(bytes).map(Some).map_err(|e| {
            ReadError::Corrupt(format!("{name} is not UTF-8 (byte {})", e.utf8_error().valid_up_to()))
        })
    }
}
