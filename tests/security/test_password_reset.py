""""Quên mật khẩu?": a link by e-mail, the same answer for known and unknown addresses, the
link valid for PASSWORD_RESET_DAYS, the new password under the same rules, every step audited."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from units.models import AccountSecurity, AuditEntry, Department

from ..factories import PASSWORD, UserFactory

RESET = "/accounts/password/reset/"
GOOD = "Thi-Dua#2025"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def user(db):
    return UserFactory(username="canbo2", email="canbo2@truong.edu.vn")


def _link(message):
    return re.search(r"https?://\S+", message.body)[0]


def _path(link):
    return re.sub(r"^https?://[^/]+", "", link)


def test_sign_in_page_offers_the_forgotten_password_link(db):
    page = Client().get(reverse("login")).content.decode()
    assert f'href="{RESET}"' in page
    assert "Quên mật khẩu?" in page


def test_known_and_unknown_addresses_get_the_same_answer(user):
    known = Client().post(RESET, {"email": "CANBO2@truong.edu.vn"})
    unknown = Client().post(RESET, {"email": "khong-ai@truong.edu.vn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known, done_unknown = (
        CSRF.sub("", Client().get(answer["Location"]).content.decode())
        for answer in (known, unknown))
    assert done_known == done_unknown and "Kiểm tra thư điện tử" in done_known
    # Only the known address got a message, in Vietnamese, with a link on the portal's address.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["canbo2@truong.edu.vn"]
    assert "mật khẩu mới" in mail.outbox[0].body
    lines = AuditEntry.objects.filter(action="auth.password_reset_requested").order_by("pk")
    assert [line.after["accounts"] for line in lines] == [1, 0]


@override_settings(PORTAL_URL="https://thidua.example.gov.vn")
def test_the_link_uses_the_portal_address_not_the_requests_host(user):
    Client().post(RESET, {"email": user.email})
    assert _link(mail.outbox[0]).startswith("https://thidua.example.gov.vn/accounts/reset/")


def test_the_link_sets_a_new_password_once_and_lifts_a_forced_change(user):
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})
    client = Client()
    client.post(RESET, {"email": user.email})
    form_page = client.get(_path(_link(mail.outbox[0])), follow=True)
    assert form_page.context["validlink"]
    response = client.post(form_page.redirect_chain[-1][0],
                           {"new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 302 and response["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password(GOOD)
    assert not AccountSecurity.objects.get(user=user).must_change_password
    assert AuditEntry.objects.filter(action="auth.password_reset", actor=user).exists()
    # Once: the same link no longer works.
    again = Client().get(_path(_link(mail.outbox[0])), follow=True)
    assert not again.context["validlink"]
    assert "không còn dùng được" in again.content.decode()
    # And the new password signs in.
    signed_in = Client().post(reverse("login"), {"username": user.username, "password": GOOD})
    assert signed_in.status_code == 302


def test_the_new_password_follows_the_password_rules(user):
    client = Client()
    client.post(RESET, {"email": user.email})
    form_url = client.get(_path(_link(mail.outbox[0])), follow=True).redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "abc12345", "new_password2": "abc12345"})
    assert weak.status_code == 200
    assert "password_missing_character_class" in {
        e.code for e in weak.context["form"].errors.as_data()["new_password2"]}
    # The current password is in the history: refused too.
    reused = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert reused.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@override_settings(PASSWORD_RESET_TIMEOUT=2 * 24 * 3600)
def test_the_link_expires_after_the_configured_days(user, monkeypatch):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = reverse("password_reset_confirm", args=[uid, token])
    # The generator's clock (naive local time, as Django's own) moved forward.
    later = datetime.now() + timedelta(days=2, hours=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert not Client().get(url, follow=True).context["validlink"]
    monkeypatch.setattr(default_token_generator, "_now", lambda: later - timedelta(hours=2))
    assert Client().get(url, follow=True).context["validlink"]


@override_settings(PASSWORD_RESET_TIMEOUT=24 * 3600, INVITATION_DAYS=7)
def test_the_reset_link_keeps_its_own_short_lifetime_whatever_the_invitations(user,
                                                                               monkeypatch):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    monkeypatch.setattr(default_token_generator, "_now",
                        lambda: datetime.now() + timedelta(hours=25))
    assert not Client().get(url, follow=True).context["validlink"]


@override_settings(DEFAULT_FROM_EMAIL="portal@localhost")
def test_the_reset_comes_from_the_departments_address_signed_with_its_name(user):
    department = Department.objects.get()
    department.name, department.email = "Sở Giáo dục và Đào tạo tỉnh Đồng Nai", "vp@sgd.gov.vn"
    department.save()
    Client().post(RESET, {"email": user.email})
    assert mail.outbox[0].from_email == "vp@sgd.gov.vn"
    assert mail.outbox[0].body.rstrip().endswith("Sở Giáo dục và Đào tạo tỉnh Đồng Nai")
    department.email = ""
    department.save()
    Client().post(RESET, {"email": user.email})
    assert mail.outbox[1].from_email == "portal@localhost"
