//! Source files and byte spans into them.
//!
//! Every value the checks talk about carries a [`Span`]: a file id and a byte
//! range. Line and column are computed only when a diagnostic is printed.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Bytes between the marks that count characters, so that the column of an
/// offset deep in a long line is found without counting the whole line.
const MARK: usize = 4096;

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// A zero-width span at the start of a file, for problems with the file
    /// as a whole.
    pub fn file_start(file: FileId) -> Self {
        Span::new(file, 0, 0)
    }

    pub fn width(&self) -> usize {
        (self.end - self.start) as usize
    }
}

/// One loaded file: its path as the user named it, and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Empty once released (see `SourceMap::release_unreferenced`).
    pub text: String,
    /// The text's length, kept when the text is released.
    len: usize,
    /// Where each line starts; files are at most 1 GiB (`max_file_bytes`).
    line_starts: Vec<u32>,
    /// Characters before each multiple of `MARK` bytes; made on first use.
    char_marks: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.match_indices('\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        SourceFile {
            path,
            len: text.len(),
            text,
            line_starts,
            char_marks: OnceLock::new(),
        }
    }

    /// The same file without its text: lines can still be numbered, and
    /// columns are counted in bytes. For files no diagnostic shows.
    pub fn released(&self) -> SourceFile {
        SourceFile {
            path: self.path.clone(),
            text: String::new(),
            len: self.len,
            line_starts: self.line_starts.clone(),
            char_marks: OnceLock::new(),
        }
    }

    fn start_of(&self, line: usize) -> usize {
        self.line_starts[line] as usize
    }

    /// Characters before a byte offset (on a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let marks = self.char_marks.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut marks = vec![0];
            let mut count = 0;
            for chunk in bytes.chunks(MARK) {
                count += chunk.iter().filter(|b| (**b as i8) >= -0x40).count();
                marks.push(count);
            }
            marks
        });
        let block = offset / MARK;
        let from = block * MARK;
        marks[block]
            + self.text.as_bytes()[from..offset]
                .iter()
                .filter(|b| (**b as i8) >= -0x40)
                .count()
    }

    /// The byte ranges of the lines from `first` to `last` (0-based), each
    /// without its line break.
    pub fn line_ranges(&self, first: usize, last: usize) -> Vec<std::ops::Range<usize>> {
        (first..=last.min(self.line_starts.len() - 1))
            .map(|line| {
                let start = self.start_of(line).min(self.text.len());
                let end = self
                    .line_starts
                    .get(line + 1)
                    .map_or(self.text.len(), |next| *next as usize - 1)
                    .min(self.text.len());
                let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                start..end.max(start)
            })
            .collect()
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset.min(self.len)).unwrap_or(u32::MAX);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.start_of(line);
        let column = if self.text.len() != self.len {
            offset - start
        } else if self.text.is_char_boundary(offset) {
            self.chars_before(offset) - self.chars_before(start)
        } else {
            offset - start
        };
        (line + 1, column + 1)
    }

    /// Byte offset of a 1-based line and column (in characters).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let start = (start as usize).min(self.text.len());
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

/// All files of a run. File ids index into it.
#[derive(Debug, Default)]
pub struct SourceMap {
    /// Shared, so that a recompilation keeps the files that did not change.
    files: Vec<std::sync::Arc<SourceFile>>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.push(SourceFile::new(path, text))
    }

    pub fn push(&mut self, file: impl Into<std::sync::Arc<SourceFile>>) -> FileId {
        let id = self.next_id();
        self.files.push(file.into());
        id
    }

    /// Drops the text of every file no diagnostic points into: what is
    /// reported is all that needs it once a compilation is done.
    pub fn release_unreferenced(&mut self, diags: &crate::diagnostic::Diagnostics) {
        let mut shown = vec![false; self.files.len()];
        for d in diags.iter() {
            for span in std::iter::once(d.primary.span).chain(d.secondary.iter().map(|l| l.span)) {
                if let Some(s) = shown.get_mut(span.file.0 as usize) {
                    *s = true;
                }
            }
        }
        for (file, shown) in self.files.iter_mut().zip(shown) {
            if !shown && !file.text.is_empty() {
                *file = std::sync::Arc::new(file.released());
            }
        }
    }

    /// Every file, in id order.
    pub fn files(&self) -> &[std::sync::Arc<SourceFile>] {
        &self.files
    }

    /// The id the next file added will get.
    pub fn next_id(&self) -> FileId {
        FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX))
    }

    pub fn contains(&self, id: FileId) -> bool {
        (id.0 as usize) < self.files.len()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// File, line and column of a span's start.
    pub fn locate(&self, span: Span) -> (&Path, usize, usize) {
        let file = self.get(span.file);
        let (line, column) = file.line_col(span.start as usize);
        (&file.path, line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("x".into(), "a: £1\nb: 2\n".into());
        let pound_end = "a: £".len();
        assert_eq!(file.line_col(pound_end), (1, 5));
        assert_eq!(file.line_col("a: £1\n".len()), (2, 1));
        assert_eq!(file.offset_of(2, 4), "a: £1\nb: ".len());
        // Deep in a long line of multi-byte characters.
        let long = format!("x\n{}é!", "£".repeat(10_000));
        let file = SourceFile::new("x".into(), long.clone());
        assert_eq!(file.line_col(long.len() - 1), (2, 10_002));
        assert_eq!(file.line_ranges(0, 5), [0..1, 2..long.len()]);
    }
}
