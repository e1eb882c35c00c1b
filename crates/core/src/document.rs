//! The unit of the pipe contract: a typed JSON object with a `kind` and a schema
//! version, so a reader can tell what it was handed and ignore what it does not know.

use crate::error::{Error, Result};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A document one command prints and another reads.
pub trait Document: Serialize + DeserializeOwned + JsonSchema {
    /// The `kind` field, e.g. `vpc`.
    const KIND: &'static str;
    /// Bumped only for changes a reader could misread; added fields do not bump it.
    const SCHEMA_VERSION: u32;

    /// Checks what the types cannot say (ids and addresses against their patterns) before a
    /// reader acts on a document; a failure is a usage error naming the field.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    kind: &'static str,
    schema_version: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// The document as JSON, `kind` and `schema_version` first.
pub fn to_value<T: Document>(doc: &T) -> Result<Value> {
    serde_json::to_value(Envelope { kind: T::KIND, schema_version: T::SCHEMA_VERSION, body: doc })
        .map_err(|e| Error::failed(format!("cannot encode a {} document: {e}", T::KIND)))
}

/// The `kind` of a JSON value, if it is an object that has one.
pub fn kind_of(value: &Value) -> Option<&str> {
    value.get("kind").and_then(Value::as_str)
}

/// Decodes a value already known to be of kind `T::KIND`; unknown fields are ignored, a
/// `schema_version` newer than this reader knows is refused (it could mean something else),
/// and the document's own checks run before anyone acts on it.
pub fn from_value<T: Document>(value: Value, origin: &str) -> Result<T> {
    match kind_of(&value) {
        Some(kind) if kind == T::KIND => {}
        Some(kind) => return Err(Error::usage(format!("{origin}: expected a `{}` document, got a `{kind}` document", T::KIND))),
        None => return Err(Error::usage(format!("{origin}: expected a `{}` document, got JSON without a `kind`", T::KIND))),
    }
    match value.get("schema_version") {
        None => {}
        Some(v) => match v.as_u64() {
            Some(n) if (1..=u64::from(T::SCHEMA_VERSION)).contains(&n) => {}
            Some(0) => return Err(Error::usage(format!("{origin}: `{}` document: schema_version 0 is not a version", T::KIND))),
            Some(n) => {
                return Err(Error::usage(format!(
                    "{origin}: `{}` document of schema version {n}, newer than this reader's {}: upgrade awsops",
                    T::KIND,
                    T::SCHEMA_VERSION
                )));
            }
            None => return Err(Error::usage(format!("{origin}: `{}` document: schema_version is not a whole number: {v}", T::KIND))),
        },
    }
    let doc: T = serde_json::from_value(value).map_err(|e| Error::usage(format!("{origin}: malformed `{}` document: {e}", T::KIND)))?;
    doc.validate().map_err(|e| Error::usage(format!("{origin}: `{}` document: {e}", T::KIND)))?;
    Ok(doc)
}

/// The JSON Schema of a document, with its envelope fields.
pub fn schema<T: Document>() -> Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Null);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("$id".into(), Value::String(format!("https://awsops.dev/schemas/{}.v{}.json", T::KIND, T::SCHEMA_VERSION)));
        let props = obj.entry("properties").or_insert_with(|| Value::Object(Map::new()));
        if let Some(props) = props.as_object_mut() {
            props.insert("kind".into(), serde_json::json!({ "const": T::KIND }));
            props.insert("schema_version".into(), serde_json::json!({ "const": T::SCHEMA_VERSION }));
            // A fleet run (several accounts) stamps every document with its target.
            props.entry("account").or_insert_with(|| serde_json::json!({ "type": "string", "pattern": crate::aws_ids::ACCOUNT_ID }));
            props.entry("region").or_insert_with(|| serde_json::json!({ "type": "string", "pattern": crate::aws_ids::REGION }));
        }
        let required = obj.entry("required").or_insert_with(|| Value::Array(Vec::new()));
        if let Some(required) = required.as_array_mut() {
            required.insert(0, Value::String("schema_version".into()));
            required.insert(0, Value::String("kind".into()));
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
    struct Thing {
        id: String,
    }
    impl Document for Thing {
        const KIND: &'static str = "thing";
        const SCHEMA_VERSION: u32 = 1;
    }

    #[test]
    fn envelope_comes_first_and_round_trips() {
        let v = to_value(&Thing { id: "t-1".into() }).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"kind":"thing","schema_version":1,"id":"t-1"}"#);
        assert_eq!(from_value::<Thing>(v, "stdin").unwrap(), Thing { id: "t-1".into() });
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let v = serde_json::json!({"kind": "thing", "schema_version": 1, "id": "t", "added_later": [1, 2]});
        assert_eq!(from_value::<Thing>(v, "stdin").unwrap().id, "t");
    }

    #[test]
    fn wrong_kind_names_both_kinds() {
        let err = from_value::<Thing>(serde_json::json!({"kind": "ami", "id": "x"}), "stdin").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let msg = err.to_string();
        assert!(msg.contains("`thing`") && msg.contains("`ami`"), "{msg}");
    }

    #[test]
    fn malformed_body_is_a_usage_error() {
        let err = from_value::<Thing>(serde_json::json!({"kind": "thing"}), "stdin").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("malformed"));
    }

    #[test]
    fn newer_schema_versions_are_refused_older_accepted() {
        let err = from_value::<Thing>(serde_json::json!({"kind": "thing", "schema_version": 2, "id": "x"}), "stdin").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("schema version 2, newer than this reader's 1"), "{err}");
        let err = from_value::<Thing>(serde_json::json!({"kind": "thing", "schema_version": "1", "id": "x"}), "stdin").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        from_value::<Thing>(serde_json::json!({"kind": "thing", "schema_version": 1, "id": "x"}), "stdin").unwrap();
        from_value::<Thing>(serde_json::json!({"kind": "thing", "id": "x"}), "stdin").unwrap();
    }

    #[test]
    fn schema_carries_the_envelope() {
        let s = schema::<Thing>();
        assert_eq!(s["properties"]["kind"]["const"], "thing");
        assert_eq!(s["required"][0], "kind");
    }
}
