"""Re-sealing every identity code with the current key, and re-hashing it with the current lookup key.

Run by `lape rotate-identity-code-keys` after a new key was put first in LAPE_IDENTITY_CODE_KEYS (or
a new LAPE_IDENTITY_CODE_LOOKUP_KEY was set). All or nothing: if any value does not open, nothing is
changed, so a half-rotated database never depends on a key the operator is about to remove.
"""

from __future__ import annotations

import dataclasses

from django.db import transaction

from .models import Person
from .sealing import SealedValueError, key_ring, lookup_hash, seal, sealed_key_id, unseal

BATCH = 500


@dataclasses.dataclass(frozen=True)
class RotationSummary:
    """What a rotation did: rows examined, re-sealed and re-hashed, and the key that seals now."""

    examined: int
    resealed: int
    rehashed: int
    current_key_id: str
    unused_key_ids: tuple[str, ...]


class RotationFailed(Exception):
    """A sealed value did not open; nothing was changed."""


def rotate_identity_code_keys() -> RotationSummary:
    """Re-seal the codes not sealed with the current key and re-hash those whose lookup hash changed."""
    ring = key_ring()
    examined = resealed = rehashed = 0
    with transaction.atomic():
        sealed = Person.objects.exclude(identity_code_sealed="")
        # Ids first, then batches: no open cursor over the table while it is being updated.
        ids = list(sealed.order_by("id").values_list("id", flat=True))
        for start in range(0, len(ids), BATCH):
            batch = (
                sealed.select_for_update()
                .filter(pk__in=ids[start : start + BATCH])
                .only("id", "identity_code_sealed", "identity_code_lookup")
            )
            changed: list[Person] = []
            for person in batch:
                examined += 1
                try:
                    code = unseal(person.identity_code_sealed, person.id, ring)
                except SealedValueError as exc:
                    # The person's id (not the code) tells the operator which row to look at.
                    raise RotationFailed(f"person {person.id}: {exc}") from None
                dirty = False
                if sealed_key_id(person.identity_code_sealed) != ring.current_key_id:
                    person.identity_code_sealed = seal(code, person.id, ring)
                    resealed += 1
                    dirty = True
                new_hash = lookup_hash(code, ring)
                if person.identity_code_lookup != new_hash:
                    person.identity_code_lookup = new_hash
                    rehashed += 1
                    dirty = True
                if dirty:
                    changed.append(person)
            Person.objects.bulk_update(changed, ["identity_code_sealed", "identity_code_lookup"])
    unused = tuple(key_id for key_id, _key in ring.keys[1:])
    return RotationSummary(examined, resealed, rehashed, ring.current_key_id, unused)
