//! Evidence: every file of the snapshot removed, and collection errors in the manifest.
use super::*;

const KIND: &str = "evidence";

pub fn all(base: &Snap, out: &mut Out) {
    for rel in base.files.keys() {
        let r = rel.clone();
        let f = move |s: &mut Snap| {
            s.files.remove(&r);
        };
        if rel == "manifest.json" {
            out.bad(
                KIND,
                format!("file:{rel}:removed"),
                "manifest.json removed (not a snapshot)",
                f,
            );
        } else {
            out.add(
                KIND,
                format!("file:{rel}:removed"),
                format!("{rel} removed"),
                f,
            );
        }
    }
    let targets = base.files["manifest.json"]["targets"]
        .as_array()
        .unwrap()
        .clone();
    for t in &targets {
        let acct = str_of(t, "account");
        for op in [
            "ec2:describe-route-tables",
            "route53:list-resource-record-sets",
            "iot:get-policy",
        ] {
            let a = acct.clone();
            out.add(KIND, format!("manifest:{acct}:{op}"), format!("manifest error for {op} in {acct} (the file is still there)"), move |s| {
                s.list("manifest.json", "errors").push(json!({"account": a, "region": REGION, "operation": op,
                    "message": "An error occurred (Throttling) when calling the operation: Rate exceeded"}));
            });
        }
    }
    out.add(
        KIND,
        "manifest:interrupted",
        "manifest with the provisional pathproof:collect entry (interrupted collection)",
        |s| {
            s.list("manifest.json", "errors")
                .push(json!({"account": "111111111111", "region": "global",
            "operation": "pathproof:collect", "message": "collection in progress"}));
        },
    );
    out.add(
        KIND,
        "manifest:extra-target",
        format!("manifest targets also name account {STRANGER}, whose files are absent"),
        |s| {
            s.list("manifest.json", "targets")
                .push(json!({"account": STRANGER, "regions": [REGION]}));
        },
    );
}
