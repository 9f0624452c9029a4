"""Checking our HSDS output against the official HSDS 3.1 JSON Schemas (the compiled service schema)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft202012Validator


def schema_dir() -> Path:
    """The HSDS 3.1 schemas: ../shared/data/hsds/schema (LAPE_SHARED_DATA overrides)."""
    return Path(settings.SHARED_DATA_DIR) / "hsds" / "schema"


@cache
def _validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_service(obj: Any, schema_path: Path | None = None) -> list[str]:
    """Problems of one full service against schema/compiled/service.json; empty when valid."""
    validator = _validator(schema_path or schema_dir() / "compiled" / "service.json")
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(service)'}: {error.message}"
        for error in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
    ]
