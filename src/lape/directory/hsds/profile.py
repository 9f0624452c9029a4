"""The Finnish LAPE profile of HSDS 3.1, as the HSDS profile mechanism defines it.

The profile is a set of JSON Merge Patch files (RFC 7386) in `profile/`, one per HSDS schema file
it changes. Merged with the core HSDS schemas they give the profile's schemas; `compile_schema`
also resolves the core's relative `$ref`s so a full service can be validated in one go.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

PROFILE_DIR = Path(__file__).resolve().parent / "profile"
PROFILE_URL = "https://github.com/lape-platform/lape/tree/main/src/lape/directory/hsds/profile"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: objects merge key by key, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def profile_patches() -> dict[str, Any]:
    """The profile's patch files by HSDS file name."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(PROFILE_DIR.glob("*.json"))}


def profiled_schemas(core_schema_dir: Path) -> dict[str, Any]:
    """Every core HSDS object schema with the profile's patch applied (not yet dereferenced)."""
    patches = profile_patches()
    schemas: dict[str, Any] = {}
    for path in sorted(core_schema_dir.glob("*.json")):
        if path.name == "openapi.json":
            continue
        core = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.name] = merge_patch(core, patches[path.name]) if path.name in patches else core
    return schemas


def _dereference(node: Any, schemas: dict[str, Any], stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_dereference(item, schemas, stack) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref in schemas:
        if ref in stack:  # a cycle (organization → service → organization): stop with an open schema
            return {k: v for k, v in node.items() if k != "$ref"}
        resolved = _dereference(schemas[ref], schemas, (*stack, ref))
        merged = {k: v for k, v in node.items() if k != "$ref"}
        merged.update(resolved)
        return merged
    return {k: _dereference(v, schemas, stack) for k, v in node.items()}


def compile_schema(core_schema_dir: Path, name: str) -> dict[str, Any]:
    """The profile's schema for one HSDS object (e.g. "service.json"), with every `$ref` resolved."""
    schemas = profiled_schemas(core_schema_dir)
    compiled: dict[str, Any] = _dereference(schemas[name], schemas, (name,))
    return compiled


def validate(obj: Any, core_schema_dir: Path, name: str = "service.json") -> list[str]:
    """Problems of `obj` against the profile's schema, as "path: message" lines (empty when valid)."""
    validator = Draft202012Validator(compile_schema(core_schema_dir, name))
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
    ]
