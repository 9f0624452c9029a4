"""What each role may do: which roles see client data (and so must use two-factor authentication)."""

from __future__ import annotations

from .models import Role

# Roles whose work is with children and families: they may be given client data (through `access`),
# so their login needs a second factor. Managers see statistics, publishers the directory,
# administrators accounts: none of them sees a client's data.
SEES_CLIENT_DATA: frozenset[str] = frozenset(
    role.value for role in Role if role not in {Role.MANAGER, Role.PUBLISHER, Role.ADMINISTRATOR}
)


def needs_second_factor(role: str) -> bool:
    """Whether acting in `role` needs a verified second factor (TOTP) in this session."""
    return role in SEES_CLIENT_DATA
