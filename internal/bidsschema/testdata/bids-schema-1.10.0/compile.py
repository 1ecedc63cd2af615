#!/usr/bin/python3
"""Compile the parts of the BIDS 1.10.0 schema that glusleep's raw-dataset
test checks into one JSON file (schema.json beside this script).

Usage: /usr/bin/python3 compile.py SCHEMA_DIR > schema.json
SCHEMA_DIR is src/schema of bids-standard/bids-specification at tag v1.10.0
(commit 2bdb4a6f8c686d07549d037a95cdff0b501d50c4). Needs python3-yaml.

Kept: entity order and definitions, label/index formats, every raw,
common and derivative file rule (rules.files.raw, rules.files.common,
rules.files.deriv), the modality map, the sidecar
rules of EEG, MRS, events and entities and dataset_description's, the
tabular rules of EEG channels, task events and participants.tsv, and the
metadata and column definitions those rules name (descriptions dropped,
$ref resolved).
"""
import copy
import json
import os
import sys

import yaml


def load(root):
    tree = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith((".yaml", ".yml")):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), root)
            parts = rel.rsplit(".", 1)[0].split(os.sep)
            node = tree
            for p in parts[:-1]:
                node = node.setdefault(p, {})
            with open(os.path.join(dirpath, f)) as fh:
                node[parts[-1]] = yaml.safe_load(fh)
    return tree


def lookup(tree, path):
    node = tree
    for p in path.split("."):
        node = node[p]
    return node


def resolve(tree, v):
    if isinstance(v, dict):
        if "$ref" in v:
            base = copy.deepcopy(resolve(tree, lookup(tree, v["$ref"])))
            for k, x in v.items():
                if k != "$ref":
                    base[k] = resolve(tree, x)
            return base
        return {k: resolve(tree, x) for k, x in v.items()}
    if isinstance(v, list):
        return [resolve(tree, x) for x in v]
    return v


def strip(d):
    """Drop prose from a definition, recursively (a file rule's entities
    keep the entity named description, the desc- entity)."""
    if isinstance(d, dict):
        return {k: (dict(v) if k == "entities" and isinstance(v, dict) else strip(v)) for k, v in d.items()
                if k not in ("description", "display_name", "description_addendum", "level_addendum")}
    if isinstance(d, list):
        return [strip(x) for x in d]
    return d


def level(v):
    return v if isinstance(v, str) else v["level"]


def main():
    root = sys.argv[1]
    t = load(root)
    s = resolve(t, t)
    out = {
        "bids_version": open(os.path.join(root, "BIDS_VERSION")).read().strip(),
        "schema_version": open(os.path.join(root, "SCHEMA_VERSION")).read().strip(),
        "source": "bids-standard/bids-specification v1.10.0 (2bdb4a6f8c686d07549d037a95cdff0b501d50c4), src/schema, CC-BY-4.0",
        "entity_order": s["rules"]["entities"],
        "entities": {k: {"name": v["name"], "format": v["format"]} for k, v in s["objects"]["entities"].items()},
        "formats": {k: v["pattern"] for k, v in s["objects"]["formats"].items()},
        "modalities": {k: v["datatypes"] for k, v in s["rules"]["modalities"].items()},
        "files": {},
        "sidecars": {},
        "tabular": {},
        "metadata": {},
        "columns": {},
    }
    for group in ("raw", "common", "deriv"):
        for fname, rules in sorted(s["rules"]["files"][group].items()):
            for rname, r in sorted(rules.items()):
                r = strip(r)
                # An entity restricted to fixed values ({level, enum}) is
                # split into its level and entity_values.
                for e, v in list(r.get("entities", {}).items()):
                    if isinstance(v, dict):
                        r.setdefault("entity_values", {})[e] = v["enum"]
                        r["entities"][e] = v["level"]
                out["files"]["%s.%s.%s" % (group, fname, rname)] = r
    meta_keys = set()
    groups = [("sidecars", n) for n in ("eeg", "mrs", "events", "entity_rules")]
    for kind, name in groups:
        for rname, r in sorted(s["rules"][kind][name].items()):
            fields = {k: level(v) for k, v in r["fields"].items()}
            meta_keys.update(fields)
            out["sidecars"]["%s.%s" % (name, rname)] = {"selectors": r["selectors"], "fields": fields}
    for rname, r in sorted(s["rules"]["dataset_metadata"].items()):
        if rname in ("dataset_description", "dataset_authors"):
            fields = {k: level(v) for k, v in r["fields"].items()}
            meta_keys.update(fields)
            out["sidecars"]["dataset_metadata." + rname] = {"selectors": r["selectors"], "fields": fields}
    col_keys = set()
    for name, rname in (("eeg", "EEGChannels"), ("task", "TaskEvents"), ("modality_agnostic", "Participants")):
        r = s["rules"]["tabular_data"][name][rname]
        cols = {k: level(v) for k, v in r["columns"].items()}
        col_keys.update(cols)
        out["tabular"]["%s.%s" % (name, rname)] = {
            "selectors": r["selectors"],
            "columns": cols,
            "initial_columns": r.get("initial_columns", []),
            "additional_columns": r.get("additional_columns", "allowed"),
        }
    # Metadata used inside column descriptions (Levels, Units, ...).
    meta_keys.update(["Description", "Levels", "Units", "LongName", "TermURL"])
    for k in sorted(meta_keys):
        out["metadata"][k] = strip(s["objects"]["metadata"][k])
    for k in sorted(col_keys):
        out["columns"][k] = strip(s["objects"]["columns"][k])
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
