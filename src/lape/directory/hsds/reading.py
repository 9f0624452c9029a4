"""Reading HSDS files: a JSON list or object, the paginated list, NDJSON, or a CSV datapackage folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .csvpackage import read_package
from .problems import HsdsImportError, Problem

NDJSON_SUFFIXES = {".ndjson", ".jsonl"}


def read_records_with_warnings(path: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Full-service dicts from `path`, and warnings about data that was left out (CSV only)."""
    if path.is_dir():
        return read_package(path)
    if not path.is_file():
        raise HsdsImportError(
            [Problem(str(path), "", _("There is no file or folder at this path; check the path."))]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise HsdsImportError(
            [Problem(path.name, "", _("The file is not UTF-8 text; save it as UTF-8 and import it again."))]
        ) from None
    if path.suffix.lower() in NDJSON_SUFFIXES:
        return _ndjson(text, path.name), []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if _looks_like_ndjson(text):
            return _ndjson(text, path.name), []
        raise HsdsImportError([_broken_json(path.name, exc)]) from None
    return _records_from_json(data, path.name), []


def _looks_like_ndjson(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except json.JSONDecodeError:
        return False


def _broken_json(name: str, exc: json.JSONDecodeError) -> Problem:
    return Problem(
        name,
        "",
        _("The file is not valid JSON: %(error)s at line %(line)d, column %(column)d.")
        % {"error": exc.msg, "line": exc.lineno, "column": exc.colno},
    )


def _ndjson(text: str, name: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(
                    _("%(file)s, line %(line)d") % {"file": name, "line": number},
                    "",
                    _("The line is not valid JSON: %(error)s at column %(column)d.")
                    % {"error": exc.msg, "column": exc.colno},
                )
            )
            continue
        if not isinstance(value, dict):
            problems.append(
                Problem(
                    _("%(file)s, line %(line)d") % {"file": name, "line": number},
                    "",
                    _("Each line must hold one service as a JSON object."),
                )
            )
            continue
        records.append(value)
    if problems:
        raise HsdsImportError(problems)
    return records


def _records_from_json(data: Any, name: str) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise HsdsImportError(
            [Problem(name, "", _("Expected a list of services, a paginated list or one service."))]
        )
    problems = [
        Problem(name, f"[{index}]", _("Each service must be a JSON object."))
        for index, item in enumerate(data)
        if not isinstance(item, dict)
    ]
    if problems:
        raise HsdsImportError(problems)
    return data
