"""Tài khoản: the administrator's page of accounts and its actions (deactivate, unlock, send or
show the invitation), each audited; the last administrator cannot be deactivated."""

import re
from datetime import datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from units import invitations
from units.models import AuditEntry, Department, UserSession

from ..factories import UserFactory

ACCOUNTS = reverse("units:accounts")
SMTP = dict(EMAIL_BACKEND="tests.mailserver.EmailBackend")


def _lock(user):
    AccessAttempt.objects.create(
        username=user.username, ip_address="10.0.0.9", user_agent="x", get_data="",
        post_data="", http_accept="", path_info="/accounts/login/",
        failures_since_start=settings.AXES_FAILURE_LIMIT, attempt_time=timezone.now())


def _invited(email="moi@truong.edu.vn"):
    user = UserFactory(username="moi", email=email)
    user.set_unusable_password()
    user.save()
    return user


def test_accounts_page_lists_role_unit_last_sign_in_and_lock(cast, client_for):
    _lock(cast.head_a)
    cast.staff.last_login = timezone.make_aware(timezone.datetime(2026, 3, 5, 8, 30))
    cast.staff.save()
    page = client_for(cast.admin).get(ACCOUNTS).content.decode()
    assert "Ngô Thị Ánh" in page and "Thủ trưởng đơn vị" in page
    assert "Trường THPT Hùng Vương" in page
    assert "05/03/2026 08:30" in page
    assert page.count("text-bg-danger\">Bị khóa đăng nhập") == 1
    assert "Mở khóa" in page


def test_accounts_page_query_count_does_not_grow_with_accounts(cast, client_for,
                                                               django_assert_max_num_queries):
    client = client_for(cast.admin)
    client.get(ACCOUNTS)
    for n in range(30):
        UserFactory(username=f"them-{n}")
    with django_assert_max_num_queries(12):
        assert client.get(ACCOUNTS).status_code == 200


def _found(client, **query):
    response = client.get(ACCOUNTS, query)
    assert response.status_code == 200
    return sorted(account.username for account in response.context["page"])


def test_accounts_search_finds_username_name_and_unit_without_accents(cast, client_for):
    client = client_for(cast.admin)

    assert _found(client, q="ngo thi anh") == ["head_a"]  # Ngô Thị Ánh
    assert _found(client, q="CANBO") == ["canbo"]
    # Trường THPT Hùng Vương: its head and its staff member.
    assert _found(client, q="hung vuong") == ["canbo", "head_a"]
    assert _found(client, q="khong ai ca") == []
    assert "Không có tài khoản nào khớp" in client.get(ACCOUNTS, {"q": "khong ai"}).content.decode()


def test_accounts_filter_by_role_and_state(cast, client_for):
    client = client_for(cast.admin)
    invited = _invited()
    _lock(cast.head_a)
    cast.head_b.is_active = False
    cast.head_b.save()
    cast.staff.last_login = timezone.now()
    cast.staff.save()

    assert _found(client, account_role="unit_head") == ["head_a", "head_b"]
    assert _found(client, account_role="admin") == ["quantri"]
    assert _found(client, state="locked") == ["head_a"]
    assert _found(client, state="inactive") == ["head_b"]
    assert _found(client, state="invited") == [invited.username]
    assert "canbo" in _found(client, state="active")
    assert not {"head_a", "head_b", "moi"} & set(_found(client, state="active"))
    never = _found(client, state="never")
    assert "moi" in never and "canbo" not in never and "quantri" not in never
    # Search and filters together, and the pager keeps them.
    assert _found(client, q="hung vuong", account_role="unit_head", state="locked") == ["head_a"]


def test_accounts_pager_keeps_the_search(cast, client_for):
    for n in range(60):
        UserFactory(username=f"them-{n:02d}")
    page = client_for(cast.admin).get(ACCOUNTS, {"q": "them", "state": "never"})
    assert 'href="?q=them&amp;state=never&amp;page=2"' in page.content.decode()


def _accounts_queries(client, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(ACCOUNTS, query).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query, expected", [
    # A search adds one query: the units whose names it folds.
    ({}, 5), ({"q": "nguyen van"}, 6), ({"account_role": "staff", "state": "never"}, 5)])
def test_accounts_page_takes_the_same_queries_for_10_and_200_accounts(cast, client_for, query,
                                                                       expected):
    from ..factories import StaffMemberFactory

    client = client_for(cast.admin)
    client.get(ACCOUNTS)

    def add(count, start):
        for n in range(start, start + count):
            StaffMemberFactory(unit=cast.unit_a, user=UserFactory(username=f"cb-{n:03d}"))

    add(10, 0)
    few = _accounts_queries(client, query)
    add(190, 10)
    many = _accounts_queries(client, query)

    assert few == many == expected


def test_deactivating_ends_sessions_and_is_audited(cast, client_for):
    victim = Client()
    victim.force_login(cast.head_b)
    response = client_for(cast.admin).post(reverse("units:account_deactivate",
                                                   args=[cast.head_b.pk]))
    assert response.status_code == 302
    cast.head_b.refresh_from_db()
    assert not cast.head_b.is_active
    assert not UserSession.objects.filter(user_id=cast.head_b.pk).exists()
    assert AuditEntry.objects.filter(action="account.deactivate", actor=cast.admin).exists()


def test_the_last_administrator_cannot_be_deactivated(cast, client_for):
    client = client_for(cast.admin)
    response = client.post(reverse("units:account_deactivate", args=[cast.admin.pk]),
                           follow=True)
    cast.admin.refresh_from_db()
    assert cast.admin.is_active
    assert "quản trị viên cuối cùng" in response.content.decode()
    # With a second administrator it goes through.
    UserFactory(username="quantri2", is_superuser=True, is_staff=True)
    client.post(reverse("units:account_deactivate", args=[cast.admin.pk]))
    cast.admin.refresh_from_db()
    assert not cast.admin.is_active


def test_unlocking_lifts_the_lock_and_is_audited(cast, client_for):
    _lock(cast.head_a)
    client_for(cast.admin).post(reverse("units:account_unlock", args=[cast.head_a.pk]))
    assert not AccessAttempt.objects.filter(username=cast.head_a.username).exists()
    line = AuditEntry.objects.get(action="login_unlock")
    assert line.before["failures"] == settings.AXES_FAILURE_LIMIT


@override_settings(**SMTP, EMAIL_HOST="smtp.truong.edu.vn")
def test_invitation_is_mailed_and_its_link_sets_the_password_once(cast, client_for):
    invited = _invited()
    response = client_for(cast.admin).post(reverse("units:account_invite", args=[invited.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["moi@truong.edu.vn"]
    assert "Tài khoản \"moi\"" in mail.outbox[0].body
    link = re.search(r"https?://\S+", mail.outbox[0].body)[0]
    path = re.sub(r"^https?://[^/]+", "", link)
    client = Client()
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    good = "Thi-Dua#2026"
    client.post(form_url, {"new_password1": good, "new_password2": good})
    invited.refresh_from_db()
    assert invited.check_password(good)
    assert not Client().get(path, follow=True).context["validlink"]
    assert AuditEntry.objects.filter(action="account.invite", actor=cast.admin).exists()


def test_without_a_mail_server_the_link_is_shown_on_screen(cast, client_for):
    # The test settings' console/locmem backend counts as "no mail server".
    invited = _invited()
    page = client_for(cast.admin).get(ACCOUNTS).content.decode()
    assert "Hiển thị đường dẫn dùng một lần" in page
    response = client_for(cast.admin).post(reverse("units:account_invite", args=[invited.pk]),
                                           {"show": "1"})
    assert response.status_code == 200
    assert "/accounts/invitation/" in response.content.decode()
    assert mail.outbox == []
    assert AuditEntry.objects.get(action="account.invite").after["shown_on_screen"] is True


@override_settings(**SMTP, EMAIL_HOST="smtp.truong.edu.vn")
def test_with_a_mail_server_the_link_is_never_shown(cast, client_for):
    invited = _invited()
    response = client_for(cast.admin).post(reverse("units:account_invite", args=[invited.pk]),
                                           {"show": "1"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


@override_settings(**SMTP, EMAIL_HOST="smtp.truong.edu.vn", DEFAULT_FROM_EMAIL="portal@localhost")
def test_invitation_comes_from_the_departments_address_and_is_signed_with_its_name(
        cast, client_for):
    department = Department.objects.get()
    department.name, department.email = "Sở Giáo dục và Đào tạo tỉnh Đồng Nai", "vp@sgd.gov.vn"
    department.save()
    invited = _invited()
    client_for(cast.admin).post(reverse("units:account_invite", args=[invited.pk]))
    assert mail.outbox[0].from_email == "vp@sgd.gov.vn"
    assert mail.outbox[0].body.rstrip().endswith("Sở Giáo dục và Đào tạo tỉnh Đồng Nai")
    assert f"trong {settings.INVITATION_DAYS} ngày" in mail.outbox[0].body
    # Without a contact address, the portal's own.
    department.email = ""
    department.save()
    client_for(cast.admin).post(reverse("units:account_invite", args=[invited.pk]))
    assert mail.outbox[1].from_email == "portal@localhost"


def _valid_on(path, now, monkeypatch):
    monkeypatch.setattr(invitations.invitation_tokens, "_now", lambda: now)
    return Client().get(path, follow=True).context["validlink"]


@override_settings(INVITATION_DAYS=7, PASSWORD_RESET_TIMEOUT=24 * 3600)
def test_invitation_link_lasts_its_own_days_not_the_resets(cast, monkeypatch):
    invited = _invited()
    path = re.sub(r"^https?://[^/]+", "", invitations.invitation_link(invited))
    assert path.startswith("/accounts/invitation/")
    # The generator's clock (naive local time, as Django's own) moved forward.
    now = datetime.now()
    assert _valid_on(path, now + timedelta(days=6), monkeypatch)
    assert not _valid_on(path, now + timedelta(days=8), monkeypatch)


@override_settings(INVITATION_DAYS=30)
def test_an_expired_invitation_asks_for_a_new_one_from_the_administrator(cast, monkeypatch):
    invited = _invited()
    path = re.sub(r"^https?://[^/]+", "", invitations.invitation_link(invited))
    monkeypatch.setattr(invitations.invitation_tokens, "_now",
                        lambda: datetime.now() + timedelta(days=31))
    page = Client().get(path, follow=True)
    assert not page.context["validlink"]
    assert "gửi lại lời mời" in page.content.decode()


def test_an_invitation_token_opens_no_reset_page_and_the_other_way_round(cast):
    from django.contrib.auth.tokens import default_token_generator

    invited = _invited()
    uid, token = invitations.invitation_link(invited).rstrip("/").split("/")[-2:]
    assert not Client().get(reverse("password_reset_confirm", args=[uid, token]),
                            follow=True).context["validlink"]
    reset = default_token_generator.make_token(invited)
    assert not Client().get(reverse("invitation_accept", args=[uid, reset]),
                            follow=True).context["validlink"]


@override_settings(**SMTP, EMAIL_HOST="smtp.truong.edu.vn")
def test_with_a_mail_server_an_account_without_address_gets_its_link_on_screen(cast,
                                                                              client_for):
    invited = _invited(email="")
    client = client_for(cast.admin)
    listed = client.get(ACCOUNTS, {"state": "invited"}).content.decode()
    assert "Hiển thị đường dẫn dùng một lần" in listed
    response = client.post(reverse("units:account_invite", args=[invited.pk]), {"show": "1"})
    assert response.status_code == 200
    assert "/accounts/invitation/" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["director", "office", "head_a", "staff"])
def test_only_administrators_manage_accounts(cast, client_for, role):
    client = client_for(cast.users()[role])
    assert client.get(ACCOUNTS).status_code == 403
    assert client.post(reverse("units:account_deactivate",
                               args=[cast.head_b.pk])).status_code == 403
    cast.head_b.refresh_from_db()
    assert cast.head_b.is_active


# --- accounts from a unit's staff ------------------------------------------------------------

CREATE = reverse("units:account_create")


def _newcomers(unit, names=("Lý Thị Đào", "Trịnh Văn Em")):
    from ..factories import StaffMemberFactory

    return [StaffMemberFactory(unit=unit, full_name=name, user=None) for name in names]


@override_settings(**SMTP, EMAIL_HOST="smtp.truong.edu.vn")
def test_accounts_created_from_a_units_staff_are_invited_by_mail(cast, client_for):
    dao, em = _newcomers(cast.unit_a)
    client = client_for(cast.admin)
    page = client.get(CREATE, {"unit": cast.unit_a.pk}).content.decode()
    assert "Lý Thị Đào" in page and 'value="daolt"' in page
    response = client.post(CREATE, {
        "unit": cast.unit_a.pk, "account_role": "unit_head",
        f"pick_{dao.pk}": "on", f"username_{dao.pk}": "daolt",
        f"email_{dao.pk}": "dao@truong.edu.vn",
        f"username_{em.pk}": "emtv",  # not ticked: no account
    })
    assert response.status_code == 302
    dao.refresh_from_db()
    em.refresh_from_db()
    assert dao.user.username == "daolt" and dao.role == "unit_head"
    assert not dao.user.has_usable_password()
    assert em.user is None
    assert [m.to for m in mail.outbox] == [["dao@truong.edu.vn"]]
    assert AuditEntry.objects.filter(action="account.create", actor=cast.admin).count() == 1


def test_without_mail_server_the_new_accounts_links_are_shown(cast, client_for):
    dao, em = _newcomers(cast.unit_a)
    response = client_for(cast.admin).post(CREATE, {
        "unit": cast.unit_a.pk, "account_role": "staff", "show_links": "on",
        f"pick_{dao.pk}": "on", f"username_{dao.pk}": "daolt",
        f"pick_{em.pk}": "on", f"username_{em.pk}": "emtv",
    })
    page = response.content.decode()
    assert response.status_code == 200 and page.count("/accounts/invitation/") == 2
    assert mail.outbox == []


@override_settings(**SMTP, EMAIL_HOST="smtp.truong.edu.vn")
def test_bad_rows_are_explained_and_nothing_is_created(cast, client_for):
    dao, em = _newcomers(cast.unit_a)
    from ..factories import StaffMemberFactory

    StaffMemberFactory(unit=cast.unit_b, full_name="Lê Văn Kế", email="ke@truong.edu.vn")
    response = client_for(cast.admin).post(CREATE, {
        "unit": cast.unit_a.pk, "account_role": "staff",
        f"pick_{dao.pk}": "on", f"username_{dao.pk}": "canbo",  # taken by the cast
        f"email_{dao.pk}": "dao@truong.edu.vn",
        # The address of someone else on the staff.
        f"pick_{em.pk}": "on", f"username_{em.pk}": "emtv", f"email_{em.pk}": "Ke@Truong.edu.vn",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập này đã có người dùng" in page
    assert "Địa chỉ này đã là của Lê Văn Kế" in page
    dao.refresh_from_db()
    assert dao.user is None and mail.outbox == []


@override_settings(**SMTP, EMAIL_HOST="smtp.truong.edu.vn")
def test_staff_addresses_are_prefilled_and_someone_without_one_gets_a_link(cast, client_for):
    dao, em = _newcomers(cast.unit_a)
    dao.email = "dao@truong.edu.vn"
    dao.save()
    client = client_for(cast.admin)
    page = client.get(CREATE, {"unit": cast.unit_a.pk}).content.decode()
    assert 'value="dao@truong.edu.vn"' in page
    response = client.post(CREATE, {
        "unit": cast.unit_a.pk, "account_role": "staff",
        f"pick_{dao.pk}": "on", f"username_{dao.pk}": "daolt",
        f"email_{dao.pk}": "dao@truong.edu.vn",
        f"pick_{em.pk}": "on", f"username_{em.pk}": "emtv", f"email_{em.pk}": "",
    })
    page = response.content.decode()
    # A mail server is configured: Đào is mailed, Em (no address) gets a link to hand over.
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["dao@truong.edu.vn"]]
    assert page.count("/accounts/invitation/") == 1 and "dao@truong.edu.vn" in page
    em.refresh_from_db()
    assert em.user.username == "emtv" and em.user.email == ""


def test_an_address_typed_for_a_new_account_is_saved_on_the_staff_record(cast, client_for):
    dao, _em = _newcomers(cast.unit_a)
    client_for(cast.admin).post(CREATE, {
        "unit": cast.unit_a.pk, "account_role": "staff", "show_links": "on",
        f"pick_{dao.pk}": "on", f"username_{dao.pk}": "daolt",
        f"email_{dao.pk}": "Dao@Truong.edu.vn",
    })
    dao.refresh_from_db()
    assert dao.email == dao.user.email == "dao@truong.edu.vn"
