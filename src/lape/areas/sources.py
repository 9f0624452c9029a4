"""Readers for the public area data files; each returns plain records or raises AreaDataError.

The formats are those of the files in ../shared/data/areas (see its SOURCES.md): the national code
list service's JSON, Statistics Finland's correspondence and classification CSVs (Windows-1252,
`;`-separated), Statistics Finland's municipality key table (UTF-8) and the central localities CSV.
Nothing here touches the database.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MUNICIPALITY_CODE_WIDTH = 3
AREA_CODE_WIDTH = 2  # regions and wellbeing-services counties


class AreaDataError(Exception):
    """A data file is missing or malformed; the message names the file, the line and the problem."""

    def __init__(self, path: Path, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        if line is None:
            message = _("%(file)s: %(problem)s") % {"file": path, "problem": problem}
        else:
            message = _("%(file)s, line %(line)d: %(problem)s") % {
                "file": path,
                "line": line,
                "problem": problem,
            }
        super().__init__(message)


@dataclass(frozen=True)
class Names:
    """A name in Finnish, Swedish and English (Swedish and English may be empty)."""

    fi: str
    sv: str = ""
    en: str = ""


@dataclass(frozen=True)
class CodeList:
    """Codes and names from the national code list service (koodistot.suomi.fi)."""

    year: int | None  # from the code scheme, e.g. kunta_1_20230101 -> 2023
    names: dict[str, Names]


@dataclass(frozen=True)
class Correspondence:
    """A Statistics Finland correspondence table: source code -> (target code, target name, line)."""

    classification_pair: str
    targets: dict[str, tuple[str, str, int]]


@dataclass(frozen=True)
class KeyRow:
    """One municipality of Statistics Finland's municipality key table."""

    line: int
    code: str
    names: Names
    language_code: str
    region_code: str
    region_names: Names
    county_code: str
    county_names: Names


@dataclass(frozen=True)
class Locality:
    """A municipality's central locality with WGS84 coordinates."""

    name: str
    latitude: float
    longitude: float


def normalise_code(raw: str, width: int) -> str | None:
    """A code padded to `width` digits ("20" -> "020", "'06'" -> "06", "20.0" -> "020"); None if not a code."""
    value = raw.strip().strip("'\"").strip()
    if value.endswith(".0"):  # the key tables came from R, where codes were numbers
        value = value[:-2]
    if not re.fullmatch(r"[0-9]+", value) or len(value) > width:
        return None
    return value.zfill(width)


def _code(path: Path, line: int, raw: str, width: int, what: str) -> str:
    code = normalise_code(raw, width)
    if code is None:
        raise AreaDataError(
            path,
            ngettext(
                "“%(value)s” is not a valid code (%(what)s, up to %(width)d digit).",
                "“%(value)s” is not a valid code (%(what)s, up to %(width)d digits).",
                width,
            )
            % {"value": raw, "what": what, "width": width},
            line,
        )
    return code


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AreaDataError(path, _("the file does not exist.")) from None
    except OSError as error:
        raise AreaDataError(path, _("the file cannot be read (%(error)s).") % {"error": error}) from None


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise AreaDataError(
            path, _("the text is not valid %(encoding)s.") % {"encoding": encoding}, line
        ) from None


def _read_json(path: Path) -> Any:
    text = _decode(path, _read_bytes(path), "utf-8-sig")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise AreaDataError(
            path, _("the JSON is not valid (%(error)s).") % {"error": error.msg}, error.lineno
        ) from None


def _label(path: Path, entry: Any, index: int, list_name: str) -> tuple[str, Names]:
    if not isinstance(entry, dict) or not isinstance(entry.get("prefLabel"), dict):
        raise AreaDataError(
            path,
            _("entry %(index)d of “%(list)s” has no prefLabel object.") % {"index": index, "list": list_name},
        )
    raw = entry.get("codeValue")
    label = entry["prefLabel"]
    fi = str(label.get("fi") or "").strip()
    if not isinstance(raw, str) or not fi:
        raise AreaDataError(
            path,
            _("entry %(index)d of “%(list)s” lacks a codeValue or a Finnish prefLabel.")
            % {"index": index, "list": list_name},
        )
    names = Names(fi, str(label.get("sv") or "").strip(), str(label.get("en") or "").strip())
    return raw, names


def read_code_list(path: Path, list_name: str, width: int) -> CodeList:
    """Read a code list service answer: `results[]` (a codes query) or `codes[]` (a code scheme)."""
    data = _read_json(path)
    entries = data.get(list_name) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise AreaDataError(path, _("the JSON has no non-empty “%(list)s” list.") % {"list": list_name})
    names: dict[str, Names] = {}
    for index, entry in enumerate(entries, start=1):
        raw, entry_names = _label(path, entry, index, list_name)
        code = normalise_code(raw, width)
        if code is None:
            raise AreaDataError(
                path,
                ngettext(
                    "entry %(index)d of “%(list)s” has the code “%(value)s”, which is not %(width)d digit.",
                    "entry %(index)d of “%(list)s” has the code “%(value)s”, which is not %(width)d digits.",
                    width,
                )
                % {"index": index, "list": list_name, "value": raw, "width": width},
            )
        names[code] = entry_names
    scheme = json.dumps(data.get("codeValue") or entries[0].get("codeScheme", {}))
    found = re.search(r"_(\d{4})\d{4}\b", scheme)
    return CodeList(int(found.group(1)) if found else None, names)


def read_correspondence(path: Path, target: str) -> Correspondence:
    """Read a correspondence CSV: the first line names the encoding and `kunta_…#<target>_…`."""
    data = _read_bytes(path)
    lines = data.split(b"\n")
    first = next((i for i, raw in enumerate(lines) if raw.strip()), None)
    if first is None:
        raise AreaDataError(path, _("the file is empty."))
    head = lines[first].decode("ascii", errors="replace").strip().split(";")
    try:
        encoding = codecs.lookup(head[0]).name
    except LookupError:
        raise AreaDataError(
            path, _("the first line should name the encoding (e.g. Windows-1252)."), first + 1
        ) from None
    pair = head[2] if len(head) > 2 else ""
    if not re.fullmatch(rf"kunta_\d+_\d{{8}}#{target}_\d+_\d{{8}}", pair):
        raise AreaDataError(
            path,
            _("the first line should name the classification pair kunta_…#%(target)s_…, not “%(pair)s”.")
            % {"target": target, "pair": pair},
            first + 1,
        )
    text_lines = _decode(path, data, encoding).replace("\r", "").split("\n")
    header_at = first + 1
    if (
        header_at >= len(text_lines)
        or text_lines[header_at].strip() != "sourcecode;sourcename;targetcode;targetname"
    ):
        raise AreaDataError(
            path, _("the header “sourcecode;sourcename;targetcode;targetname” is missing."), header_at + 1
        )
    targets: dict[str, tuple[str, str, int]] = {}
    for number, fields in _csv_rows(text_lines, header_at + 1, ";"):
        if len(fields) != 4:
            raise AreaDataError(
                path, _("the row should have 4 fields, it has %(n)d.") % {"n": len(fields)}, number
            )
        code = _code(path, number, fields[0], MUNICIPALITY_CODE_WIDTH, _("municipality"))
        target_code = _code(path, number, fields[2], AREA_CODE_WIDTH, target)
        targets[code] = (target_code, fields[3].strip(), number)
    if not targets:
        raise AreaDataError(path, _("the table has no rows."))
    return Correspondence(pair, targets)


def read_county_classification(path: Path) -> dict[str, tuple[str, int]]:
    """Read Statistics Finland's wellbeing-services county classification: code -> (Finnish name, line)."""
    text_lines = _decode(path, _read_bytes(path), "cp1252").replace("\r", "").split("\n")
    if not text_lines[0].startswith("code;level;classificationItemName"):
        raise AreaDataError(path, _("the header “code;level;classificationItemName” is missing."), 1)
    units: dict[str, tuple[str, int]] = {}
    for number, fields in _csv_rows(text_lines, 1, ";"):
        if len(fields) < 3 or not fields[2].strip():
            raise AreaDataError(path, _("the row should have a code, a level and a name."), number)
        units[_code(path, number, fields[0], AREA_CODE_WIDTH, _("county"))] = (fields[2].strip(), number)
    if not units:
        raise AreaDataError(path, _("the classification has no rows."))
    return units


KEY_COLUMNS = (
    "kunta",
    "municipality_name_fi",
    "municipality_name_sv",
    "municipality_name_en",
    "kielisuhde_code",
    "maakunta_code",
    "maakunta_name_fi",
    "maakunta_name_sv",
    "maakunta_name_en",
    "hyvinvointialue_code",
    "hyvinvointialue_name_fi",
    "hyvinvointialue_name_sv",
    "hyvinvointialue_name_en",
    "year",
)


def read_municipality_key(path: Path, year: int) -> list[KeyRow]:
    """Read Statistics Finland's municipality key table of `year` (UTF-8, one row per municipality)."""
    text_lines = _decode(path, _read_bytes(path), "utf-8-sig").replace("\r", "").split("\n")
    header = next(csv.reader(text_lines[:1]), [])
    missing = [column for column in KEY_COLUMNS if column not in header]
    if missing:
        raise AreaDataError(
            path, _("the header lacks the columns %(columns)s.") % {"columns": ", ".join(missing)}, 1
        )
    rows: list[KeyRow] = []
    seen: set[str] = set()
    for number, fields in _csv_rows(text_lines, 1, ","):
        if len(fields) != len(header):
            raise AreaDataError(
                path,
                ngettext(
                    "the row has %(n)d field, the header has %(m)d.",
                    "the row has %(n)d fields, the header has %(m)d.",
                    len(fields),
                )
                % {"n": len(fields), "m": len(header)},
                number,
            )
        row = {column: value.strip() for column, value in zip(header, fields, strict=True)}
        if normalise_code(row["year"], 4) != f"{year:04d}":
            raise AreaDataError(
                path,
                _("the row is for year “%(found)s”, not %(year)d.") % {"found": row["year"], "year": year},
                number,
            )
        code = _code(path, number, row["kunta"], MUNICIPALITY_CODE_WIDTH, _("municipality"))
        if code in seen:
            raise AreaDataError(path, _("the municipality %(code)s appears twice.") % {"code": code}, number)
        seen.add(code)
        if not row["municipality_name_fi"]:
            raise AreaDataError(path, _("the municipality has no Finnish name."), number)
        rows.append(
            KeyRow(
                line=number,
                code=code,
                names=_names(row, "municipality_name"),
                language_code=row["kielisuhde_code"].removesuffix(".0"),
                region_code=_code(path, number, row["maakunta_code"], AREA_CODE_WIDTH, _("region")),
                region_names=_names(row, "maakunta_name"),
                county_code=_code(path, number, row["hyvinvointialue_code"], AREA_CODE_WIDTH, _("county")),
                county_names=_names(row, "hyvinvointialue_name"),
            )
        )
    if not rows:
        raise AreaDataError(path, _("the table has no rows."))
    return rows


def read_central_localities(path: Path) -> dict[str, Locality]:
    """Read the central localities CSV (municipality_code, central_locality, lon, lat; names upper case)."""
    text_lines = _decode(path, _read_bytes(path), "utf-8-sig").replace("\r", "").split("\n")
    if text_lines[0].strip() != "municipality_code,central_locality,lon,lat":
        raise AreaDataError(path, _("the header “municipality_code,central_locality,lon,lat” is missing."), 1)
    localities: dict[str, Locality] = {}
    for number, fields in _csv_rows(text_lines, 1, ","):
        if len(fields) != 4:
            raise AreaDataError(
                path, _("the row should have 4 fields, it has %(n)d.") % {"n": len(fields)}, number
            )
        code = _code(path, number, fields[0], MUNICIPALITY_CODE_WIDTH, _("municipality"))
        try:
            longitude, latitude = float(fields[2]), float(fields[3])
        except ValueError:
            raise AreaDataError(path, _("the coordinates are not numbers."), number) from None
        if not (59.0 <= latitude <= 71.0 and 19.0 <= longitude <= 32.0):
            raise AreaDataError(path, _("the coordinates are not in Finland."), number)
        # Upper case in the source; "LÄNSI-TURUNMAA" -> "Länsi-Turunmaa".
        localities[code] = Locality(fields[1].strip().title(), latitude, longitude)
    return localities


def _names(row: dict[str, str], prefix: str) -> Names:
    return Names(row[f"{prefix}_fi"], row[f"{prefix}_sv"], row[f"{prefix}_en"])


def _csv_rows(lines: list[str], start: int, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV rows from `start` (0-based) on, with 1-based line numbers (no multi-line fields here)."""
    rows = []
    for index in range(start, len(lines)):
        if lines[index].strip():
            fields = next(csv.reader([lines[index]], delimiter=delimiter))
            if fields and fields[-1] == "" and delimiter == ";":
                fields = fields[:-1]  # the classification rows end with a ";"
            rows.append((index + 1, fields))
    return rows
