"""`lape createuser`: create a publisher of some organisations, or an administrator."""

from __future__ import annotations

import getpass
import sys
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from lape.directory.models import Organization, Publisher
from lape.directory.permissions import publisher_group


def find_organization(key: str) -> Organization:
    """The organisation with this id (UUID) or business ID (e.g. 0171612-6)."""
    try:
        return Organization.objects.get(pk=uuid.UUID(key))
    except (ValueError, Organization.DoesNotExist):
        pass
    matches = list(Organization.objects.filter(business_id=key.strip())[:2])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise CommandError(
            _("Several organisations have the business ID %(key)s. Give the organisation's id instead.")
            % {"key": key}
        )
    raise CommandError(
        _(
            "No organisation has the id or business ID %(key)s. Check it in the admin or import the organisation first."
        )
        % {"key": key}
    )


class Command(BaseCommand):
    help = "Create a user: a publisher of the given organisations (--organization) or an administrator (--superuser)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--organization",
            action="append",
            default=[],
            metavar="ORG_ID_OR_BUSINESS_ID",
            help="Make the user a publisher of this organisation (repeat for several).",
        )
        parser.add_argument("--superuser", action="store_true", help="Make the user an administrator.")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username: str = options["username"].strip()
        if not username:
            raise CommandError(_("Give a username."))
        if User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists():
            raise CommandError(
                _("The user %(username)s already exists. Choose another username.") % {"username": username}
            )
        organizations = [find_organization(key) for key in options["organization"]]

        user = User(**{User.USERNAME_FIELD: username})
        if options["email"]:
            user.email = options["email"]
        user.is_staff = bool(options["superuser"] or organizations)
        user.is_superuser = bool(options["superuser"])

        password = self._password(options)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(
                _("The password is not good enough: %(reasons)s Choose another password.")
                % {"reasons": " ".join(exc.messages)}
            ) from exc
        user.set_password(password)

        with transaction.atomic():
            user.save()
            if organizations:
                user.groups.add(publisher_group())
                for organization in organizations:
                    Publisher.objects.get_or_create(user=user, organization=organization)

        if user.is_superuser:
            self.stdout.write(_("Created the administrator %(username)s.") % {"username": username})
        elif organizations:
            names = ", ".join(str(o) for o in organizations)
            self.stdout.write(
                _("Created the publisher %(username)s for %(organizations)s.")
                % {"username": username, "organizations": names}
            )
        else:
            self.stdout.write(_("Created the user %(username)s.") % {"username": username})

    def _password(self, options: dict[str, Any]) -> str:
        if options["password_stdin"]:
            stdin = options.get("stdin") or sys.stdin
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(_("No password was given on standard input; write it on the first line."))
            return password
        stdin = options.get("stdin") or sys.stdin
        if not stdin.isatty():
            raise CommandError(_("No terminal to ask the password from. Use --password-stdin."))
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The passwords did not match. Run the command again."))
        return password
