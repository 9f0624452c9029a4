"""The decision's tables: complete, consistent with the roles, and documented."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from lape.access.categories import REGISTER_OF, Category, RegisterKind
from lape.access.emergency import EMERGENCY_ROLES
from lape.access.registers import ROLE_CATEGORIES
from lape.access.statutes import STATUTES
from lape.accounts.models import Role
from lape.accounts.roles import SEES_CLIENT_DATA

DOC = Path(settings.PROJECT_ROOT) / "docs" / "access.md"


def test_every_role_that_sees_client_data_has_its_own_register_categories() -> None:
    assert set(ROLE_CATEGORIES) == set(SEES_CLIENT_DATA)
    assert set(SEES_CLIENT_DATA) < set(Role.values)
    for categories in ROLE_CATEGORIES.values():
        assert categories <= set(Category.values)


def test_every_category_belongs_to_one_register() -> None:
    assert set(REGISTER_OF) == set(Category.values)


def test_only_pupil_welfare_professionals_work_in_both_education_and_social_and_health_registers() -> None:
    both = {
        role
        for role, categories in ROLE_CATEGORIES.items()
        if {REGISTER_OF[c] for c in categories} >= {RegisterKind.EDUCATION, RegisterKind.SOCIAL_AND_HEALTH}
    }
    assert both == {"school_social_worker", "school_psychologist"}


def test_only_roles_that_see_client_data_may_break_the_glass() -> None:
    assert EMERGENCY_ROLES <= SEES_CLIENT_DATA


def test_every_statute_names_its_law_and_is_documented() -> None:
    documented = DOC.read_text(encoding="utf-8")
    for statute in STATUTES:
        number, section = statute.law.split(" ", 1)
        assert section.endswith("§") and "/" in number
        assert statute.categories <= set(Category.values)
        assert statute.roles is None or statute.roles <= SEES_CLIENT_DATA
        assert statute.record_types and statute.actions
        assert f"| {statute.law} |" in documented
