//! Reads zip containers (docx, odt, xlsx, ods) with limits, so damaged archives and zip bombs are refused.

use std::io::{Cursor, Read, Write};

use zip::ZipArchive;
use zip::result::ZipError;

use super::FormatError;

/// Refuse an archive that declares more than this many uncompressed bytes in all.
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;
/// Refuse an entry that declares it inflates to more than this many times its compressed size.
pub const MAX_RATIO: u64 = 100;
/// Entries smaller than this are too small to bomb; a short, repetitive XML part may compress very well.
pub const RATIO_MIN_BYTES: u64 = 1024 * 1024;

/// The start of an OLE compound file: what a password-protected Office file or an old .doc/.xls is.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A zip archive checked against the limits, whose entries are read with a byte budget.
pub struct SafeZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    format: &'static str,
    /// Bytes still allowed to be inflated (declared sizes can lie, so reads count real bytes).
    budget: u64,
}

fn mib(bytes: u64) -> String {
    format!("{} MB", bytes.div_ceil(1024 * 1024))
}

impl<'a> SafeZip<'a> {
    /// Opens an archive and checks the declared sizes before anything is inflated.
    pub fn open(bytes: &'a [u8], format: &'static str) -> Result<Self, FormatError> {
        if bytes.starts_with(OLE_MAGIC) {
            return Err(FormatError::Invalid(format!(
                "this is a password-protected or old-style Office file, not a .{format}; open it, remove the password or save it as .{format}, and import again"
            )));
        }
        let damaged = FormatError::DamagedArchive { format };
        let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| damaged.clone())?;
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let entry = archive.by_index_raw(index).map_err(|_| damaged.clone())?;
            let size = entry.size();
            let compressed = entry.compressed_size().max(1);
            if size > RATIO_MIN_BYTES && size / compressed > MAX_RATIO {
                return Err(FormatError::ZipBomb {
                    what: format!(
                        "{} from {} bytes (more than {MAX_RATIO} times its size)",
                        mib(size),
                        entry.compressed_size()
                    ),
                });
            }
            total = total.saturating_add(size);
            if total > MAX_TOTAL_BYTES {
                return Err(FormatError::ZipBomb {
                    what: format!("more than {}", mib(MAX_TOTAL_BYTES)),
                });
            }
        }
        Ok(Self {
            archive,
            format,
            budget: MAX_TOTAL_BYTES,
        })
    }

    /// Whether the archive has an entry of this name.
    pub fn contains(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// Names of all entries, in archive order.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    /// Reads one entry (`None` when it is missing), inflating no more than it declares and the budget allows.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, FormatError> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        self.read_index(index).map(Some)
    }

    fn read_index(&mut self, index: usize) -> Result<Vec<u8>, FormatError> {
        let format = self.format;
        let entry = self.archive.by_index(index).map_err(|e| match e {
            ZipError::UnsupportedArchive(_) | ZipError::InvalidPassword => {
                FormatError::Invalid(format!(
                    "the .{format} is password-protected or uses a compression this version cannot read; save it again without a password and import the new file"
                ))
            }
            ZipError::CompressionMethodNotSupported(_) => FormatError::Invalid(format!(
                "the .{format} uses a compression this version cannot read; save it again from the program that made it"
            )),
            _ => FormatError::DamagedArchive { format },
        })?;
        let declared = entry.size();
        if declared > self.budget {
            return Err(FormatError::ZipBomb {
                what: format!("more than {}", mib(MAX_TOTAL_BYTES)),
            });
        }
        let capacity = usize::try_from(declared.min(64 * 1024 * 1024)).unwrap_or(0);
        let mut out = Vec::with_capacity(capacity);
        entry
            .take(declared + 1)
            .read_to_end(&mut out)
            .map_err(|_| FormatError::DamagedArchive { format })?;
        let read = out.len() as u64;
        if read > declared {
            return Err(FormatError::ZipBomb {
                what: format!("more than the {declared} bytes an entry declares"),
            });
        }
        self.budget -= read;
        Ok(out)
    }

    /// Copies the archive with every entry stored uncompressed, read under the limits, for parsers that open
    /// archives themselves (calamine) and would otherwise inflate without a cap.
    pub fn repack_stored(self) -> Result<Vec<u8>, FormatError> {
        self.repack_stored_inspecting(|_, _| Ok(()))
    }

    /// [`SafeZip::repack_stored`], showing each entry's name and bytes to `inspect` first, which may refuse it.
    pub fn repack_stored_inspecting(
        mut self,
        mut inspect: impl FnMut(&str, &[u8]) -> Result<(), FormatError>,
    ) -> Result<Vec<u8>, FormatError> {
        let format = self.format;
        let damaged = || FormatError::DamagedArchive { format };
        let names = self.names();
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(true);
        for name in names {
            if name.ends_with('/') {
                continue;
            }
            let Some(index) = self.archive.index_for_name(&name) else {
                continue;
            };
            let data = self.read_index(index)?;
            inspect(&name, &data)?;
            writer
                .start_file(name.as_str(), options)
                .map_err(|_| damaged())?;
            writer.write_all(&data).map_err(|_| damaged())?;
        }
        writer
            .finish()
            .map(Cursor::into_inner)
            .map_err(|_| damaged())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            writer.start_file(*name, options).expect("start");
            writer.write_all(data).expect("write");
        }
        writer.finish().expect("finish").into_inner()
    }

    #[test]
    fn small_archives_read_normally() {
        let bytes = archive(&[("word/document.xml", "<w:t>Hei på deg</w:t>".as_bytes())]);
        let mut zip = SafeZip::open(&bytes, "docx").expect("open");
        assert!(zip.contains("word/document.xml"));
        let data = zip.read("word/document.xml").expect("read").expect("entry");
        assert_eq!(data, "<w:t>Hei på deg</w:t>".as_bytes());
        assert_eq!(zip.read("missing.xml").expect("read"), None);
    }

    #[test]
    fn high_ratio_is_refused_before_inflating() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let bytes = archive(&[("word/document.xml", &zeros)]);
        let error = SafeZip::open(&bytes, "docx").err().expect("refused");
        assert!(matches!(error, FormatError::ZipBomb { .. }), "{error}");
        assert!(error.to_string().contains("zip bomb"));
    }

    #[test]
    fn truncated_archives_are_damaged() {
        let bytes = archive(&[("content.xml", b"<office:document/>")]);
        let cut = &bytes[..bytes.len() / 2];
        assert_eq!(
            SafeZip::open(cut, "odt").err(),
            Some(FormatError::DamagedArchive { format: "odt" })
        );
    }

    #[test]
    fn an_entry_that_inflates_past_its_declared_size_is_refused() {
        // Text that deflates only moderately, so the ratio check passes and the size check must catch it.
        let mut text = String::new();
        let mut seed: u32 = 7;
        while text.len() < 200_000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            text.push(char::from(
                b'a' + u8::try_from((seed >> 16) % 26).unwrap_or(0),
            ));
        }
        let mut bytes = archive(&[("content.xml", text.as_bytes())]);
        // Patch the declared size (central directory and local header) down to 1000 bytes.
        let declared = u32::try_from(text.len()).expect("size").to_le_bytes();
        let patched = 1000u32.to_le_bytes();
        let mut count = 0;
        for i in 0..bytes.len().saturating_sub(4) {
            if bytes[i..i + 4] == declared {
                bytes[i..i + 4].copy_from_slice(&patched);
                count += 1;
            }
        }
        assert!(count >= 2, "patched {count} size fields");
        let mut zip = SafeZip::open(&bytes, "odt").expect("declared sizes are fine");
        let error = zip.read("content.xml").expect_err("refused");
        assert!(
            matches!(
                error,
                FormatError::ZipBomb { .. } | FormatError::DamagedArchive { .. }
            ),
            "{error}"
        );
    }
}
