"""The accounts pages: password login, the second factor (code and set-up), the membership choice, logout.

The login is two steps. The password step logs the user in (django-axes counts failures); the
code step verifies the second factor (django-otp). A role that sees client data cannot act before
the second step (`acting.actor_required`), and someone who has no device yet sets one up first.
Every page works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from .acting import active_memberships, choose_membership, current_membership, is_verified
from .forms import ChooseMembershipForm, CodeForm, LoginForm
from .middleware import log_out_everywhere
from .models import Membership
from .roles import needs_second_factor
from .throttling import cool_off_minutes, is_locked_out, record_failed_code
from .two_factor import check_code, confirm_device, confirmed_device, pending_device, qr_svg, secret_text


def _next_url(request: HttpRequest) -> str:
    """The page to go to in the end: a safe `next` of this site, else the account page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith(reverse("accounts:login")):  # back to the login page would go round in circles
        candidate = ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:account")


def _step(url_name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")


def _needs_second_factor(memberships: list[Membership]) -> bool:
    return any(needs_second_factor(m.role) for m in memberships)


def onward(request: HttpRequest) -> HttpResponseRedirect:
    """Where a logged-in user goes next: the code, its set-up, the choice of membership, or `next`."""
    next_url = _next_url(request)
    memberships = active_memberships(request)
    if not is_verified(request):
        chosen = current_membership(request)
        must = needs_second_factor(chosen.role) if chosen else _needs_second_factor(memberships)
        if confirmed_device(request.user) is not None:
            return _step("accounts:verify", next_url)
        if must:
            return _step("accounts:setup_totp", next_url)
    if len(memberships) > 1 and current_membership(request) is None:
        return _step("accounts:choose", next_url)
    return HttpResponseRedirect(next_url)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """The lockout page (django-axes calls this): too many failures, wait for the cool-off."""
    return render(request, "accounts/locked_out.html", {"minutes": cool_off_minutes()}, status=429)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step 1: username and password."""
    if request.user.is_authenticated and request.method == "GET":
        return onward(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return onward(request)
    status = 400 if form.errors else 200
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status)


def _code_failed(request: HttpRequest, form: CodeForm, wait_seconds: int) -> HttpResponse | None:
    """Count a wrong code; past the limit, end the half-done login and show the lockout page."""
    username = request.user.get_username()
    if wait_seconds:
        form.add_error(
            "code",
            _("Too many wrong codes. Wait %(seconds)d seconds and type the newest code.")
            % {"seconds": wait_seconds},
        )
        return None
    record_failed_code(request, username)
    if is_locked_out(request, username):
        logout(request)
        return locked_out(request)
    form.add_error("code", _("The code is wrong or has expired. Type the code the app shows now."))
    return None


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the six-digit code from the user's authenticator app."""
    device = confirmed_device(request.user)
    if device is None:
        return _step("accounts:setup_totp", _next_url(request))
    if is_verified(request):
        return onward(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if is_locked_out(request, request.user.get_username()):
            logout(request)
            return locked_out(request)
        if form.is_valid():
            result = check_code(device, form.cleaned_data["code"])
            if result.ok:
                otp_login(request, device)
                return onward(request)
            refused = _code_failed(request, form, result.wait_seconds)
            if refused is not None:
                return refused
    status = 400 if form.errors else 200
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)}, status=status)


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup_totp(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: a QR code and the secret as text, confirmed by one code."""
    if confirmed_device(request.user) is not None:
        return onward(request)
    device = pending_device(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if is_locked_out(request, request.user.get_username()):
            logout(request)
            return locked_out(request)
        if form.is_valid():
            result = check_code(device, form.cleaned_data["code"])
            if result.ok:
                confirm_device(device)
                otp_login(request, device)
                messages.success(request, _("Two-step login is set up. Keep the app on your phone."))
                return onward(request)
            refused = _code_failed(request, form, result.wait_seconds)
            if refused is not None:
                return refused
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": qr_svg(device, _("QR code for your authenticator app")),
        "secret": secret_text(device),
        "username": request.user.get_username(),
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/setup_totp.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    """Choose the membership (organisation, unit, role) to act in; the only one is chosen at once."""
    memberships = active_memberships(request)
    if not memberships:
        return render(request, "accounts/no_membership.html", status=403)
    queryset = Membership.objects.filter(pk__in=[m.pk for m in memberships]).select_related(
        "organization", "unit"
    )
    if request.method == "GET" and len(memberships) == 1:
        choose_membership(request, memberships[0])
        return onward(request)
    current = current_membership(request)
    form = ChooseMembershipForm(
        queryset,
        request.POST if request.method == "POST" else None,
        initial={"membership": current.pk if current else None},
    )
    if request.method == "POST" and form.is_valid():
        choose_membership(request, form.cleaned_data["membership"])
        return onward(request)
    status = 400 if form.errors else 200
    return render(request, "accounts/choose.html", {"form": form, "next": _next_url(request)}, status=status)


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your account: who you are, your memberships, the one you act in, your second factor."""
    context = {
        "memberships": active_memberships(request),
        "current": current_membership(request),
        "device": confirmed_device(request.user),
        "verified": is_verified(request),
    }
    return render(request, "accounts/account.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out of this browser (a POST; the GET page asks with a button, since links must not log out)."""
    if request.method == "POST":
        logout(request)
        messages.info(request, _("You have logged out."))
        return HttpResponseRedirect(reverse("accounts:login"))
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("accounts:login"))
    return render(request, "accounts/logout.html")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    """End all of the user's sessions on every device (a lost phone, a shared computer)."""
    if request.method == "POST":
        log_out_everywhere(request.user)
        logout(request)
        messages.info(request, _("You have logged out on every device."))
        return HttpResponseRedirect(reverse("accounts:login"))
    return render(request, "accounts/logout_everywhere.html")
