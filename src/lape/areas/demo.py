"""Demo areas: Pohjois-Savo and a few reference municipalities, read by the real importer.

The files in demo_data/ are small extracts of the public files in ../shared/data/areas, in the
same formats, so `make demo` needs no ../shared: the 19 municipalities of the Pohjois-Savo region
and wellbeing-services county (2023, Joroinen included as the key table has it), plus Helsinki
(091, bilingual, its own unit), Porvoo (638, bilingual with a Finnish majority), Närpes (545,
bilingual with a Swedish majority) and Mariehamn (478, unilingual Swedish, Åland).
"""

from __future__ import annotations

from pathlib import Path

from .importers import AreaImportSummary, import_areas

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_YEAR = 2023


def import_demo_areas() -> AreaImportSummary:
    """Import the demo areas and say what was imported."""
    return import_areas(DEMO_DIR, year=DEMO_YEAR)


def load_demo_areas() -> None:
    """Load the demo areas (idempotent: a second run updates in place)."""
    import_demo_areas()
