//! A snapshot held in memory: every JSON file of the folder, parsed, keyed by its path relative to
//! the folder ("111111111111/us-west-2/ec2/describe-vpcs.json"). Mutants edit this map; the runner
//! writes it to a temporary folder for pathproof, and the oracle reads the map directly.
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Debug)]
pub struct Snap {
    pub files: BTreeMap<String, Value>,
}

impl Snap {
    pub fn load(dir: &Path) -> Snap {
        let mut files = BTreeMap::new();
        load_dir(dir, dir, &mut files);
        Snap { files }
    }

    pub fn write(&self, dir: &Path) {
        for (rel, doc) in &self.files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let mut text = serde_json::to_string_pretty(doc).unwrap();
            text.push('\n');
            std::fs::write(path, text).unwrap();
        }
    }

    pub fn doc(&self, rel: &str) -> Option<&Value> {
        self.files.get(rel)
    }

    /// The document at `rel`; a mutant that edits a file the base does not have is a harness bug.
    pub fn edit(&mut self, rel: &str) -> &mut Value {
        self.files
            .get_mut(rel)
            .unwrap_or_else(|| panic!("mutant edits {rel}, which the snapshot does not have"))
    }

    /// The array at `doc[key]` of file `rel`.
    pub fn list(&mut self, rel: &str, key: &str) -> &mut Vec<Value> {
        self.edit(rel)[key]
            .as_array_mut()
            .unwrap_or_else(|| panic!("{rel}: {key} is not an array"))
    }

    /// The element of `doc[key]` whose `id_key` is `id`.
    pub fn item(&mut self, rel: &str, key: &str, id_key: &str, id: &str) -> &mut Value {
        self.list(rel, key)
            .iter_mut()
            .find(|v| v[id_key] == id)
            .unwrap_or_else(|| panic!("{rel}: no {key} element with {id_key} = {id}"))
    }

    /// The IoT policy document (a JSON string inside get-policy), parsed.
    pub fn policy(&self, rel: &str) -> Value {
        serde_json::from_str(self.files[rel]["policyDocument"].as_str().unwrap()).unwrap()
    }

    /// Replace a policy document as a new default version, as `create-policy-version
    /// --set-as-default` leaves it.
    pub fn set_policy(&mut self, rel: &str, doc: &Value) {
        let p = self.edit(rel);
        p["policyDocument"] = Value::String(serde_json::to_string_pretty(doc).unwrap());
        p["defaultVersionId"] = Value::String("2".into());
        p["lastModifiedDate"] = Value::String("2026-11-20T16:48:03.112000+00:00".into());
    }
}

fn load_dir(root: &Path, dir: &Path, files: &mut BTreeMap<String, Value>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            load_dir(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            files.insert(rel, serde_json::from_str(&text).unwrap());
        }
    }
}
