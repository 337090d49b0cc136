"""The worlds other test packages build, reused here: a plan with a task assigned to units A
and B (`work`), a scored plan (`scored`), and a second task for the import (`task2`)."""

from ..scoring.conftest import scored  # noqa: F401
from ..tasks.conftest import work  # noqa: F401
from ..tasks.test_excel import task2  # noqa: F401
