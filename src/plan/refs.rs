//! References from the plan's `configuration`: which planned resource an unknown attribute comes
//! from. Terraform "JSON Output Format", configuration representation: each module has
//! `resources[]` (`address` relative to the module, `expressions`) and `module_calls.<name>.module`;
//! an expression is `{"constant_value": …}` or `{"references": ["aws_x.y.id", "aws_x.y"]}`, and a
//! nested block is an array of expression objects.
use std::collections::BTreeMap;

use serde_json::Value;

use super::{placeholder, Action, Change};

/// Placeholder ids of the resources the plan creates (also replaces: the new object's id is not
/// known before apply), and the configuration for references.
pub struct Refs<'p> {
    /// Address of each created instance → its placeholder id.
    created: BTreeMap<&'p str, String>,
    configuration: &'p Value,
}

impl<'p> Refs<'p> {
    pub fn new(changes: &'p [Change], configuration: &'p Value) -> Refs<'p> {
        let created = changes
            .iter()
            .filter(|c| matches!(c.action, Action::Create | Action::Replace))
            .map(|c| (c.address.as_str(), placeholder(&c.rtype, &c.address)))
            .collect();
        Refs {
            created,
            configuration,
        }
    }

    /// The value of an unknown `attr` of `change` when its expression references exactly one
    /// resource this plan creates, by that resource's `id`: the placeholder id. `None` when it
    /// cannot be resolved (a variable, a data source, another attribute, several instances).
    pub fn resolve(&self, change: &Change, attr: &str) -> Option<String> {
        let expr = self.expression(change)?.get(attr)?;
        self.resolve_expr(change, expr)
    }

    fn resolve_expr(&self, change: &Change, expr: &Value) -> Option<String> {
        let refs = expr.get("references")?.as_array()?;
        let prefix = if change.module_address.is_empty() {
            String::new()
        } else {
            format!("{}.", change.module_address)
        };
        let mut found: Option<String> = None;
        for r in refs.iter().filter_map(Value::as_str) {
            let parts: Vec<&str> = r.split('.').collect();
            // `aws_x.name.id` (the longer form of each pair: `aws_x.name` is listed too).
            if parts.len() != 3 || parts[2] != "id" || !parts[0].starts_with("aws_") {
                continue;
            }
            let base = format!("{prefix}{}.{}", parts[0], parts[1]);
            let instances: Vec<&String> = self
                .created
                .iter()
                .filter(|(a, _)| {
                    **a == base || (a.starts_with(&base) && a[base.len()..].starts_with('['))
                })
                .map(|(_, p)| p)
                .collect();
            let [one] = instances.as_slice() else {
                return None;
            };
            if found.as_ref().is_some_and(|f| f != *one) {
                return None;
            }
            found = Some((*one).clone());
        }
        found
    }

    /// The `expressions` of the configuration resource of `change`.
    fn expression(&self, change: &Change) -> Option<&'p Value> {
        let mut module = self.configuration.get("root_module")?;
        let rel = strip_keys(&change.address);
        let mut segments: Vec<&str> = rel.split('.').collect();
        // `module.<name>.` pairs, then `<type>.<name>`.
        while segments.len() > 2 && segments[0] == "module" {
            module = module
                .get("module_calls")?
                .get(segments[1])?
                .get("module")?;
            segments.drain(..2);
        }
        let address = segments.join(".");
        module
            .get("resources")?
            .as_array()?
            .iter()
            .find(|r| r.get("address").and_then(Value::as_str) == Some(address.as_str()))?
            .get("expressions")
    }
}

/// `module.a[0].aws_route.r["k"]` → `module.a.aws_route.r` (instance keys removed; keys may hold
/// dots and brackets inside quotes).
pub fn strip_keys(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for ch in address.chars() {
        if in_str {
            match (escaped, ch) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '"' if depth > 0 => in_str = true,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_keys_removes_count_and_for_each_keys() {
        assert_eq!(
            strip_keys(r#"module.a[0].aws_route.r["x.y]"]"#),
            "module.a.aws_route.r"
        );
        assert_eq!(strip_keys("aws_route.r"), "aws_route.r");
    }
}
