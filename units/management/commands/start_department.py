"""`manage.py start_department`: the first run of a department's own portal.

On a migrated database without the demo it creates the first administrator (a superuser, the
portal's administrator role) with a password they choose, checked by the project's password
rules, and asks the department's identity, saved over the row the migrations made — all in one
transaction (units.services.start_department). Everything else (units, staff, accounts, the
plan) is done in the browser: see README, "Starting your own department".

Like Django's createsuperuser: interactive by default; `--noinput` takes everything from the
options and the password from the environment variable DJANGO_SUPERUSER_PASSWORD. It refuses
when an administrator exists already (the portal has been started, or the demo is loaded),
unless `--add-admin`, which adds an administrator and leaves the identity as it is.
"""

import getpass
import os
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import exceptions
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.urls import reverse

from units import services
from units.forms_identity import DepartmentForm
from units.invitations import administrators
from units.models import Department

PASSWORD_VARIABLE = "DJANGO_SUPERUSER_PASSWORD"

# (form field, option, question): what the command asks of the department. The rest of the
# identity (issuing body, titles, deputy directors, logo) keeps its defaults and is completed on
# the identity page (Thông tin của Sở).
IDENTITY = [
    ("name", "name", "Department's name, as written in running text (Tên Sở), "
                     "e.g. Sở Giáo dục và Đào tạo tỉnh X"),
    ("short_name", "short_name", "Short name for the page header (Tên viết tắt), "
                                 "e.g. Sở GD&ĐT X"),
    ("parent_agency", "parent_agency", "Parent agency as printed on documents (Cơ quan chủ quản), "
                                       "e.g. UBND TỈNH X"),
    ("place", "place", "Place written before the date (Địa danh), for a province's department "
                       "the province's name"),
    ("director_name", "director", "Director's full name (Giám đốc), may be left empty"),
    ("email", "department_email", "Department's contact e-mail (Thư điện tử liên hệ), may be "
                                  "left empty"),
]


class Command(BaseCommand):
    help = (
        "First run of a department's own portal (no demo): create the first administrator and "
        "record the department's identity, in one transaction. Then continue in the browser "
        "(README: Starting your own department)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", help="The administrator's username.")
        parser.add_argument("--full-name", dest="full_name",
                            help="The administrator's full name, family name first.")
        parser.add_argument("--email", help="The administrator's e-mail address (password "
                                            "resets go there).")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help=f"Ask nothing: every value from the options, the password from "
                                 f"the environment variable {PASSWORD_VARIABLE}.")
        parser.add_argument("--add-admin", action="store_true", dest="add_admin",
                            help="Add an administrator to a portal that has one already; the "
                                 "department's identity is left as it is.")
        for _field, option, question in IDENTITY:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option,
                                help=question + ".")

    def handle(self, *args, **options):
        try:
            self._start(**options)
        except (KeyboardInterrupt, EOFError):
            # Ctrl+C or Ctrl+D at a question: nothing is written before the last answer.
            raise CommandError("\nCancelled; nothing was changed.") from None

    def _start(self, *, interactive, add_admin, **options):
        existing = list(administrators().values_list("username", flat=True)[:5])
        if existing and not add_admin:
            raise CommandError(
                f"This portal already has an administrator ({', '.join(existing)}): it has been "
                f"started (or the demo is loaded). Nothing was changed. To add another "
                f"administrator, run start_department --add-admin; to change the department's "
                f"identity, sign in as an administrator and open Thông tin của Sở "
                f"({reverse('units:department')})."
            )
        if interactive and not sys.stdin.isatty():
            raise CommandError("Not asking on a non-interactive input: pass --noinput with the "
                               "options (see --help) and the password in "
                               f"{PASSWORD_VARIABLE}.")
        ask = self._ask if interactive else self._given
        if interactive:
            self.stdout.write("The portal's first administrator:" if not existing
                              else "Another administrator:")
        username = ask("username", "Username (Tên đăng nhập)", options, self._check_username)
        full_name = ask("full_name", "Full name, family name first (Họ và tên)", options,
                        self._check_full_name)
        email = ask("email", "E-mail address (Thư điện tử)", options, self._check_email)
        password = self._password(interactive, username, full_name, email)

        form = None
        if not add_admin:
            form = self._identity(interactive, options)

        user = services.start_department(username=username, full_name=full_name, email=email,
                                         password=password, identity_form=form)
        self._done(user, form)

    # --- asking -------------------------------------------------------------------------------

    def _given(self, option, question, options, check):
        value = (options.get(option) or "").strip()
        try:
            return check(value)
        except exceptions.ValidationError as error:
            raise CommandError(f"--{option.replace('_', '-')}: {' '.join(error.messages)}") \
                from None

    def _ask(self, option, question, options, check):
        given = (options.get(option) or "").strip()
        while True:
            value = given or input(f"{question}: ").strip()
            given = ""
            try:
                return check(value)
            except exceptions.ValidationError as error:
                self.stderr.write("  " + " ".join(error.messages))

    def _check_username(self, value):
        if not value:
            raise exceptions.ValidationError("A username is needed.")
        User = get_user_model()
        field = User._meta.get_field(User.USERNAME_FIELD)
        value = field.clean(value, None)
        if User.objects.filter(username__iexact=value).exists():
            raise exceptions.ValidationError(f"The username {value} is taken: choose another.")
        return value

    def _check_full_name(self, value):
        value = " ".join(value.split())
        if not value:
            raise exceptions.ValidationError("The full name is needed (e.g. Nguyễn Văn An).")
        return value

    def _check_email(self, value):
        if not value:
            raise exceptions.ValidationError("An e-mail address is needed: a forgotten password "
                                             "is reset through it.")
        validate_email(value)
        return value

    def _password(self, interactive, username, full_name, email):
        from units.collation import split_name

        family_middle, given = split_name(full_name)
        user = get_user_model()(username=username, email=email, first_name=given,
                                last_name=family_middle)
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"--noinput needs the password in the environment variable "
                                   f"{PASSWORD_VARIABLE}.")
            try:
                validate_password(password, user)
            except exceptions.ValidationError as error:
                raise CommandError(f"{PASSWORD_VARIABLE}: {' '.join(error.messages)}") from None
            return password
        while True:
            password = getpass.getpass("Password (Mật khẩu): ")
            if getpass.getpass("Password again (Nhập lại mật khẩu): ") != password:
                self.stderr.write("  The two passwords differ: type them again.")
                continue
            try:
                validate_password(password, user)
            except exceptions.ValidationError as error:
                self.stderr.write("  " + " ".join(error.messages))
                continue
            return password

    def _identity(self, interactive, options):
        """The identity form bound to the answers, valid; the fields not asked keep the stored
        values (or the model's defaults)."""
        department = Department.objects.order_by("pk").first() or Department()
        initial = {name: getattr(department, name)
                   for name in DepartmentForm._meta.fields if name != "logo"}
        answers = {field: (options.get(option) or "").strip() for field, option, _q in IDENTITY}
        if interactive:
            self.stdout.write("The department (it can be changed later on the page Thông tin "
                              "của Sở):")
            for field, _option, question in IDENTITY:
                answers[field] = answers[field] or input(f"{question}: ").strip()
        while True:
            form = DepartmentForm({**initial, **answers, "version": department.version},
                                  instance=department)
            if form.is_valid():
                return form
            asked = {field: (option, question) for field, option, question in IDENTITY}
            wrong = [(field, errors) for field, errors in form.errors.items()]
            if not interactive or any(field not in asked for field, _errors in wrong):
                raise CommandError("The department's identity: " + "; ".join(
                    f"--{asked[field][0].replace('_', '-') if field in asked else field}: "
                    f"{' '.join(errors)}" for field, errors in wrong))
            for field, errors in wrong:
                self.stderr.write(f"  {' '.join(errors)}")
                if field in asked:
                    answers[field] = input(f"{asked[field][1]}: ").strip()

    def _done(self, user, form):
        out = self.stdout.write
        out(self.style.SUCCESS(f"Administrator {user.get_username()} created."))
        if form is not None:
            department = form.instance
            out(self.style.SUCCESS(f"Department: {department.name} ({department.short_name}), "
                                   f"{department.parent_agency}, {department.place}."))
        out(f"Next, in the browser, signed in as this administrator at "
            f"{settings.PORTAL_URL.rstrip('/')}{reverse('login')} (README, \"Starting your own "
            f"department\"):")
        for step in (
            f"check the identity: Thông tin của Sở ({reverse('units:department')})",
            f"import the units: {reverse('units:units_import')} (docs/samples/don-vi.xlsx)",
            f"import the staff: {reverse('units:staff_import')} (docs/samples/can-bo.xlsx)",
            f"create the heads' accounts: {reverse('units:account_create')}",
            "copy or enter the year's plan, then launch it",
        ):
            out(f"  - {step}")
