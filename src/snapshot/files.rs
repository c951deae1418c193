//! The files of a snapshot folder: the one place that touches the file system.
//!
//! The evidence is exactly the regular files inside the folder. [`Files::scan`] lists the tree once
//! with `symlink_metadata` (nothing is followed or opened): a symbolic link, FIFO, socket or device
//! anywhere inside is an input error naming it, as is a file larger than [`MAX_FILE_BYTES`] or a
//! name that is not UTF-8. [`Files::read`] then opens only files that scan listed, without
//! following links and without blocking (`O_NOFOLLOW | O_NONBLOCK` on Unix), re-checks that the
//! open file is regular, reads at most the bound, and hashes the very bytes it returns, so every
//! file is read once: parsed and hashed from the same buffer. [`Files::finish`] hashes the files
//! nobody read. [`Files::read`] takes `&self` (each file's hash is set once), so the loader reads
//! accounts on several threads at once.
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::{EvidenceFile, SnapshotError};

/// The largest file a snapshot may hold (256 MiB). The largest AWS CLI output in the layout is a
/// Route 53 record-set list: 10,000 records (the default quota per zone) take a few MiB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug)]
pub struct Files {
    root: PathBuf,
    /// Relative path ('/'-separated) → the SHA-256 of its bytes, once it was read.
    files: BTreeMap<String, OnceLock<String>>,
    /// Relative paths of every folder (the root excluded).
    dirs: BTreeSet<String>,
}

fn io_err(file: &str, source: std::io::Error) -> SnapshotError {
    SnapshotError::Io {
        file: file.to_string(),
        cause: source,
    }
}

fn not_evidence(file: &str, what: &str) -> SnapshotError {
    SnapshotError::Field {
        file: file.to_string(),
        path: "(file)".into(),
        message: format!(
            "is {what}; a snapshot's evidence is the regular files inside its folder, so it may hold nothing else"
        ),
    }
}

fn too_large(file: &str, len: u64) -> SnapshotError {
    SnapshotError::Field {
        file: file.to_string(),
        path: "(file)".into(),
        message: format!(
            "is {len} bytes, more than the {} MiB a snapshot file may have",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    }
}

fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device file";
        }
    }
    "not a regular file"
}

impl Files {
    /// List every entry under `root` (which must be a folder; it may itself be a link to one,
    /// since it is what the user named).
    pub fn scan(root: &Path) -> Result<Files, SnapshotError> {
        let mut files = Files {
            root: root.to_path_buf(),
            files: BTreeMap::new(),
            dirs: BTreeSet::new(),
        };
        let mut stack = vec![String::new()];
        while let Some(rel_dir) = stack.pop() {
            let dir = files.abs(&rel_dir);
            let shown = if rel_dir.is_empty() { "." } else { &rel_dir };
            let mut entries = fs::read_dir(&dir)
                .and_then(|d| d.collect::<std::io::Result<Vec<_>>>())
                .map_err(|e| io_err(shown, e))?;
            // Sorted, so the first problem reported does not depend on the file system's order.
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let name = entry.file_name();
                let Some(name) = name.to_str() else {
                    return Err(SnapshotError::Field {
                        file: join(&rel_dir, &name.to_string_lossy()),
                        path: "(file)".into(),
                        message: "the file name is not UTF-8".into(),
                    });
                };
                let rel = join(&rel_dir, name);
                let meta = fs::symlink_metadata(entry.path()).map_err(|e| io_err(&rel, e))?;
                if meta.is_dir() {
                    files.dirs.insert(rel.clone());
                    stack.push(rel);
                } else if meta.is_file() {
                    if meta.len() > MAX_FILE_BYTES {
                        return Err(too_large(&rel, meta.len()));
                    }
                    files.files.insert(rel, OnceLock::new());
                } else {
                    return Err(not_evidence(&rel, kind_of(&meta)));
                }
            }
        }
        Ok(files)
    }

    fn abs(&self, rel: &str) -> PathBuf {
        rel.split('/')
            .filter(|c| !c.is_empty())
            .fold(self.root.clone(), |p, c| p.join(c))
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        self.dirs.contains(rel)
    }

    /// The names of the files and of the folders directly inside folder `rel` ("" = the root).
    pub fn children<'a>(&'a self, rel: &str) -> (Vec<&'a str>, Vec<&'a str>) {
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        fn direct(p: &str, len: usize) -> Option<&str> {
            let rest = &p[len..];
            (!rest.is_empty() && !rest.contains('/')).then_some(rest)
        }
        let len = prefix.len();
        let files = self
            .files
            .range(prefix.clone()..)
            .map(|(p, _)| p)
            .take_while(|p| p.starts_with(prefix.as_str()))
            .filter_map(|p| direct(p, len))
            .collect();
        let dirs = self
            .dirs
            .range(prefix.clone()..)
            .take_while(|p| p.starts_with(prefix.as_str()))
            .filter_map(|p| direct(p, len))
            .collect();
        (files, dirs)
    }

    /// Read a file that [`Files::scan`] listed, once; `None` if the snapshot has no such file.
    pub fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, SnapshotError> {
        let Some(state) = self.files.get(rel) else {
            return Ok(None);
        };
        // Each file is read once; a second read would be a loader bug, not an input error.
        debug_assert!(state.get().is_none(), "{rel} read twice");
        let bytes = read_bounded(&self.abs(rel), rel)?;
        let sha = hex(&Sha256::digest(&bytes));
        let _ = state.set(sha);
        Ok(Some(bytes))
    }

    /// Hash every file not read yet; returns the evidence (sorted by path) and the files nobody
    /// read.
    pub fn finish(self) -> Result<(Vec<EvidenceFile>, Vec<String>), SnapshotError> {
        let unread: Vec<String> = self
            .files
            .iter()
            .filter(|(_, s)| s.get().is_none())
            .map(|(p, _)| p.clone())
            .collect();
        for rel in &unread {
            self.read(rel)?;
        }
        let evidence = self
            .files
            .into_iter()
            .map(|(path, state)| EvidenceFile {
                path,
                sha256: state.into_inner().unwrap_or_default(),
            })
            .collect();
        Ok((evidence, unread))
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Not following a link swapped in after the scan, and not blocking on a FIFO swapped in
    // (O_NONBLOCK has no effect on regular files).
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<fs::File> {
    fs::File::open(path)
}

fn read_bounded(path: &Path, rel: &str) -> Result<Vec<u8>, SnapshotError> {
    let file = open(path).map_err(|e| io_err(rel, e))?;
    let meta = file.metadata().map_err(|e| io_err(rel, e))?;
    if !meta.is_file() {
        return Err(not_evidence(rel, kind_of(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(rel, meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_err(rel, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(rel, bytes.len() as u64));
    }
    Ok(bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
