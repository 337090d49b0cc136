"""The administrator's checklist on the home page while the department's portal is set up:
each step ticked when done, the list gone once all are, never shown to anyone else."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from ..factories import CampaignFactory
from ..helpers import ROLES

TITLE = "Thiết lập cổng thông tin của Sở"


def _home(client):
    return client.get(reverse("home")).content.decode()


def test_first_steps_shown_to_a_new_administrator_with_nothing_done(db, client):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@sgddt.edu.vn", "x")
    client.force_login(admin)
    page = _home(client)
    assert TITLE in page
    assert "(đã xong)" not in page
    for url in ("units:department", "units:units_import", "units:staff_import",
                "units:account_create", "campaigns:create"):
        assert f'href="{reverse(url)}"' in page


def test_first_steps_ticked_as_done_and_gone_once_a_plan_exists(cast, client_for):
    # The cast has units, staff and accounts: three steps done, the plan left.
    page = _home(client_for(cast.admin))
    assert TITLE in page and page.count("(đã xong)") == 3
    CampaignFactory()
    assert TITLE not in _home(client_for(cast.admin))


def test_first_steps_never_shown_to_anyone_but_an_administrator(cast, client_for):
    for role in ROLES:
        if role != "admin":
            assert TITLE not in _home(client_for(getattr(cast, role))), role


def test_staff_list_offers_account_creation_to_administrators_only(cast, client_for):
    url = reverse("units:staff", args=[cast.unit_a.pk])
    offer = f'href="{reverse("units:account_create")}?unit={cast.unit_a.pk}"'
    assert offer in client_for(cast.admin).get(url).content.decode()
    # The Office keeps the staff but does not manage accounts.
    assert offer not in client_for(cast.office).get(url).content.decode()
