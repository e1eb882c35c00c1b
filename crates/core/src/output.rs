//! Writing documents on stdout: one compact JSON object per line into pipes and files,
//! pretty JSON on a terminal; a reader that closes the pipe (`| head`) stops us quietly.

use crate::document::{self, Document};
use crate::error::{Error, Result};
use serde_json::Value;
use std::io::{IsTerminal, Write};

pub struct Output<W: Write> {
    out: W,
    pretty: bool,
    /// Fields added to every document (a fleet run's `account` and `region`).
    stamp: Vec<(&'static str, String)>,
}

impl Output<std::io::Stdout> {
    /// stdout, pretty only when it is a terminal.
    pub fn stdout() -> Self {
        let out = std::io::stdout();
        let pretty = out.is_terminal();
        Output { out, pretty, stamp: Vec::new() }
    }
}

impl<W: Write> Output<W> {
    pub fn new(out: W, pretty: bool) -> Self {
        Output { out, pretty, stamp: Vec::new() }
    }

    /// Every document written from now on also carries `account` (and `region`, unless it
    /// has its own): which target of a fleet run it came from.
    pub fn stamped(mut self, account: &str, region: Option<&str>) -> Self {
        self.stamp.push(("account", account.to_owned()));
        if let Some(region) = region {
            self.stamp.push(("region", region.to_owned()));
        }
        self
    }

    pub fn emit<T: Document>(&mut self, doc: &T) -> Result<()> {
        self.emit_value(&document::to_value(doc)?)
    }

    /// Writes one JSON object and flushes, so a downstream command sees it at once.
    pub fn emit_value(&mut self, value: &Value) -> Result<()> {
        let stamped;
        let value = match value.as_object() {
            Some(fields) if !self.stamp.is_empty() => {
                let mut fields = fields.clone();
                for (key, v) in &self.stamp {
                    fields.entry(*key).or_insert_with(|| Value::String(v.clone()));
                }
                stamped = Value::Object(fields);
                &stamped
            }
            _ => value,
        };
        let text = if self.pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) }
            .map_err(|e| Error::failed(format!("cannot encode output: {e}")))?;
        writeln!(self.out, "{text}").and_then(|()| self.out.flush()).map_err(write_error)
    }

    /// Writes text that is not a document (a table, a SARIF log) and flushes.
    pub fn write_text(&mut self, text: &str) -> Result<()> {
        self.out.write_all(text.as_bytes()).and_then(|()| self.out.flush()).map_err(write_error)
    }

    /// Writes documents another `Output` wrote compactly (one per line), pretty here if
    /// this output is; a line that is not JSON is written as it is.
    pub fn write_lines(&mut self, lines: &[u8]) -> Result<()> {
        if !self.pretty {
            return self.out.write_all(lines).and_then(|()| self.out.flush()).map_err(write_error);
        }
        for line in lines.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            match serde_json::from_slice::<Value>(line) {
                Ok(value) => self.emit_value(&value)?,
                Err(_) => self.out.write_all(line).and_then(|()| self.out.write_all(b"\n")).map_err(write_error)?,
            }
        }
        Ok(())
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

fn write_error(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe { Error::ClosedStdout } else { Error::failed(format!("cannot write to stdout: {e}")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn compact_output_is_one_line_per_document() {
        let mut out = Output::new(Vec::new(), false);
        out.emit_value(&serde_json::json!({"kind": "a", "n": [1, 2]})).unwrap();
        out.emit_value(&serde_json::json!({"kind": "b"})).unwrap();
        let text = String::from_utf8(out.into_inner()).unwrap();
        assert_eq!(text, "{\"kind\":\"a\",\"n\":[1,2]}\n{\"kind\":\"b\"}\n");
    }

    #[test]
    fn pretty_output_spans_lines() {
        let mut out = Output::new(Vec::new(), true);
        out.emit_value(&serde_json::json!({"kind": "a"})).unwrap();
        assert_eq!(String::from_utf8(out.into_inner()).unwrap(), "{\n  \"kind\": \"a\"\n}\n");
    }

    #[test]
    fn stamps_name_the_target_and_keep_a_documents_own_region() {
        let mut out = Output::new(Vec::new(), false).stamped("123456789012", Some("us-east-1"));
        out.emit_value(&serde_json::json!({"kind": "a"})).unwrap();
        out.emit_value(&serde_json::json!({"kind": "b", "region": "eu-west-1"})).unwrap();
        let text = String::from_utf8(out.into_inner()).unwrap();
        assert_eq!(
            text,
            "{\"kind\":\"a\",\"account\":\"123456789012\",\"region\":\"us-east-1\"}\n{\"kind\":\"b\",\"region\":\"eu-west-1\",\"account\":\"123456789012\"}\n"
        );
        let mut pretty = Output::new(Vec::new(), true);
        pretty.write_lines(text.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(pretty.into_inner()).unwrap().lines().filter(|l| *l == "{").count(), 2);
    }

    #[test]
    fn a_closed_reader_is_a_quiet_stop() {
        let err = Output::new(Closed, false).emit_value(&serde_json::json!({})).unwrap_err();
        assert!(matches!(err, Error::ClosedStdout));
        assert_eq!(err.exit_code(), 0);
        assert_eq!(err.render("x", false), None);
    }
}
