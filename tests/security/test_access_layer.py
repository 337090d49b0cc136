"""Access is decided in one layer: each app's access.py (and `units.access.Viewer` under it).

Views reach their objects through the `get_*_for` helpers, filter lists with `visible_to(viewer)`
and ask named predicates (`can_edit`, `can_review`, …); templates show what the view (or, for
the navigation, the context processor) decided. So no view module and no template may mention a
role or a role-derived attribute of the viewer: a new page that does is one that decides access
on its own, where the role × URL walk (test_promises.py) may not catch a slip.

Forms, services, document builders, exports, models and commands are held to the same layer
for the Viewer's policy: they are told what the view decided (`every_unit=…`, a queryset already
narrowed) or ask a named predicate (`can_view_every_unit(user)`). The rule for every module but
the views: the Viewer's policy (`reads_everything`, `signs`, `heads`, … and Django's
`is_superuser`/`is_staff`) is read only in an app's access.py and inside QuerySet methods named
`visible_to`. The `Role` choices and the `role` field stay allowed there: outside the views they
are data about people (the model's choices and ordering, the demo cast, the benchmarks' users,
the heads a reminder goes to), not a decision about the person asking.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

from units.access import Viewer

ROOT = Path(settings.BASE_DIR)
APPS = ("config", "core", "units", "campaigns", "tasks", "scoring", "awards")

# What the Viewer decides from the role (units/access.py), read off the class so that a policy
# added there is covered the day it is written, and Django's flags; who is signed in is not.
VIEWER_POLICY = ({name for name in vars(Viewer) if not name.startswith("_")}
                 - {"role", "role_label", "unit_id"}) | {"is_superuser", "is_staff"}
# Views and templates may not name the role either.
ROLE_ATTRIBUTES = VIEWER_POLICY | {
    "role", "is_admin", "is_director", "is_office", "is_union", "is_unit_head",
    "reads_everything", "reviews", "keeps_registers", "reads_audit_trail", "sees_legal_notes",
    "manages_campaigns", "sees_drafts", "heads", "reports_for", "can_see_unit",
}
ROLE_NAMES = {"Role", "READ_ALL_ROLES"}
# What a template may still read from the viewer: who is signed in, for display.
VIEWER_DISPLAY = {"staff", "role_label"}


def view_modules():
    found = []
    for app in APPS:
        found += (ROOT / app).glob("views.py")
        found += (ROOT / app).glob("views_*.py")
        found += (ROOT / app / "views").glob("*.py")
    return sorted(found)


def other_modules():
    """Every other module of the apps (forms, services, documents, exports, models, commands, …)
    but the access layer itself and the migrations, which are frozen history."""
    views = set(view_modules())
    return sorted(path for app in APPS for path in (ROOT / app).rglob("*.py")
                  if path.name != "access.py" and path not in views
                  and "migrations" not in path.relative_to(ROOT).parts)


def templates():
    return sorted([*(ROOT / "templates").rglob("*.html"),
                   *(p for app in APPS for p in (ROOT / app / "templates").rglob("*.html"))])


def role_mentions_in_python(path):
    """(line, text) of every role attribute or role name the module's code uses."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in ROLE_ATTRIBUTES:
            found.append((node.lineno, node.col_offset, ast.unparse(node)))
        elif isinstance(node, ast.Name) and node.id in ROLE_NAMES:
            found.append((node.lineno, node.col_offset, node.id))
        elif isinstance(node, ast.alias) and node.name in ROLE_NAMES:
            found.append((node.lineno, node.col_offset, f"import {node.name}"))
    return [(line, text) for line, _, text in sorted(found)]


def policy_reads(path):
    """(line, text) of every read of the Viewer's policy outside a `visible_to` method.

    Attributes of `self` are left out: outside units/access.py the Viewer is never `self`, and a
    class may have its own `heads` (the demo's cast of unit heads).
    """
    found = []

    def visit(node, in_visible_to):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "visible_to":
            in_visible_to = True
        if (not in_visible_to and isinstance(node, ast.Attribute) and node.attr in VIEWER_POLICY
                and not (isinstance(node.value, ast.Name) and node.value.id == "self")):
            found.append((node.lineno, node.col_offset, ast.unparse(node)))
        for child in ast.iter_child_nodes(node):
            visit(child, in_visible_to)

    visit(ast.parse(path.read_text(), filename=str(path)), False)
    return [(line, text) for line, _, text in sorted(found)]


DISPLAY, ROLES = "|".join(sorted(VIEWER_DISPLAY)), "|".join(sorted(ROLE_ATTRIBUTES))
ROLE_IN_TEMPLATE = re.compile(rf"\bviewer\.(?!(?:{DISPLAY})\b)\w+|\.(?:{ROLES})\b")


def role_mentions_in_template(path):
    return [(number, match[0])
            for number, line in enumerate(path.read_text().splitlines(), start=1)
            for match in ROLE_IN_TEMPLATE.finditer(line)]


def offenders(paths, find):
    return [f"{path.relative_to(ROOT)}:{line}: {text}"
            for path in paths for line, text in find(path)]


def test_the_scan_finds_every_view_module_and_template():
    names = {str(p.relative_to(ROOT)) for p in view_modules()}
    assert {"tasks/views/reports.py", "scoring/views/sheet.py", "awards/views/proposals.py",
            "units/views/units.py", "campaigns/views.py", "config/views.py"} <= names
    assert len(templates()) > 40
    others = {str(p.relative_to(ROOT)) for p in other_modules()}
    assert {"awards/forms.py", "units/forms_registers.py", "awards/documents/decision.py",
            "awards/services.py", "scoring/exports.py", "tasks/models.py",
            "tasks/reminders.py"} <= others
    assert not {name for name in others | names
                if name.endswith("access.py") or "/migrations/" in name}
    assert not others & names
    assert {"reads_everything", "signs", "heads", "is_admin", "is_superuser"} <= VIEWER_POLICY


def test_the_scan_sees_a_role_check_in_code_and_in_a_template(tmp_path):
    view = tmp_path / "views.py"
    view.write_text("from units.models import Role\n"
                    "def page(request, viewer):\n"
                    "    if viewer.reads_everything or viewer.heads(1):\n"
                    "        return viewer.role == Role.OFFICE\n")
    template = tmp_path / "page.html"
    template.write_text("{{ viewer.staff.full_name }} {{ viewer.role_label }}\n"
                        "{% if viewer.manages_campaigns %}x{% endif %}"
                        "{% if person.role %}{% endif %}")
    assert [text for _, text in role_mentions_in_python(view)] == [
        "import Role", "viewer.reads_everything", "viewer.heads", "viewer.role", "Role"]
    assert role_mentions_in_template(template) == [(2, "viewer.manages_campaigns"),
                                                   (2, ".role")]


def test_the_scan_sees_a_policy_read_in_a_form_but_not_in_visible_to(tmp_path):
    form = tmp_path / "forms.py"
    form.write_text("from units.models import Role\n"
                    "class UnitFilterForm:\n"
                    "    def __init__(self, viewer):\n"
                    "        if viewer.reads_everything or viewer_for(viewer.user).signs:\n"
                    "            self.every_unit = self.heads = viewer.staff.role == Role.OFFICE\n"
                    "class UnitQuerySet:\n"
                    "    def visible_to(self, viewer):\n"
                    "        return self if viewer.reads_everything else self.none()\n")
    assert policy_reads(form) == [(4, "viewer.reads_everything"),
                                  (4, "viewer_for(viewer.user).signs")]


def test_no_view_module_mentions_a_role():
    found = offenders(view_modules(), role_mentions_in_python)
    assert not found, ("Views decide access only through their app's access.py "
                       "(get_*_for, can_*, visible_to); these mention roles:\n" + "\n".join(found))


def test_no_template_derives_a_permission_from_roles():
    found = offenders(templates(), role_mentions_in_template)
    assert not found, ("Templates show what the view decided (its `can`); "
                       "these derive it from roles:\n" + "\n".join(found))


def test_only_the_access_layer_reads_the_viewers_policy():
    found = offenders(other_modules(), policy_reads)
    assert not found, ("Forms, services, documents and exports are told what the view decided, "
                       "or ask a named predicate of their app's access.py; only there and in "
                       "QuerySet.visible_to may the Viewer's policy be read:\n" + "\n".join(found))
