"""Reads a GitHub Actions workflow (docs/ci/org-collect.yml) and prints what the tests check, as
JSON: it parses as YAML, its triggers, permissions, jobs (needs, permissions, matrix, steps'
run/uses/with/if) and the steps without a comment line right above them.

usage: check_workflow.py WORKFLOW.yml
"""

import json
import re
import sys

import yaml


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        text = f.read()
    doc = yaml.safe_load(text)
    # YAML 1.1 reads the key `on` as the boolean true.
    on = doc.get("on", doc.get(True))
    lines = text.split("\n")
    uncommented = [
        line.strip()
        for i, line in enumerate(lines)
        if re.match(r"^\s+- (name|uses|run):", line) and not lines[i - 1].strip().startswith("#")
    ]
    jobs = {
        name: {
            "needs": job.get("needs"),
            "permissions": job.get("permissions"),
            "matrix": job.get("strategy", {}).get("matrix"),
            "fail_fast": job.get("strategy", {}).get("fail-fast"),
            "steps": [
                {k: step.get(k) for k in ("name", "run", "uses", "with", "if") if k in step}
                for step in job["steps"]
            ],
        }
        for name, job in doc["jobs"].items()
    }
    print(
        json.dumps(
            {
                "triggers": sorted(on.keys()),
                "permissions": doc.get("permissions"),
                "env": doc.get("env"),
                "jobs": jobs,
                "uncommented_steps": uncommented,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
