"""`lape rotate-identity-code-keys`: re-seal every identity code with the newest key (all or nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lape.people.key_rotation import RotationFailed, rotate_identity_code_keys


class Command(BaseCommand):
    help = (
        "Re-seal every identity code with the first key of LAPE_IDENTITY_CODE_KEYS and re-hash it with "
        "LAPE_IDENTITY_CODE_LOOKUP_KEY; nothing changes if any code does not open."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = rotate_identity_code_keys()
        except RotationFailed as exc:
            raise CommandError(
                _("Nothing was changed: an identity code did not open (%(reason)s).") % {"reason": exc}
            ) from None
        self.stdout.write(
            ngettext(
                "Examined %(count)d identity code: %(resealed)d re-sealed with the key %(key)s, "
                "%(rehashed)d re-hashed.",
                "Examined %(count)d identity codes: %(resealed)d re-sealed with the key %(key)s, "
                "%(rehashed)d re-hashed.",
                summary.examined,
            )
            % {
                "count": summary.examined,
                "resealed": summary.resealed,
                "key": summary.current_key_id,
                "rehashed": summary.rehashed,
            }
        )
        if summary.unused_key_ids:
            self.stdout.write(
                _("No identity code is sealed with these keys any more; they can be removed: %(keys)s")
                % {"keys": ", ".join(summary.unused_key_ids)}
            )
