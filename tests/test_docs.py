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
