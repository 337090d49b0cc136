"""Tài khoản: the administrator's page of accounts (role, unit, last sign-in, lock state) and
its actions — deactivate, unlock, (re)send the invitation or show its one-time link."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import invitations
from ..access import (
    account_role_label,
    can_manage_accounts,
    get_account_for,
    get_unit_for,
    require,
)
from ..forms import AccountFilterForm, AccountsFromStaffForm
from ..models import StaffMember, Unit
from .registers import PAGE_SIZE


def account_list(request):
    """Every account, searched and filtered (units.invitations.filter_accounts), a page at a
    time; the pager keeps the search."""
    require(can_manage_accounts(request.user))
    form = AccountFilterForm(request.GET or None)
    filters = form.filters()
    users = invitations.filter_accounts(invitations.with_lock_state(
        get_user_model().objects.select_related("staff_member__unit")
        .order_by("-is_active", "username")
    ), **filters)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    for account in page:
        account.role_label = account_role_label(account)
    kept = {name: value for name, value in form.data.items()
            if name in form.fields and value} if filters else {}
    return render(request, "units/accounts.html", {
        "page": page, "form": form, "filtered": bool(kept),
        "page_query": f"{urlencode(kept)}&" if kept else "",
        "mail_configured": invitations.mail_configured(),
    })


@require_POST
def account_deactivate(request, pk):
    account = get_account_for(request.user, pk)
    try:
        invitations.deactivate(user=account, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Account %(username)s is deactivated; its sessions have "
                                    "ended.") % {"username": account.get_username()})
    return redirect("units:accounts")


@require_POST
def account_unlock(request, pk):
    account = get_account_for(request.user, pk)
    invitations.unlock(user=account, actor=request.user)
    messages.success(request, _("Sign-in to %(username)s is unlocked.")
                     % {"username": account.get_username()})
    return redirect("units:accounts")


@require_POST
def account_invite(request, pk):
    """Send the invitation again, or show its link where there is no mail server."""
    account = get_account_for(request.user, pk)
    # With a mail server a link is shown only to someone without an address, who has no
    # other way to receive it.
    show = request.POST.get("show") == "1" and (not invitations.mail_configured()
                                                or not account.email)
    try:
        link = invitations.invite(user=account, actor=request.user, show_link=show)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("units:accounts")
    if link:
        return render(request, "units/invitation_link.html", {"account": account, "link": link})
    messages.success(request, _("The invitation was sent to %(email)s.")
                     % {"email": account.email})
    return redirect("units:accounts")


def account_create(request):
    """Accounts for a unit's staff: pick the unit, tick the people, one role, then each gets an
    invitation (or, without a mail server, a link shown here)."""
    require(can_manage_accounts(request.user))
    units = Unit.objects.active()
    unit = None
    unit_pk = request.POST.get("unit") or request.GET.get("unit")
    if unit_pk and str(unit_pk).isdigit():
        unit = get_unit_for(request.user, int(unit_pk))
    people = (unit.staff.active().filter(user__isnull=True).leaders_first()
              if unit else StaffMember.objects.none())
    mail_configured = invitations.mail_configured()
    form = AccountsFromStaffForm(request.POST if request.method == "POST" and unit else None,
                                 people=people, mail_configured=mail_configured)
    if form.is_bound and form.is_valid():
        created = invitations.create_accounts(
            actor=request.user, role=form.cleaned_data["account_role"],
            rows=form.cleaned_data["picked"], show_links=form.cleaned_data.get("show_links", False))
        messages.success(request, ngettext(
            "%(count)d account created and invited.", "%(count)d accounts created and invited.",
            len(created)) % {"count": len(created)})
        if any(link for _person, _user, link in created):
            return render(request, "units/invitation_links.html", {"created": created})
        return redirect("units:accounts")
    return render(request, "units/account_create.html", {
        "units": units, "unit": unit, "form": form, "mail_configured": mail_configured,
    })
