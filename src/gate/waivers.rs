//! The `--waivers` file (TOML): each `[[waiver]]` names a finding by `fingerprint`, or by `rule`
//! and `resource`, and carries `justification`, `owner` and `expires` (a TOML date, valid through
//! that day, UTC). Unknown or missing fields are an input error naming file and field.
use std::path::Path;

use serde::Deserialize;

use super::Date;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverFile {
    #[serde(default)]
    pub waiver: Vec<Waiver>,
}

#[derive(Debug)]
pub struct Waiver {
    pub fingerprint: Option<String>,
    pub rule: Option<String>,
    pub resource: Option<String>,
    pub justification: String,
    pub owner: String,
    pub expires: Date,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    fingerprint: Option<String>,
    rule: Option<String>,
    resource: Option<String>,
    justification: String,
    owner: String,
    expires: toml::value::Datetime,
}

impl<'de> Deserialize<'de> for Waiver {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let raw = RawWaiver::deserialize(d)?;
        let expires = match (raw.expires.date, raw.expires.time, raw.expires.offset) {
            (Some(date), None, None) => Date::new(date.year, date.month, date.day),
            _ => None,
        }
        .ok_or_else(|| D::Error::custom("expires: expected a TOML date such as 2027-01-31"))?;
        for (name, v) in [("justification", &raw.justification), ("owner", &raw.owner)] {
            if v.trim().is_empty() {
                return Err(D::Error::custom(format!("{name}: must not be empty")));
            }
        }
        match (&raw.fingerprint, &raw.rule, &raw.resource) {
            (Some(_), None, None) | (None, Some(_), Some(_)) => {}
            _ => {
                return Err(D::Error::custom(
                    "fingerprint: give either `fingerprint` or both `rule` and `resource`",
                ))
            }
        }
        Ok(Waiver {
            fingerprint: raw.fingerprint,
            rule: raw.rule,
            resource: raw.resource,
            justification: raw.justification,
            owner: raw.owner,
            expires,
        })
    }
}

impl Waiver {
    pub fn selector(&self) -> String {
        match (&self.fingerprint, &self.rule, &self.resource) {
            (Some(fp), _, _) => fp.clone(),
            (None, Some(r), Some(res)) => format!("{r} on {res}"),
            _ => String::new(),
        }
    }

    pub fn matches(&self, fingerprint: &str, rule_id: &str, resource: &str) -> bool {
        match (&self.fingerprint, &self.rule, &self.resource) {
            (Some(fp), _, _) => fp == fingerprint,
            (None, Some(r), Some(res)) => r == rule_id && res == resource,
            _ => false,
        }
    }
}

impl WaiverFile {
    pub fn load(path: &Path) -> anyhow::Result<WaiverFile> {
        let file = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read waivers {file}: {e}"))?;
        WaiverFile::parse(&text).map_err(|e| anyhow::anyhow!("waivers {file}: {e}"))
    }

    pub fn parse(text: &str) -> Result<WaiverFile, String> {
        let de = toml::Deserializer::new(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." {
                // A syntax error: toml's own text names line, column and shows the line.
                inner.to_string().trim().to_string()
            } else {
                format!("{path}: {}", inner.message().trim())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "[[waiver]]\nrule = \"PP002\"\nresource = \"nat-1\"\njustification = \"migration\"\nowner = \"net-team\"\nexpires = 2027-01-31\n";

    #[test]
    fn parses_a_rule_resource_waiver() {
        let w = WaiverFile::parse(OK).unwrap();
        assert_eq!(w.waiver.len(), 1);
        assert_eq!(w.waiver[0].expires, Date::new(2027, 1, 31).unwrap());
        assert!(w.waiver[0].matches("x", "PP002", "nat-1"));
        assert!(!w.waiver[0].matches("x", "PP002", "nat-2"));
    }

    #[test]
    fn malformed_entries_name_the_field() {
        let cases = [
            (OK.replace("owner = \"net-team\"\n", ""), "owner"),
            (OK.replace("2027-01-31", "\"soon\""), "expires"),
            (OK.replace("2027-01-31", "2027-01-31T10:00:00Z"), "expires"),
            (OK.replace("owner = \"net-team\"", "owner = \" \""), "owner"),
            (OK.replace("rule = \"PP002\"\n", ""), "fingerprint"),
            (OK.to_string() + "colour = \"red\"\n", "colour"),
        ];
        for (text, field) in cases {
            let err = WaiverFile::parse(&text).unwrap_err();
            assert!(err.contains(field), "{field}: {err}");
        }
    }
}
