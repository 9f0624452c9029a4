"""Import regions, wellbeing-services counties and municipalities from the public data files.

Which file is authoritative for what:

- **Statistics Finland's municipality key table** of the chosen year
  (`statfi_municipality_key_<year>.csv`) decides which municipalities exist, their language status
  (`kielisuhde`), region (`maakunta`, names fi/sv/en) and wellbeing-services county. It is the only
  source that is per year and has all of these.
- **The national code list** (`municipality_codes_2023.json`, koodistot.suomi.fi) gives the official
  municipality names fi/sv/en for its own year (2023, e.g. "Maarianhamina - Mariehamn"); for another
  year, or a code it lacks, the key table's names are used.
- **Statistics Finland's county classification** (`wellbeing_services_county_codes_2022.csv`) decides
  the set of units (21 counties, the City of Helsinki 90, Åland 91); the **county code list**
  (`wellbeing_counties_codelist.json`) gives their names in Swedish and English.
- **The 2022 correspondence tables** (municipality -> region, municipality -> county) are a check:
  where they disagree with the key table, the key table (newer) wins and the summary says so.
- **The central localities CSV** gives each municipality's central locality and coordinates; the
  names are upper case in the source and are title-cased.

All files are read and checked before anything is written; the writes run in one transaction, so a
bad file changes nothing. Areas are matched by code, so a re-import updates in place; areas missing
from the files are kept (other data refers to them) and counted in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Municipality, Region, WellbeingCounty
from .sources import (
    AREA_CODE_WIDTH,
    MUNICIPALITY_CODE_WIDTH,
    AreaDataError,
    Names,
    read_central_localities,
    read_code_list,
    read_correspondence,
    read_county_classification,
    read_municipality_key,
)

YEARS = (2023, 2026)
MUNICIPALITY_CODES = "municipality_codes_2023.json"
COUNTY_CODES = "wellbeing_counties_codelist.json"
COUNTY_CLASSIFICATION = "wellbeing_services_county_codes_2022.csv"
TO_REGION = "municipality_to_region_2022.csv"
TO_COUNTY = "municipality_to_wellbeing_services_county_2022.csv"
LOCALITIES = "municipality_central_localities.csv"

# Statistics Finland's `kielisuhde` codes.
LANGUAGE_STATUS = {
    "0": Municipality.LanguageStatus.FINNISH,
    "1": Municipality.LanguageStatus.BILINGUAL_FINNISH_MAJORITY,
    "2": Municipality.LanguageStatus.SWEDISH,
    "3": Municipality.LanguageStatus.BILINGUAL_SWEDISH_MAJORITY,
}
COUNTY_KIND = {"90": WellbeingCounty.Kind.HELSINKI, "91": WellbeingCounty.Kind.ALAND}


def key_table_name(year: int) -> str:
    """The file name of Statistics Finland's municipality key table of `year`."""
    return f"statfi_municipality_key_{year}.csv"


@dataclass
class Tally:
    """How many rows an import created and updated."""

    created: int = 0
    updated: int = 0

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1

    @property
    def total(self) -> int:
        return self.created + self.updated


@dataclass
class AreaImportSummary:
    """What an area import did, for the operator."""

    year: int
    regions: Tally = field(default_factory=Tally)
    counties: Tally = field(default_factory=Tally)
    municipalities: Tally = field(default_factory=Tally)
    without_locality: list[str] = field(default_factory=list)
    kept_from_earlier: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as sentences, one a line."""
        out = [
            _("Areas of %(year)d imported.") % {"year": self.year},
            _("Regions: %(total)d (new %(created)d, updated %(updated)d).")
            % {"total": self.regions.total, "created": self.regions.created, "updated": self.regions.updated},
            _("Wellbeing-services counties: %(total)d (new %(created)d, updated %(updated)d).")
            % {
                "total": self.counties.total,
                "created": self.counties.created,
                "updated": self.counties.updated,
            },
            _("Municipalities: %(total)d (new %(created)d, updated %(updated)d).")
            % {
                "total": self.municipalities.total,
                "created": self.municipalities.created,
                "updated": self.municipalities.updated,
            },
        ]
        if self.without_locality:
            out.append(_("No central locality for: %(codes)s.") % {"codes": ", ".join(self.without_locality)})
        if self.kept_from_earlier:
            out.append(
                ngettext(
                    "%(n)d municipality from earlier imports is not in this year's table; it was kept.",
                    "%(n)d municipalities from earlier imports are not in this year's table; they were kept.",
                    self.kept_from_earlier,
                )
                % {"n": self.kept_from_earlier}
            )
        return out + self.notes


def import_areas(directory: Path, year: int = 2023) -> AreaImportSummary:
    """Import all areas from `directory`; all or nothing, raising AreaDataError for a bad file."""
    if year not in YEARS:
        raise AreaDataError(
            directory / key_table_name(year),
            _("there is no key table for the year %(year)d.") % {"year": year},
        )
    directory = Path(directory)
    key_path = directory / key_table_name(year)
    key_rows = read_municipality_key(key_path, year)
    municipality_names = read_code_list(directory / MUNICIPALITY_CODES, "results", MUNICIPALITY_CODE_WIDTH)
    county_names = read_code_list(directory / COUNTY_CODES, "codes", AREA_CODE_WIDTH)
    classification = read_county_classification(directory / COUNTY_CLASSIFICATION)
    to_region = read_correspondence(directory / TO_REGION, "maakunta")
    to_county = read_correspondence(directory / TO_COUNTY, "hyvinvointialue")
    localities = read_central_localities(directory / LOCALITIES)

    summary = AreaImportSummary(year)
    for row in key_rows:
        if row.county_code not in classification:
            raise AreaDataError(
                key_path,
                _("the wellbeing-services county %(code)s is not in %(file)s.")
                % {"code": row.county_code, "file": COUNTY_CLASSIFICATION},
                row.line,
            )
        if row.language_code not in LANGUAGE_STATUS:
            raise AreaDataError(
                key_path,
                _("the language status (kielisuhde) code “%(code)s” is not one of 0, 1, 2, 3.")
                % {"code": row.language_code},
                row.line,
            )
        summary.notes.extend(_disagreements(row.code, row.region_code, to_region.targets, TO_REGION))
        summary.notes.extend(_disagreements(row.code, row.county_code, to_county.targets, TO_COUNTY))

    with transaction.atomic():
        counties: dict[str, WellbeingCounty] = {}
        for code, (name_fi, _line) in sorted(classification.items()):
            names = county_names.names.get(code, Names(name_fi))
            county, created = WellbeingCounty.objects.update_or_create(
                code=code,
                defaults={
                    "name_fi": names.fi,
                    "name_sv": names.sv,
                    "name_en": names.en,
                    "kind": COUNTY_KIND.get(code, WellbeingCounty.Kind.COUNTY),
                },
            )
            counties[code] = county
            summary.counties.add(created)

        regions: dict[str, Region] = {}
        for row in key_rows:
            if row.region_code in regions:
                continue
            region, created = Region.objects.update_or_create(
                code=row.region_code,
                defaults={
                    "name_fi": row.region_names.fi,
                    "name_sv": row.region_names.sv,
                    "name_en": row.region_names.en,
                },
            )
            regions[row.region_code] = region
            summary.regions.add(created)

        use_code_list = municipality_names.year == year
        for row in key_rows:
            names = municipality_names.names.get(row.code, row.names) if use_code_list else row.names
            locality = localities.get(row.code)
            if locality is None:
                summary.without_locality.append(row.code)
            _municipality, created = Municipality.objects.update_or_create(
                code=row.code,
                defaults={
                    "name_fi": names.fi,
                    "name_sv": names.sv,
                    "name_en": names.en,
                    "language_status": LANGUAGE_STATUS[row.language_code],
                    "region": regions[row.region_code],
                    "wellbeing_county": counties[row.county_code],
                    "central_locality": locality.name if locality else "",
                    "latitude": locality.latitude if locality else None,
                    "longitude": locality.longitude if locality else None,
                    "valid_year": year,
                },
            )
            summary.municipalities.add(created)
        summary.kept_from_earlier = Municipality.objects.exclude(code__in=[r.code for r in key_rows]).count()
    return summary


def _disagreements(
    code: str, target_code: str, targets: dict[str, tuple[str, str, int]], file_name: str
) -> list[str]:
    """A note when the 2022 correspondence puts the municipality elsewhere than the key table."""
    found = targets.get(code)
    if found is None or found[0] == target_code:
        return []
    return [
        _("Municipality %(code)s: %(file)s says %(old)s, the key table %(new)s; the key table is used.")
        % {"code": code, "file": file_name, "old": found[0], "new": target_code}
    ]
