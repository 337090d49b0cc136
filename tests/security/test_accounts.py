"""Account security: password policy, forced changes, sign-in lockout, session lifecycle.

Everything goes through the real pages (sign-in, password change, Django admin) with the test
client; time is moved by editing what the database holds (a session's last activity, a
password's change date), never by sleeping.
"""

import io
import shutil
import subprocess
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape

from core.session_rules import LAST_ACTIVITY, SIGNED_IN_AT
from units.models import AccountSecurity, AuditEntry, PasswordHistory, UserSession

from ..factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
CHANGE = "/accounts/password/"
GOOD = "Thi-Dua#2024"


def codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def change_password(client, old, new):
    return client.post(CHANGE, {"old_password": old, "new_password1": new,
                                "new_password2": new})


@pytest.fixture
def user(db):
    return UserFactory(username="canbo1")


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri1", is_staff=True, is_superuser=True)


# --- password policy -------------------------------------------------------------------------


def test_password_policy_accepts_a_password_meeting_every_rule(user):
    assert codes(GOOD, user) == set()


def test_password_policy_refuses_a_short_password(user):
    assert "password_too_short" in codes("Ab#4567", user)
    assert "password_too_short" not in codes("Ab#45678", user)


@override_settings(PASSWORD_MIN_LENGTH=14)
def test_password_minimum_length_follows_its_setting(user):
    assert "password_too_short" in codes(GOOD, user)
    assert "password_too_short" not in codes(GOOD + "xyz", user)
    assert "14" in " ".join(password_validators_help_texts())


@pytest.mark.parametrize("password, lacking", [
    ("thi-dua#2024", "upper"),
    ("THI-DUA#2024", "lower"),
    ("Thi-Dua#Hai", "digit"),
    ("ThiDua2024x", "special"),
])
def test_password_policy_requires_each_character_class(user, password, lacking):
    assert codes(password, user) == {"password_missing_character_class"}
    with override_settings(PASSWORD_REQUIRED_CLASSES=[c for c in
                                                      ["upper", "lower", "digit", "special"]
                                                      if c != lacking]):
        assert codes(password, user) == set()


def test_vietnamese_capitals_count_as_upper_case(user):
    assert codes("đổi-mật#2024", user) == {"password_missing_character_class"}
    assert codes("Đổi-mật#2024", user) == set()


@override_settings(PASSWORD_REQUIRED_CLASSES=[])
def test_character_classes_can_be_turned_off(user):
    assert codes("thiduabinhphuoc", user) == set()
    assert not any("contain" in text for text in password_validators_help_texts())


@override_settings(PASSWORD_REQUIRED_CLASSES=["upper", "emoji"])
def test_unknown_character_class_is_a_configuration_error(user):
    with pytest.raises(ImproperlyConfigured, match="emoji"):
        validate_password(GOOD, user)


def test_password_history_refuses_the_last_passwords(user):
    client = Client()
    client.force_login(user)
    passwords = [PASSWORD] + [f"Thi-Dua#{n}x" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change_password(client, old, new).status_code == 302
    # Current: #5. The last five are #1..#5; the factory's first password is older than that.
    for reused in passwords[1:]:
        response = change_password(client, passwords[-1], reused)
        assert response.status_code == 200
        assert "password_reused" in {e.code for e in
                                     response.context["form"].errors.as_data()["new_password2"]}
    assert change_password(client, passwords[-1], PASSWORD + "#A").status_code == 302


def test_password_history_keeps_hashes_only_and_no_more_than_needed(user):
    for n in range(8):
        user.set_password(f"Thi-Dua#{n}x")
        user.save()
    stored = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert len(stored) == settings.PASSWORD_HISTORY_COUNT == 5
    assert stored[0] == user.password
    assert not any("Thi-Dua" in encoded for encoded in stored)


@override_settings(PASSWORD_HISTORY_COUNT=1)
def test_password_history_length_follows_its_setting(user):
    user.set_password("Thi-Dua#1x")
    user.save()
    user.set_password("Thi-Dua#2x")
    user.save()
    assert "password_reused" in codes("Thi-Dua#2x", user)
    assert "password_reused" not in codes("Thi-Dua#1x", user)


@override_settings(PASSWORD_HISTORY_COUNT=0)
def test_password_history_can_be_turned_off(user):
    user.set_password("Thi-Dua#1x")
    user.save()
    assert codes("Thi-Dua#1x", user) == set()
    assert not PasswordHistory.objects.filter(user=user).exists()


def test_password_change_page_lists_the_policy(user, client_for):
    response = client_for(user).get(CHANGE)
    page = response.content.decode()
    for text in password_validators_help_texts():
        if text:
            assert escape(text) in page
    assert "<ul>" not in page  # Django's HTML help text is not shown escaped under the field


# --- forced changes --------------------------------------------------------------------------

def _signed_in(user, *, password_age_days):
    """A client signed in as user, whose password was last changed that many days ago."""
    AccountSecurity.objects.create(
        user=user, password_changed_at=timezone.now() - timedelta(days=password_age_days))
    client = Client()
    sign_in(client, user.username)
    return client


def test_expired_password_forces_a_change(user):
    AccountSecurity.objects.create(user=user,
                                   password_changed_at=timezone.now() - timedelta(days=91))
    client = Client()
    assert sign_in(client, user.username).status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("password_change")
    assert "90 ngày" in client.get(CHANGE).content.decode()

    assert change_password(client, PASSWORD, GOOD).status_code == 302
    assert client.get("/").status_code == 200


def test_password_not_yet_expired_lets_people_in(user):
    assert _signed_in(user, password_age_days=89).get("/").status_code == 200


@override_settings(PASSWORD_CHANGE_DAYS=0)
def test_change_period_zero_never_expires(user):
    assert _signed_in(user, password_age_days=3650).get("/").status_code == 200


@override_settings(PASSWORD_CHANGE_DAYS=30)
def test_change_period_follows_its_setting(user):
    assert _signed_in(user, password_age_days=31).get("/").url == reverse("password_change")


def test_password_set_in_admin_must_be_changed_at_next_sign_in(user, superuser, client_for):
    admin = client_for(superuser)
    response = admin.post(f"/admin/auth/user/{user.pk}/password/", {
        "password1": "Tam-Thoi#2024", "password2": "Tam-Thoi#2024", "usable_password": "true",
    })
    assert response.status_code == 302
    assert AccountSecurity.objects.get(user=user).must_change_password
    assert AuditEntry.objects.filter(action="password_set_by_admin", actor=superuser,
                                     object_id=str(user.pk)).exists()

    client = Client()
    assert sign_in(client, user.username, "Tam-Thoi#2024").status_code == 302
    for url in ["/", "/units/", "/campaigns/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == CHANGE, url
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "quản trị" in page.content.decode()

    # Reusing the password the administrator chose is refused; one's own is taken.
    assert change_password(client, "Tam-Thoi#2024", "Tam-Thoi#2024").status_code == 200
    assert change_password(client, "Tam-Thoi#2024", GOOD).status_code == 302
    assert not AccountSecurity.objects.get(user=user).must_change_password
    assert client.get("/").status_code == 200


def test_forced_change_still_allows_signing_out(user):
    require = AccountSecurity.objects.create(user=user, must_change_password=True)
    client = Client()
    sign_in(client, user.username)
    assert client.post(reverse("logout")).url == reverse("login")
    assert client.get("/").url.startswith(LOGIN)
    require.refresh_from_db()
    assert require.must_change_password


def test_account_added_in_admin_must_change_its_password(superuser, client_for):
    admin = client_for(superuser)
    response = admin.post("/admin/auth/user/add/", {
        "username": "moi", "password1": "Tam-Thoi#2024", "password2": "Tam-Thoi#2024",
        "usable_password": "true",
    })
    assert response.status_code == 302
    created = get_user_model().objects.get(username="moi")
    assert AccountSecurity.objects.get(user=created).must_change_password

    client = Client()
    sign_in(client, "moi", "Tam-Thoi#2024")
    assert client.get("/").url == CHANGE


def test_administrator_changing_own_password_in_admin_is_not_forced(superuser, client_for):
    admin = client_for(superuser)
    response = admin.post(f"/admin/auth/user/{superuser.pk}/password/", {
        "password1": "Tam-Thoi#2024", "password2": "Tam-Thoi#2024", "usable_password": "true",
    })
    assert response.status_code == 302
    assert not AccountSecurity.objects.get(user=superuser).must_change_password


def test_exempt_demo_account_is_never_forced(user):
    AccountSecurity.objects.create(
        user=user, must_change_password=True, exempt_from_password_change=True,
        password_changed_at=timezone.now() - timedelta(days=400),
    )
    client = Client()
    sign_in(client, user.username)
    assert client.get("/").status_code == 200


def test_load_demo_exempts_demo_accounts(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--force", stdout=io.StringIO())
    demo_users = get_user_model().objects.all()
    assert demo_users.exists()
    assert AccountSecurity.objects.filter(exempt_from_password_change=True).count() == (
        demo_users.count())

    client = Client()
    assert sign_in(client, "giamdoc", "thidua2022").status_code == 302
    assert client.get("/").status_code == 200


# --- sign-in lockout -------------------------------------------------------------------------


def test_lockout_after_failures_and_unlock_by_administrator(user, superuser, client_for):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, user.username, "sai-mat-khau")
        assert response.status_code == 200
    response = sign_in(client, user.username, "sai-mat-khau")
    assert response.status_code == 429
    # Locked even with the right password, but only from this address.
    assert sign_in(client, user.username).status_code == 429
    assert sign_in(Client(), user.username, REMOTE_ADDR="10.1.2.3").status_code == 302

    admin = client_for(superuser)
    listing = admin.get("/admin/units/loginlockout/")
    assert listing.status_code == 200
    assert user.username in listing.content.decode()
    attempt = AccessAttempt.objects.get(username=user.username, ip_address="127.0.0.1")
    response = admin.post("/admin/units/loginlockout/", {
        "action": "unlock", "_selected_action": [attempt.pk],
    })
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username,
                                            ip_address="127.0.0.1").exists()
    assert AuditEntry.objects.filter(action="login_unlock", actor=superuser).exists()
    assert sign_in(client, user.username).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_lockout_limit_follows_its_setting(user):
    client = Client()
    assert sign_in(client, user.username, "sai").status_code == 200
    assert sign_in(client, user.username, "sai").status_code == 429


def test_lockout_message_is_vietnamese_on_the_sign_in_page(user):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, user.username, "sai-mat-khau")
    page = response.content.decode()
    assert response.status_code == 429
    assert 'id="id_password"' in page  # the sign-in page, not a bare error
    assert "Hãy thử lại sau" in page
    assert "quản trị" in page
    attempt = AccessAttempt.objects.get(username=user.username)
    until = timezone.localtime(attempt.attempt_time + settings.AXES_COOLOFF_TIME)
    assert date_format(until, "H:i d/m/Y") in page


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_guessing_across_many_usernames_locks_the_address(user):
    client = Client()
    # Fewer failures per username than the per-account limit, but many usernames.
    for n in range(8):
        response = sign_in(client, f"khong-co-{n}", "sai-mat-khau")
    assert response.status_code == 429
    page = response.content.decode()
    assert "nhiều tài khoản" in page
    # Every account is refused from that address, even with the right password...
    assert sign_in(client, user.username).status_code == 429
    # ...and signs in from elsewhere.
    assert sign_in(Client(), user.username, REMOTE_ADDR="10.1.2.3").status_code == 302


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_a_few_failures_from_a_shared_address_lock_no_one_else(user):
    client = Client()
    for n in range(3):
        sign_in(client, f"dong-nghiep-{n}", "sai-mat-khau")
    assert sign_in(client, user.username).status_code == 302


def test_a_username_too_long_gets_the_ordinary_refusal_and_an_audit_line(user):
    # 256+ characters: axes' username column holds 255; on PostgreSQL that used to be HTTP 500.
    client = Client(raise_request_exception=False)
    response = sign_in(client, "a" * 300, "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    line = AuditEntry.objects.get(action="auth.login_failed")
    assert line.after["username"] == "a" * 150 and line.after["username_length"] == 300
    assert not AccessAttempt.objects.exists()


def test_lockout_cools_off_by_itself(user):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "sai-mat-khau")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert sign_in(client, user.username).status_code == 302


def test_login_lockout_admin_is_labelled_in_vietnamese(superuser, client_for):
    page = client_for(superuser).get("/admin/").content.decode()
    assert "/admin/units/loginlockout/" in page
    assert "khóa đăng nhập" in page.lower()


# --- sessions ----------------------------------------------------------------------------------


def test_session_key_rotates_at_sign_in(user):
    client = Client()
    before = client.session.session_key
    assert before and UserSession.objects.filter(session_key=before).exists()
    assert sign_in(client, user.username).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not UserSession.objects.filter(session_key=before).exists()
    assert UserSession.objects.get(session_key=after).user_id == user.pk


def test_idle_session_ends_with_a_message(user):
    client = Client()
    sign_in(client, user.username)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY] -= settings.SESSION_IDLE_MINUTES * 60 + 1
    session.save()

    response = client.get("/units/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not UserSession.objects.filter(session_key=session.session_key).exists()
    page = client.get(response.url).content.decode()
    assert "Phiên làm việc đã hết hạn" in page


def test_active_session_is_kept_and_its_activity_recorded(user):
    client = Client()
    sign_in(client, user.username)
    session = client.session
    session[LAST_ACTIVITY] -= settings.SESSION_IDLE_MINUTES * 60 - 60
    session.save()
    assert client.get("/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY] < 5


def test_active_session_past_its_lifetime_must_sign_in_again(user):
    client = Client()
    sign_in(client, user.username)
    session = client.session
    # Signed in 12 hours and a second ago, active a minute ago: the idle timeout would keep it.
    session[SIGNED_IN_AT] -= settings.SESSION_MAX_HOURS * 3600 + 1
    session[LAST_ACTIVITY] -= 60
    session.save()

    response = client.get("/units/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not UserSession.objects.filter(session_key=session.session_key).exists()
    assert "Vui lòng đăng nhập lại" in client.get(response.url).content.decode()


def test_session_within_its_lifetime_is_kept(user):
    client = Client()
    sign_in(client, user.username)
    session = client.session
    session[SIGNED_IN_AT] -= settings.SESSION_MAX_HOURS * 3600 - 60
    session.save()
    assert client.get("/units/").status_code == 200


@override_settings(SESSION_MAX_HOURS=1)
def test_session_lifetime_follows_its_setting(user):
    client = Client()
    sign_in(client, user.username)
    session = client.session
    session[SIGNED_IN_AT] -= 3601
    session.save()
    assert client.get("/").url.startswith(LOGIN)


@override_settings(SESSION_IDLE_MINUTES=5)
def test_idle_timeout_follows_its_setting(user):
    client = Client()
    sign_in(client, user.username)
    session = client.session
    session[LAST_ACTIVITY] -= 6 * 60
    session.save()
    assert client.get("/").url.startswith(LOGIN)


def test_sign_out_ends_the_session_on_the_server(user):
    client = Client()
    sign_in(client, user.username)
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("logout")).status_code == 302
    assert not UserSession.objects.filter(session_key=old_key).exists()

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_deactivation_ends_every_session_of_the_account(user):
    other = UserFactory()
    first, second, bystander = Client(), Client(), Client()
    sign_in(first, user.username)
    sign_in(second, user.username)
    sign_in(bystander, other.username)
    assert UserSession.objects.filter(user_id=user.pk).count() == 2

    user.is_active = False
    user.save()

    assert not UserSession.objects.filter(user_id=user.pk).exists()
    for client in (first, second):
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert bystander.get("/").status_code == 200


def test_deactivation_in_admin_ends_sessions(user, superuser, client_for):
    client = Client()
    sign_in(client, user.username)
    admin = client_for(superuser)
    form = admin.get(f"/admin/auth/user/{user.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and not isinstance(value, list | tuple)}
    data.update({
        "username": user.username, "date_joined_0": "01/01/2024", "date_joined_1": "08:00:00",
        "account_security-TOTAL_FORMS": "1", "account_security-INITIAL_FORMS": "0",
        "account_security-MIN_NUM_FORMS": "0", "account_security-MAX_NUM_FORMS": "1",
    })
    data.pop("is_active", None)
    data.pop("password", None)
    data.pop("last_login", None)
    response = admin.post(f"/admin/auth/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert not user.is_active
    assert client.get("/").url.startswith(LOGIN)


def test_admin_password_change_link_leads_to_the_portal_page(superuser, client_for):
    response = client_for(superuser).get(reverse("admin:password_change"))
    assert response.status_code == 302 and response.url == CHANGE


def test_nginx_example_rate_limits_sign_in_and_hides_its_version():
    conf = (settings.BASE_DIR / "deploy" / "nginx" / "thidua.conf").read_text()
    assert "server_tokens off;" in conf
    assert "limit_req_zone $binary_remote_addr zone=thidua_signin" in conf
    location = "location ~ ^/(accounts/login|accounts/password/reset|admin/login)/ {"
    signin = conf.split(location)[1].split("}")[0]
    assert "limit_req zone=thidua_signin" in signin
    assert reverse("login") == "/accounts/login/" and reverse("admin:login") == "/admin/login/"
    assert reverse("password_reset") == "/accounts/password/reset/"


@pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None,
                    reason="nginx is not installed here (deploy machines have it; "
                           "`apt-get install nginx-light` to run this check)")
def test_nginx_example_is_a_configuration_nginx_accepts(tmp_path):
    # `nginx -t` on the example as shipped, with only the certificate paths pointed at a
    # throwaway self-signed pair: a typo in the example would otherwise surface on the
    # department's server, on the day they deploy.
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=thidua.example.gov.vn", "-keyout", tmp_path / "key.pem",
                    "-out", tmp_path / "cert.pem"], check=True, capture_output=True)
    site = (settings.BASE_DIR / "deploy" / "nginx" / "thidua.conf").read_text()
    site = (site.replace("/etc/ssl/thidua/fullchain.pem", str(tmp_path / "cert.pem"))
                .replace("/etc/ssl/thidua/privkey.pem", str(tmp_path / "key.pem")))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n")
    checked = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
    # The sign-in refusal is the portal's Vietnamese page, with the time to wait.
    assert "error_page 429 = @signin_slow_down;" in site
    assert "Quá nhiều lần thử đăng nhập" in site.split("location @signin_slow_down")[1]
