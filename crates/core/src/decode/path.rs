//! The JSON path at the position serde_json reports for a decode failure, found by scanning the body's
//! tokens up to that position: one non-generic function, where tracking the path while decoding
//! (`serde_path_to_error`) would compile every model's deserializer a second time.
//!
//! The scan never fails: on a malformed body it stops where the body stops making sense and reports the path
//! up to there. Object keys that are not plain field names are shown as `?` (see [`safe_path`]).

use std::fmt::Write as _;

/// One open container on the way to the failure.
enum Frame {
    /// An object: the byte range of the current key (once read) and whether its `:` has been seen.
    Object { key: Option<(usize, usize)>, in_value: bool },
    /// An array: the current element's index, and whether that element has begun.
    Array { index: usize, started: bool },
}

/// The byte offset serde_json means by a (1-based line, column) pair: the number of bytes it had consumed,
/// `column` bytes into line `line`. `None` when the error carries no position.
fn offset_of(input: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start = if line == 1 {
        0
    } else {
        input.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    Some(start.saturating_add(column).min(input.len()))
}

/// The end (exclusive) of the string token opening at `start` (a `"`), or the input's end if it never closes.
fn string_end(input: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&b) = input.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    input.len()
}

/// The end (exclusive) of a scalar token (number, `true`, garbage) opening at `start`: at least one byte.
fn scalar_end(input: &[u8], start: usize) -> usize {
    let rest = input.get(start + 1..).unwrap_or_default();
    let len = rest.iter().position(|b| b.is_ascii_whitespace() || b",:{}[]\"".contains(b)).unwrap_or(rest.len());
    start + 1 + len
}

/// The path, as [`crate::DecodeError::path`] shows it, of the value being decoded when serde_json had
/// consumed `offset` bytes of `input`.
fn path_at_offset(input: &[u8], offset: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut pos = 0;
    let value_starts = |stack: &mut Vec<Frame>| {
        if let Some(Frame::Array { started, .. }) = stack.last_mut() {
            *started = true;
        }
    };
    while let Some(&b) = input.get(pos) {
        if b.is_ascii_whitespace() {
            pos += 1;
            continue;
        }
        if pos > offset {
            break;
        }
        match b {
            b'{' | b'[' => {
                value_starts(&mut stack);
                if pos == offset {
                    break;
                }
                stack.push(if b == b'{' {
                    Frame::Object { key: None, in_value: false }
                } else {
                    Frame::Array { index: 0, started: false }
                });
                pos += 1;
            }
            b'"' => {
                let end = string_end(input, pos);
                let is_key = matches!(stack.last(), Some(Frame::Object { in_value: false, .. }));
                if !is_key {
                    value_starts(&mut stack);
                }
                if end > offset {
                    break;
                }
                if let (true, Some(Frame::Object { key, .. })) = (is_key, stack.last_mut()) {
                    *key = Some((pos + 1, end.saturating_sub(1)));
                }
                pos = end;
            }
            b':' | b',' | b'}' | b']' => {
                if pos == offset {
                    break;
                }
                match (b, stack.last_mut()) {
                    (b':', Some(Frame::Object { in_value, .. })) => *in_value = true,
                    (b',', Some(Frame::Object { key, in_value })) => (*key, *in_value) = (None, false),
                    (b',', Some(Frame::Array { index, started })) => (*index, *started) = (*index + 1, false),
                    (b'}' | b']', Some(_)) => {
                        stack.pop();
                    }
                    _ => break,
                }
                pos += 1;
            }
            _ => {
                value_starts(&mut stack);
                let end = scalar_end(input, pos);
                if end > offset {
                    break;
                }
                pos = end;
            }
        }
    }
    render(input, &stack)
}

/// The open containers as a path: `data[3].price`, or `.` at the root.
fn render(input: &[u8], stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match *frame {
            Frame::Object { key: Some((start, end)), .. } => {
                if !out.is_empty() {
                    out.push('.');
                }
                let key = input.get(start..end).and_then(|k| std::str::from_utf8(k).ok()).unwrap_or_default();
                out.push_str(safe_path(key));
            }
            Frame::Array { index, started: true } => {
                let _ = write!(out, "[{index}]");
            }
            _ => {}
        }
    }
    if out.is_empty() { ".".to_owned() } else { out }
}

/// An object key as a path may show it: as it is when it is shaped like a plain field name, `?` otherwise (a
/// map keyed by patient names or ids, or a key written with escapes).
fn safe_path(key: &str) -> &str {
    if crate::error::is_plain_code(key) { key } else { "?" }
}

/// The JSON path of the value serde_json was decoding when it failed with `err` on `input`.
pub(super) fn path_of(input: &[u8], err: &serde_json::Error) -> String {
    match offset_of(input, err.line(), err.column()) {
        Some(offset) => path_at_offset(input, offset),
        None => ".".to_owned(),
    }
}

#[cfg(test)]
mod tests;
