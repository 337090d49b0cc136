"""manage.py start_department: the first administrator and the department's identity on a
fresh portal, in one transaction; refused once an administrator exists."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from units.access import viewer_for
from units.models import AccountSecurity, AuditEntry, Department

from ..helpers import db_snapshot

PASSWORD = "Khoa-Sgd#2026!"
IDENTITY = {"name": "Sở Giáo dục và Đào tạo tỉnh Sơn La", "short_name": "Sở GD&ĐT Sơn La",
            "parent_agency": "ubnd tỉnh  sơn la", "place": "Sơn La"}


def run(*args, **options):
    out = io.StringIO()
    call_command("start_department", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def password_in_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)


def test_start_department_creates_the_administrator_and_the_identity(db,
                                                                      password_in_environment):
    out = run("--noinput", username="quantri", full_name="Trịnh  Minh Khoa",
              email="quantri@sgddt.edu.vn", director="Lò Văn Hùng",
              department_email="vanphong@sgddt.edu.vn", **IDENTITY)

    admin = get_user_model().objects.get()
    assert (admin.username, admin.is_superuser, admin.is_staff) == ("quantri", True, True)
    assert (admin.last_name, admin.first_name) == ("Trịnh Minh", "Khoa")
    assert admin.check_password(PASSWORD)
    assert viewer_for(admin).is_admin
    # The administrator chose the password: no forced change at first sign-in.
    assert not AccountSecurity.objects.get(user=admin).must_change_password
    department = Department.objects.get()
    assert (department.name, department.short_name, department.parent_agency, department.place,
            department.director_name, department.email) == (
        "Sở Giáo dục và Đào tạo tỉnh Sơn La", "Sở GD&ĐT Sơn La", "UBND TỈNH SƠN LA", "Sơn La",
        "Lò Văn Hùng", "vanphong@sgddt.edu.vn")
    assert department.issuing_name == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert sorted(AuditEntry.objects.filter(actor=admin).values_list("action", flat=True)) == [
        "account.create", "department.edit"]
    assert "Administrator quantri created." in out and "/units/organisation/import/" in out


def test_start_department_refuses_when_an_administrator_exists(cast, password_in_environment):
    before = db_snapshot()
    with pytest.raises(CommandError, match="already has an administrator.*--add-admin"):
        run("--noinput", username="moi", full_name="Lê Văn Mới", email="moi@sgddt.edu.vn",
            **IDENTITY)
    assert db_snapshot() == before


def test_start_department_add_admin_leaves_the_identity(cast, password_in_environment):
    identity = Department.objects.values().get()
    run("--noinput", "--add-admin", username="quantri2", full_name="Lò Thị Mai",
        email="mai@sgddt.edu.vn")
    assert get_user_model().objects.get(username="quantri2").is_superuser
    assert Department.objects.values().get() == identity


@pytest.mark.parametrize(("password", "message"), [
    ("ngan", "quá ngắn"),
    ("", "DJANGO_SUPERUSER_PASSWORD"),
])
def test_start_department_refuses_a_weak_password_and_stores_nothing(db, monkeypatch, password,
                                                                     message):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    before = db_snapshot()
    with pytest.raises(CommandError, match=message):
        run("--noinput", username="quantri", full_name="Trịnh Minh Khoa",
            email="quantri@sgddt.edu.vn", **IDENTITY)
    assert db_snapshot() == before


@pytest.mark.parametrize(("options", "message"), [
    ({**IDENTITY, "place": "Sơn La, ngày"}, "--place: Chỉ ghi địa danh"),
    ({"name": "Sở Giáo dục và Đào tạo tỉnh Sơn La"}, "--short-name"),
    ({**IDENTITY, "email": "khong-phai-thu"}, "--email"),
    ({**IDENTITY, "username": "có dấu cách"}, "--username"),
])
def test_start_department_refuses_bad_answers_and_stores_nothing(db, password_in_environment,
                                                                 options, message):
    before = db_snapshot()
    given = {"username": "quantri", "full_name": "Trịnh Minh Khoa",
             "email": "quantri@sgddt.edu.vn", **options}
    with pytest.raises(CommandError, match=message):
        run("--noinput", **given)
    assert db_snapshot() == before


def test_start_department_asks_until_the_answers_are_right(db, monkeypatch):
    answers = iter(["quantri", "Trịnh Minh Khoa", "quantri@sgddt.edu.vn",
                    IDENTITY["name"], IDENTITY["short_name"], IDENTITY["parent_agency"],
                    "Sơn La, ngày",  # refused: the place only
                    "", "",  # no director, no contact address
                    "Sơn La"])
    passwords = iter(["ngan", "ngan", PASSWORD, "khac", PASSWORD, PASSWORD])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(passwords))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)

    run()

    assert get_user_model().objects.get().check_password(PASSWORD)
    assert Department.objects.get().place == "Sơn La"
    assert next(answers, None) is None and next(passwords, None) is None


def test_start_department_cancelled_at_a_question_stores_nothing(db, monkeypatch):
    def cancel(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", cancel)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    before = db_snapshot()
    with pytest.raises(CommandError, match="Cancelled; nothing was changed"):
        run()
    assert db_snapshot() == before
