//! Reading upstream documents: from `--from FILE` (`-` for stdin), or from stdin without
//! `--from` only when stdin is a pipe or a file, so a command in cron or CI never hangs.

use crate::document::{self, Document, kind_of};
use crate::error::{Error, Result};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where upstream documents come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Stdin => "stdin".to_owned(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// Decides the source: `--from` wins; otherwise stdin, but only when it carries data.
pub fn choose_source(from: Option<&Path>, stdin_carries_data: bool) -> Option<Source> {
    match from {
        Some(p) if p.as_os_str() == "-" => Some(Source::Stdin),
        Some(p) => Some(Source::File(p.to_path_buf())),
        None if stdin_carries_data => Some(Source::Stdin),
        None => None,
    }
}

/// True when stdin is a pipe or a regular file (not a terminal, not /dev/null, not closed).
pub fn stdin_carries_data() -> bool {
    use std::os::unix::fs::FileTypeExt;
    match std::fs::metadata("/dev/stdin") {
        Ok(meta) => meta.file_type().is_fifo() || meta.file_type().is_file() || meta.file_type().is_socket(),
        Err(_) => false,
    }
}

/// Parses a stream of JSON objects: JSON Lines, or concatenated (pretty) objects.
pub fn parse_stream(reader: impl Read, origin: &str) -> Result<Vec<Value>> {
    let mut values = Vec::new();
    for (index, item) in serde_json::Deserializer::from_reader(reader).into_iter::<Value>().enumerate() {
        let value = item.map_err(|e| {
            if e.is_io() {
                Error::usage(format!("cannot read {origin}: {e}"))
            } else {
                Error::usage(format!("{origin}: not a JSON document stream: {e}"))
            }
        })?;
        match value {
            Value::Object(_) => values.push(value),
            Value::Array(items) => values.extend(items.into_iter().filter(Value::is_object)),
            other => {
                return Err(Error::usage(format!("{origin}: item {} is a JSON {}, not an awsops document", index + 1, json_type(&other))));
            }
        }
    }
    Ok(values)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Keeps the documents of kind `T`, ignoring other kinds that travel alongside; when
/// the stream has documents but none of kind `T`, that is a usage error naming both.
pub fn select<T: Document>(values: Vec<Value>, origin: &str) -> Result<Vec<T>> {
    let mut wanted = Vec::new();
    let mut other_kinds: Vec<String> = Vec::new();
    for value in values {
        match kind_of(&value) {
            Some(k) if k == T::KIND => wanted.push(document::from_value::<T>(value, origin)?),
            Some(k) => {
                if !other_kinds.iter().any(|o| o == k) {
                    other_kinds.push(k.to_owned());
                }
            }
            None => return Err(Error::usage(format!("{origin}: expected a `{}` document, got JSON without a `kind`", T::KIND))),
        }
    }
    if wanted.is_empty() && !other_kinds.is_empty() {
        return Err(Error::usage(format!(
            "{origin}: expected a `{}` document, got {}",
            T::KIND,
            other_kinds.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(wanted)
}

/// Reads every document from the chosen source (none when there is no source).
pub fn read_values(from: Option<&Path>) -> Result<Option<(String, Vec<Value>)>> {
    let Some(source) = choose_source(from, stdin_carries_data()) else {
        return Ok(None);
    };
    let origin = source.describe();
    let values = match &source {
        Source::Stdin => parse_stream(std::io::stdin().lock(), &origin)?,
        Source::File(path) => {
            let file = std::fs::File::open(path).map_err(|e| Error::usage(format!("cannot read {origin}: {e}")))?;
            parse_stream(std::io::BufReader::new(file), &origin)?
        }
    };
    // Asked for by name (`--from -` or a file) yet empty: the upstream step failed or the
    // path is wrong; going on without it would act on something else.
    if from.is_some() && values.is_empty() {
        return Err(Error::usage(format!("--from {origin}: no documents in it")));
    }
    Ok(Some((origin, values)))
}

/// The upstream documents of kind `T` (empty when nothing was piped in).
pub fn read<T: Document>(from: Option<&Path>) -> Result<Vec<T>> {
    match read_values(from)? {
        Some((origin, values)) => select(values, &origin),
        None => Ok(Vec::new()),
    }
}

/// At most one upstream document of kind `T`; several is a usage error.
pub fn read_one<T: Document>(from: Option<&Path>) -> Result<Option<T>> {
    let mut docs = read::<T>(from)?;
    match docs.len() {
        0 => Ok(None),
        1 => Ok(docs.pop()),
        n => Err(Error::usage(format!("expected one `{}` document, got {n}", T::KIND))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize, JsonSchema)]
    struct Vpc {
        vpc_id: String,
    }
    impl Document for Vpc {
        const KIND: &'static str = "vpc";
        const SCHEMA_VERSION: u32 = 1;
    }

    #[test]
    fn from_flag_wins_and_dash_is_stdin() {
        assert_eq!(choose_source(Some(Path::new("-")), false), Some(Source::Stdin));
        assert_eq!(choose_source(Some(Path::new("a.json")), true), Some(Source::File("a.json".into())));
        assert_eq!(choose_source(None, true), Some(Source::Stdin));
        assert_eq!(choose_source(None, false), None, "a terminal or /dev/null on stdin is never read");
    }

    #[test]
    fn parses_json_lines_pretty_and_arrays() {
        let text =
            "{\"kind\":\"vpc\",\"vpc_id\":\"a\"}\n{\n  \"kind\": \"vpc\",\n  \"vpc_id\": \"b\"\n}\n[{\"kind\":\"vpc\",\"vpc_id\":\"c\"}]";
        let values = parse_stream(text.as_bytes(), "stdin").unwrap();
        let ids: Vec<String> = select::<Vpc>(values, "stdin").unwrap().into_iter().map(|v| v.vpc_id).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    #[test]
    fn empty_input_is_no_documents() {
        assert!(parse_stream("".as_bytes(), "stdin").unwrap().is_empty());
        assert!(select::<Vpc>(Vec::new(), "stdin").unwrap().is_empty());
    }

    #[test]
    fn garbage_and_scalars_are_usage_errors() {
        let err = parse_stream("not json".as_bytes(), "stdin").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err = parse_stream("42".as_bytes(), "stdin").unwrap_err();
        assert!(err.to_string().contains("number"), "{err}");
    }

    #[test]
    fn wrong_kind_is_a_usage_error_naming_both() {
        let values = parse_stream(r#"{"kind":"ami","image_id":"ami-1"}"#.as_bytes(), "stdin").unwrap();
        let err = select::<Vpc>(values, "stdin").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(err.to_string(), "stdin: expected a `vpc` document, got `ami`");
    }

    #[test]
    fn other_kinds_alongside_are_ignored() {
        let values = parse_stream(r#"{"kind":"plan"} {"kind":"vpc","vpc_id":"v"}"#.as_bytes(), "stdin").unwrap();
        assert_eq!(select::<Vpc>(values, "stdin").unwrap().len(), 1);
    }

    #[test]
    fn an_empty_source_named_with_from_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.json");
        std::fs::write(&path, "\n").unwrap();
        let err = read::<Vpc>(Some(&path)).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("no documents"), "{err}");
    }

    #[test]
    fn files_are_read_and_missing_files_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vpc.json");
        std::fs::write(&path, r#"{"kind":"vpc","schema_version":1,"vpc_id":"vpc-1"}"#).unwrap();
        assert_eq!(read_one::<Vpc>(Some(&path)).unwrap().unwrap().vpc_id, "vpc-1");
        let err = read::<Vpc>(Some(&dir.path().join("missing.json"))).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("missing.json"));
    }
}
