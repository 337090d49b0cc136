"""core.pdf.rendering: the cyclic collector paused while WeasyPrint lays out, and always put back
as it was found, through errors, nesting and overlapping threads."""

import gc
import threading

import pytest

from core import pdf


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_back_after():
    with pdf.rendering():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_after_an_error():
    with pytest.raises(ValueError), pdf.rendering():
        raise ValueError("layout failed")
    assert gc.isenabled()


def test_nested_uses_resume_only_at_the_outermost_end():
    with pdf.rendering():
        with pdf.rendering():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer layout is still running
    assert gc.isenabled()


def test_left_off_when_it_was_off_before():
    gc.disable()
    with pdf.rendering():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_threads_resume_when_the_last_one_ends():
    first_in, second_in, first_may_end, second_may_end = (threading.Event() for _ in range(4))
    seen = {}

    def first():
        with pdf.rendering():
            first_in.set()
            first_may_end.wait(5)
        seen["after first"] = gc.isenabled()
        second_may_end.set()

    def second():
        first_in.wait(5)
        with pdf.rendering():
            second_in.set()
            second_may_end.wait(5)
        seen["after second"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_in.wait(5)
    first_may_end.set()  # the first layout ends while the second still runs
    for thread in threads:
        thread.join(5)
    assert seen == {"after first": False, "after second": True}
    assert gc.isenabled()


def test_a_document_laid_out_paused_reads_back(tmp_path):
    """The PDF WeasyPrint writes with the collector paused is a whole document."""
    from weasyprint import HTML

    rows = "".join(f"<tr><td>{n}</td><td>Nguyễn Thị Ánh {n}</td></tr>" for n in range(300))
    with pdf.rendering():
        document = HTML(string=f"<table>{rows}</table>").render()
        content = document.write_pdf()
    assert gc.isenabled()
    assert content.startswith(b"%PDF") and len(document.pages) > 1
    from pypdf import PdfReader
    path = tmp_path / "paused.pdf"
    path.write_bytes(content)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Nguyễn Thị Ánh 299" in text
