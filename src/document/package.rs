//! Reading the parts of a zip package (DOCX, ODT) within limits: a member
//! that inflates past the cap, too many members, or an encrypted member is
//! refused with a clear error instead of exhausting the machine.

use super::ReadError;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

pub use crate::limits::Limits;

/// An opened package.
#[derive(Debug, Clone)]
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
        let Some(bytes) = self.read_bytes(name)? else { return Ok(None) };
        String::from_utf8(bytes).map(Some).map_err(|e| {
            ReadError::Corrupt(format!("{name} is not UTF-8 (byte {})", e.utf8_error().valid_up_to()))
        })
    }

    /// The bytes of member `name`, or `None` when there is no such member.
    pub fn read_bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
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
        Ok(Some(bytes))
    }

    /// The package with the members in `edited` replaced (or added), every
    /// other member copied raw: same compressed bytes, same order.
    pub fn repack(&mut self, mut edited: BTreeMap<&str, Vec<u8>>) -> Result<Vec<u8>, ReadError> {
        let failed = |e: zip::result::ZipError| ReadError::Corrupt(format!("cannot write the package ({e})"));
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for i in 0..self.archive.len() {
            let file = self.archive.by_index_raw(i).map_err(failed)?;
            let name = file.name().map_err(failed)?.into_owned();
            match edited.remove(name.as_str()) {
                Some(bytes) => {
                    drop(file);
                    writer.start_file(name, options).map_err(failed)?;
                    writer.write_all(&bytes).map_err(|e| failed(e.into()))?;
                }
                None => writer.raw_copy_file(file).map_err(failed)?,
            }
        }
        for (name, bytes) in edited {
            writer.start_file(name, options).map_err(failed)?;
            writer.write_all(&bytes).map_err(|e| failed(e.into()))?;
        }
        Ok(writer.finish().map_err(failed)?.into_inner())
    }
}
