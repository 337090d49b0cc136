"""The apps import one way, in the plan's flow: core ← units ← campaigns ← tasks ← scoring ←
awards. `core` is the shared machinery at the bottom: it imports none of the portal's apps, so
anything that needs a domain model lives in its app instead."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOW = ["core", "units", "campaigns", "tasks", "scoring", "awards"]


def _imported_apps(path: Path) -> set[str]:
    """The portal's apps that a module imports (absolute imports; relative ones stay inside)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in FLOW)
    return found


def _rightward_imports(app: str) -> list[str]:
    later = set(FLOW[FLOW.index(app) + 1:])
    return sorted(f"{path.relative_to(ROOT)} imports {', '.join(sorted(wrong))}"
                  for path in (ROOT / app).rglob("*.py")
                  if (wrong := _imported_apps(path) & later))


def test_core_imports_no_domain_app():
    assert _rightward_imports("core") == []


@pytest.mark.parametrize("app", FLOW[1:-1])
def test_apps_import_only_leftwards_in_the_flow(app):
    assert _rightward_imports(app) == []


def test_the_layer_check_sees_a_rightward_import(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("from tasks.models import Task\nimport awards.rules\nfrom . import x\n")
    assert _imported_apps(module) == {"tasks", "awards"}
