"""What accounts does when others act: a login stamps the session, memberships drive the back office,
the demo adds the demo professionals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from lape.directory.signals import demo_loaded

from .middleware import stamp_session
from .models import Membership, Role
from .staff import sync_staff_access


def logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A new login: stamp the session for the session limits; refresh the back-office rights."""
    if request is not None and hasattr(request, "session"):
        stamp_session(request, user)
    sync_staff_access(user)


def membership_saved(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    """A membership added or changed (e.g. ended): refresh the user's back-office rights."""
    sync_staff_access(instance.user)


def membership_deleted(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    """A membership deleted: take away what it gave."""
    dropped = [instance.organization_id] if instance.role == Role.PUBLISHER else []
    sync_staff_access(instance.user, dropped_organization_ids=dropped)


def load_demo(sender: Any, **kwargs: Any) -> None:
    """After the directory demo: the demo units and one demo professional for each role."""
    from .demo import load_demo_accounts

    load_demo_accounts()


def connect() -> None:
    """Connect the receivers (called once from AccountsConfig.ready)."""
    user_logged_in.connect(logged_in, dispatch_uid="lape.accounts.logged_in")
    post_save.connect(membership_saved, sender=Membership, dispatch_uid="lape.accounts.membership_saved")
    post_delete.connect(
        membership_deleted, sender=Membership, dispatch_uid="lape.accounts.membership_deleted"
    )
    demo_loaded.connect(load_demo, dispatch_uid="lape.accounts.demo")
