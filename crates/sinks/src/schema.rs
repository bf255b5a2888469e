//! A validator for the JSON Schema subset the export schemas use (the
//! tests check exports with it): `type` (one or a list), `required`, `properties`,
//! `additionalProperties: false`, `items`, `enum`, `const`, `pattern`,
//! `minimum`, `maximum`, `minItems`, `maxItems` and `$ref` to `#/$defs/NAME`.
//! A keyword outside the subset is an error, so that a schema cannot
//! silently check less than it says.

use regex::Regex;
use serde_json::Value;

const KNOWN: [&str; 18] = [
    "$schema",
    "$id",
    "$defs",
    "$ref",
    "title",
    "description",
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "pattern",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
];

/// Every violation of `schema` by `value`, as "path: what".
pub fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, value, "$", &mut errors);
    errors
}

fn check(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        errors.push(format!("{path}: schema is not an object"));
        return;
    };
    for key in s.keys() {
        if !KNOWN.contains(&key.as_str()) {
            errors.push(format!("{path}: schema keyword {key} is not supported"));
        }
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        match r
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs")?.get(name))
        {
            Some(target) => check(root, target, value, path, errors),
            None => errors.push(format!("{path}: unresolved $ref {r}")),
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !types.iter().any(|t| has_type(value, t)) {
            errors.push(format!("{path}: {value} is not of type {types:?}"));
            return;
        }
    }
    if let Some(options) = s.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{path}: {value} is not one of {options:?}"));
        }
    }
    if let Some(c) = s.get("const") {
        if c != value {
            errors.push(format!("{path}: {value} is not {c}"));
        }
    }
    if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), value.as_str()) {
        match Regex::new(p) {
            Ok(re) if re.is_match(text) => {}
            Ok(_) => errors.push(format!("{path}: {text:?} does not match {p}")),
            Err(e) => errors.push(format!("{path}: bad pattern {p}: {e}")),
        }
    }
    if let Some(n) = value.as_f64() {
        if s.get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            errors.push(format!("{path}: {n} is below the minimum"));
        }
        if s.get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            errors.push(format!("{path}: {n} is above the maximum"));
        }
    }
    if let Some(items) = value.as_array() {
        let len = items.len() as u64;
        if s.get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| len < m)
        {
            errors.push(format!("{path}: fewer than minItems items"));
        }
        if s.get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| len > m)
        {
            errors.push(format!("{path}: more than maxItems items"));
        }
        if let Some(item) = s.get("items") {
            for (k, v) in items.iter().enumerate() {
                check(root, item, v, &format!("{path}[{k}]"), errors);
            }
        }
    }
    if let Some(obj) = value.as_object() {
        for name in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap_or_default();
            if !obj.contains_key(name) {
                errors.push(format!("{path}: required field {name} is missing"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, v) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => check(root, sub, v, &format!("{path}.{k}"), errors),
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: field {k} is not allowed"))
                }
                None => {}
            }
        }
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_validator_finds_each_kind_of_violation() {
        let schema = json!({
            "$defs": {"entity": {"type": "object", "required": ["code"],
                                 "properties": {"code": {"type": "string", "pattern": "^[A-Z]{3}$"}}}},
            "type": "object",
            "required": ["id", "event"],
            "additionalProperties": false,
            "properties": {
                "id": {"type": "string"},
                "event": {"type": "array", "minItems": 1, "items": {"enum": ["ASSAULT", "PROTEST"]}},
                "quad": {"type": "integer", "minimum": 1, "maximum": 4},
                "actor": {"type": "array", "items": {"$ref": "#/$defs/entity"}}
            }
        });
        let good = json!({"id": "a", "event": ["ASSAULT"], "quad": 4, "actor": [{"code": "NGA"}]});
        assert_eq!(validate(&schema, &good), Vec::<String>::new());
        let bad = json!({"event": ["FIGHT"], "quad": 5, "actor": [{"code": "NG"}, {}], "x": 1});
        let errors = validate(&schema, &bad).join("\n");
        for expected in [
            "required field id",
            "\"FIGHT\" is not one of",
            "5 is above the maximum",
            "\"NG\" does not match",
            "$.actor[1]: required field code",
            "field x is not allowed",
        ] {
            assert!(errors.contains(expected), "{expected} not in:\n{errors}");
        }
        assert!(!validate(&json!({"type": "string", "format": "date"}), &json!("x")).is_empty());
        assert!(!validate(&schema, &json!({"id": 1, "event": []})).is_empty());
    }
}
