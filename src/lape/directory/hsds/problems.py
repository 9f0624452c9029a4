"""What the HSDS importer reports: each problem names the record, the field and the reason."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import ngettext


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the input: which record (service id, file line…), which field, and why."""

    record_id: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.record_id}: {self.field}" if self.field else self.record_id
        return f"{where}: {self.reason}"


class HsdsImportError(Exception):
    """The input had problems; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            ngettext(
                "Nothing was imported: the data has %(count)d problem. Fix it and import again.",
                "Nothing was imported: the data has %(count)d problems. Fix them and import again.",
                len(problems),
            )
            % {"count": len(problems)}
        )
