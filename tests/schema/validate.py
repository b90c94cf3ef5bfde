"""Validates data files against a JSON Schema with the `jsonschema` package
(draft 2020-12). TOML, YAML and JSON files are read as an editor's
extension would: TOML dates become strings.

usage: python3 validate.py SCHEMA.json FILE...
Prints one line per file, "ok FILE" or "bad FILE: reason"; exits 1 when
any file is bad."""
import json
import sys
import tomllib

import jsonschema


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    if path.endswith(".toml"):
        data = tomllib.loads(raw.decode("utf-8"))
    elif path.endswith((".yaml", ".yml")):
        import yaml
        data = yaml.safe_load(raw)
    else:
        data = json.loads(raw)
    return json.loads(json.dumps(data, default=str))


schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.path))
    if errors:
        bad += 1
        print(f"bad {path}: {errors[0].message} at {list(errors[0].path)}")
    else:
        print(f"ok {path}")
sys.exit(1 if bad else 0)
