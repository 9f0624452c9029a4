"""Proving the access log's chain: walk every row in id order, in batches, in constant memory.

Each row must carry the previous row's hash and hash to its own `hash`; the last row must be the
one the chain head names. The first row that fails is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .log import HASHED_FIELDS, entry_hash
from .models import GENESIS_HASH, AccessLogEntry, AccessLogHead

COLUMNS = ("id", *HASHED_FIELDS, "hash")


@dataclass(frozen=True)
class ChainReport:
    """What verification found: rows checked, and the first broken row (id) with the problem."""

    checked: int
    last_hash: str
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        """True when the whole chain holds."""
        return not self.problem


def verify_chain(batch_size: int = 5000, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Walk the log up to the chain head as it was when verification started."""
    head = AccessLogHead.objects.filter(pk=1).first()
    end = head.last_entry_id if head else None
    previous = GENESIS_HASH
    last_id = 0
    checked = 0
    while True:
        rows = AccessLogEntry.objects.filter(id__gt=last_id).order_by("id").values_list(*COLUMNS)
        if end is not None:
            rows = rows.filter(id__lte=end)
        batch = list(rows[:batch_size])
        if not batch:
            break
        for row in batch:
            values = dict(zip(COLUMNS, row, strict=True))
            row_id: int = values["id"]
            if entry_hash(values) != values["hash"]:
                problem = _(
                    "Row %(id)s was changed after it was written: its content does not match its hash."
                )
                return ChainReport(checked, previous, row_id, problem % {"id": row_id})
            if values["previous_hash"] != previous:
                problem = _(
                    "Row %(id)s does not follow the row before it: a row was removed, inserted or "
                    "reordered before it."
                )
                return ChainReport(checked, previous, row_id, problem % {"id": row_id})
            previous = values["hash"]
            last_id = row_id
            checked += 1
        if progress:
            progress(checked)
    if end is None:
        if checked or AccessLogEntry.objects.exists():
            return ChainReport(checked, previous, None, _("The chain head is missing: it was deleted."))
        return ChainReport(checked, previous)
    if head is not None and (last_id != end or previous != head.last_hash):
        problem = _(
            "The log ends at row %(last)s but its head names row %(end)s: rows were removed from the end."
        )
        return ChainReport(checked, previous, last_id or None, problem % {"last": last_id, "end": end})
    return ChainReport(checked, previous)
