"""The project's knowledge is in the repository: every `docs/….md` page that code, tests,
templates, scripts or other pages cite exists, and nothing cites the notes kept outside it."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED = {".git", ".venv", "node_modules", "staticfiles", "media", "backups", "artifacts",
           "__pycache__", ".ruff_cache", ".pytest_cache"}
SUFFIXES = {".py", ".html", ".md", ".txt", ".toml", ".sh", ".cfg", ".conf", ".yml", ".yaml",
            ".js", ".css", ".example", ".service"}
CITED = re.compile(r"\bdocs/([\w.-]+\.md)\b")
OUTSIDE = re.compile(r"(?<![\w/-])(?:STYLE|SECURITY|DOMAIN)\.md\b|shared/notes/")


def _sources():
    for path in ROOT.rglob("*"):
        if SKIPPED.intersection(path.relative_to(ROOT).parts) or not path.is_file():
            continue
        if path.suffix in SUFFIXES or path.name in {"Makefile", "Dockerfile"}:
            yield path


def test_every_cited_docs_page_exists():
    cited = {}
    for path in _sources():
        for name in CITED.findall(path.read_text(encoding="utf-8", errors="replace")):
            cited.setdefault(name, []).append(str(path.relative_to(ROOT)))
    assert {"style.md", "domain.md", "security-promises.md"} <= set(cited)
    missing = {name: files for name, files in cited.items() if not (ROOT / "docs" / name).is_file()}
    assert not missing


def test_nothing_cites_notes_kept_outside_the_repository():
    citing = [str(path.relative_to(ROOT)) for path in _sources()
              if path.name != "test_docs.py"
              and OUTSIDE.search(path.read_text(encoding="utf-8", errors="replace"))]
    assert not citing


# A file path written in a page, such as `tasks/tallies.py` or `core/audit/trail.py`: an app or
# top-level folder, then path parts, then a known suffix (a path with a placeholder is skipped).
PATH = re.compile(r"`((?:core|units|campaigns|tasks|scoring|awards|config|templates|static|"
                  r"tests|deploy|scripts|docs)/[\w./-]+?\.(?:py|html|md|css|js))`")


def test_every_file_the_guides_name_exists():
    """The architecture and domain pages, and README, say where things are: each file they
    name must be there, so that a move is caught the day it happens."""
    named = {}
    for page in ("docs/architecture.md", "docs/domain.md", "docs/style.md", "README.md"):
        for path in PATH.findall((ROOT / page).read_text(encoding="utf-8")):
            named.setdefault(path, []).append(page)
    assert len(named) > 30, "the pattern no longer finds the paths the pages name"
    missing = {path: pages for path, pages in named.items() if not (ROOT / path).exists()}
    assert not missing, missing
