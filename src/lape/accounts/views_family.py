"""Family sign-in pages: start the strong identification, take the provider's answer, sign out.

The identity code from the ID token is validated and matched by its keyed hash only
(`find_by_identity_code`); it is never stored in the session, an address or a log. Refused: a
weak identification, a person who is not registered, a child under 12, a professional's session,
and any answer that cannot be trusted (state, nonce, issuer, signature); each with a translated
explanation on a 403 page. The family's own pages are lape.access.views_family.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lape.people.identity_codes import InvalidIdentityCode
from lape.people.registry import find_by_identity_code

from . import family_oidc
from .family import FAMILY_SIGN_IN_AGE, sign_in_family_member, sign_out_family_member
from .family_oidc import FAMILY_REFUSALS, SignInRefused

FAMILY_HOME = "access:family_home"


def _refused(request: HttpRequest, code: str) -> HttpResponse:
    context = {"explanation": FAMILY_REFUSALS[code], "code": code}
    return render(request, "accounts/family_refused.html", context, status=403)


@never_cache
@require_http_methods(["GET", "POST"])
def family_sign_in(request: HttpRequest) -> HttpResponse:
    """ "Sign in as a family member": a button (POST) that goes to the strong identification."""
    if request.method == "GET":
        return render(request, "accounts/family_sign_in.html", {"enabled": family_oidc.enabled()})
    if request.user.is_authenticated:
        return _refused(request, "professional")
    callback = request.build_absolute_uri(reverse("accounts:family_callback"))
    try:
        return family_oidc.start(request, callback)
    except SignInRefused as refusal:
        return _refused(request, refusal.code)


@never_cache
@require_GET
def family_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: verify it, find the registered person by the code's keyed hash, sign in."""
    if request.user.is_authenticated:
        return _refused(request, "professional")
    try:
        identified = family_oidc.finish(request)
    except SignInRefused as refusal:
        return _refused(request, refusal.code)
    try:
        person = find_by_identity_code(identified.identity_code)
    except InvalidIdentityCode:
        return _refused(request, "no_identity_code")
    if person is None:
        return _refused(request, "not_registered")
    if person.age_on(timezone.localdate()) < FAMILY_SIGN_IN_AGE:
        return _refused(request, "too_young")
    sign_in_family_member(request, person)
    messages.success(request, _("You are signed in as %(name)s.") % {"name": person})
    return HttpResponseRedirect(reverse(FAMILY_HOME))


@require_POST
def family_sign_out(request: HttpRequest) -> HttpResponse:
    """Sign the family member out (POST, with the CSRF token)."""
    sign_out_family_member(request)
    return HttpResponseRedirect(reverse("accounts:family_sign_in"))
