"""The self-assessments over time as a table: one row per wellbeing domain, one column per assessment.

Both plan pages (the professionals' and the family's) show it, built from the assessments the
reader was allowed to read; an unanswered domain is an empty cell. `chart_points` gives the same
numbers as positions of a small server-rendered SVG line per domain (the table stays beneath it:
the chart is decoration for those who see it, the table is the information).
"""

from __future__ import annotations

from dataclasses import dataclass

from .domains import WellbeingDomain
from .models import Feeling, SelfAssessment

# The SVG's drawing box for one domain's line: CHART_WIDTH wide, CHART_HEIGHT high.
CHART_WIDTH = 160
CHART_HEIGHT = 40


@dataclass(frozen=True)
class Cell:
    """One domain's feeling in one assessment (None: not answered)."""

    feeling: int | None

    @property
    def label(self) -> str:
        """The feeling's words ("" when not answered)."""
        return str(Feeling(self.feeling).label) if self.feeling else ""


@dataclass(frozen=True)
class DomainRow:
    """One domain's feelings, oldest assessment first, and its line for the chart."""

    domain: str
    label: str
    cells: list[Cell]

    @property
    def dots(self) -> list[tuple[float, float]]:
        """The answered cells as (x, y) in the chart's box: oldest left, 5 at the top, 1 at the bottom."""
        step = CHART_WIDTH / max(len(self.cells) - 1, 1)
        return [
            (round(index * step, 1), round(CHART_HEIGHT - (cell.feeling - 1) * CHART_HEIGHT / 4, 1))
            for index, cell in enumerate(self.cells)
            if cell.feeling
        ]

    @property
    def points(self) -> str:
        """The SVG polyline's points through the answered cells."""
        return " ".join(f"{x},{y}" for x, y in self.dots)


@dataclass(frozen=True)
class WellbeingTable:
    """The assessments' dates (columns) and one row per domain."""

    assessments: list[SelfAssessment]
    rows: list[DomainRow]

    @property
    def has_chart(self) -> bool:
        """A chart only says something over time: from two assessments on."""
        return len(self.assessments) >= 2


def wellbeing_table(assessments: list[SelfAssessment]) -> WellbeingTable:
    """The table of these assessments (their answers prefetched), oldest first."""
    ordered = sorted(assessments, key=lambda a: (a.created_at, a.pk))
    feelings = [{answer.domain: answer.feeling for answer in a.answers.all()} for a in ordered]
    rows = [
        DomainRow(
            domain=domain.value, label=str(domain.label), cells=[Cell(f.get(domain.value)) for f in feelings]
        )
        for domain in WellbeingDomain
    ]
    return WellbeingTable(assessments=ordered, rows=rows)
