"""Access is decided in one layer: each app's access.py (and `units.access.Viewer` under it).

Views reach their objects through the `get_*_for` helpers, filter lists with `visible_to(viewer)`
and ask named predicates (`can_edit`, `can_review`, …); templates show what the view (or, for
the navigation, the context processor) decided. So no view module and no template may mention a
role or a role-derived attribute of the viewer: a new page that does is one that decides access
on its own, where the role × URL walk (test_promises.py) may not catch a slip.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("config", "core", "units", "campaigns", "tasks", "scoring", "awards")

# The Viewer's roles and the policies derived from them (units/access.py), and Django's flags.
ROLE_ATTRIBUTES = {
    "role", "is_admin", "is_director", "is_office", "is_union", "is_unit_head",
    "reads_everything", "reviews", "keeps_registers", "reads_audit_trail", "sees_legal_notes",
    "manages_campaigns", "sees_drafts", "heads", "reports_for", "can_see_unit",
    "is_superuser", "is_staff",
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


def test_no_view_module_mentions_a_role():
    found = offenders(view_modules(), role_mentions_in_python)
    assert not found, ("Views decide access only through their app's access.py "
                       "(get_*_for, can_*, visible_to); these mention roles:\n" + "\n".join(found))


def test_no_template_derives_a_permission_from_roles():
    found = offenders(templates(), role_mentions_in_template)
    assert not found, ("Templates show what the view decided (its `can`); "
                       "these derive it from roles:\n" + "\n".join(found))
