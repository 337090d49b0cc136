"""Checking uploaded evidence by its content, before anything is stored.

The browser's file name and declared type are not trusted: the type is read from the first bytes
(and, for Office documents, from the zip's table of contents), and must agree with the extension.
"""

import hashlib
import logging
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The first bytes of each accepted format.
PDF, PNG, JPEG = b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
OLE, ZIP = b"\xd0\xcf\x11\xe0", b"PK\x03\x04"  # legacy Office; Office Open XML (a zip)
OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
# extension -> (content type served on download, first bytes of its content)
ALLOWED = {
    "pdf": ("application/pdf", PDF),
    "png": ("image/png", PNG),
    "jpg": ("image/jpeg", JPEG),
    "jpeg": ("image/jpeg", JPEG),
    "doc": ("application/msword", OLE),
    "xls": ("application/vnd.ms-excel", OLE),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
}
# Limits against zip bombs in Office documents.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_RATIO = 100


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def check_evidence(upload) -> CheckedFile:
    """Return what we know of an acceptable upload, or raise ValidationError saying what to fix."""
    name = upload.name or ""
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        raise ValidationError(_("The file name must not contain a folder path: rename the file "
                                "and upload it again."))
    if "." not in name:
        raise ValidationError(_("The file has no extension. Allowed types: %(types)s.")
                              % {"types": allowed_list()})
    extension = name.rsplit(".", 1)[1].lower()
    if extension not in ALLOWED:
        raise ValidationError(_("Files of type .%(ext)s are not accepted. Allowed types: "
                                "%(types)s.") % {"ext": extension, "types": allowed_list()})
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The file is %(size)s; the limit is %(limit)s. Compress or split "
                                "it and upload again.")
                              % {"size": filesizeformat(upload.size),
                                 "limit": filesizeformat(limit)})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    content_type, magic = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magic):
        raise ValidationError(_("The content of this file is not a .%(ext)s file. Save it again "
                                "in that format, or give it its real extension.")
                              % {"ext": extension})
    if magic == ZIP:
        _check_office_zip(upload, extension)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(name=name[-200:], extension=extension, content_type=content_type,
                       size=upload.size, sha256=digest.hexdigest())


def _check_office_zip(upload, extension):
    broken = ValidationError(_("This .%(ext)s file is damaged or is not an Office document.")
                             % {"ext": extension})
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise broken from None
    finally:
        upload.seek(0)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(
        n.startswith(OOXML_FOLDER[extension]) for n in names
    ):
        raise broken
    unpacked = sum(entry.file_size for entry in entries)
    packed = max(1, sum(entry.compress_size for entry in entries))
    if (len(entries) > MAX_ZIP_ENTRIES or unpacked > settings.EVIDENCE_MAX_BYTES * 10
            or unpacked / packed > MAX_ZIP_RATIO):
        raise ValidationError(_("This document unpacks to far more than its size, which "
                                "documents never do; it was refused. Save it again and upload."))


def allowed_list() -> str:
    return ", ".join(f".{ext}" for ext in ALLOWED)


# Types the browser may show instead of downloading: PDF (its own viewer) and photos. Their
# content was checked at upload; Word, Excel and PowerPoint are only ever downloaded.
PREVIEWABLE = {"pdf", "png", "jpg", "jpeg"}


logger = logging.getLogger(__name__)


def _open(stored):
    """The stored file, or "not found" when it is gone from the disk (a restore without the
    media folder, a file removed by hand): the person gets the not-found page, not a server
    error, and the log says which file to bring back."""
    try:
        return stored.file.open("rb")
    except FileNotFoundError:
        logger.error("Stored file missing on disk: %s (%s #%s)", stored.file.name,
                     type(stored).__name__, stored.pk)
        raise Http404("stored file missing") from None


def send_preview(stored):
    """A stored PDF or photo shown by the browser (`inline`), under the type checked at upload.

    nosniff: the browser never reads it as anything else (HTML, script). The policy forbids it
    every resource and sandboxes it as a unique origin without scripts; Chromium's PDF viewer
    still shows a sandboxed PDF. It opens in its own tab: the site's frame refusal
    (X-Frame-Options DENY, frame-ancestors 'none') stays.
    """
    if stored.extension not in PREVIEWABLE:
        raise ValueError(f"No preview for .{stored.extension} files.")
    response = FileResponse(_open(stored), as_attachment=False,
                            filename=stored.original_name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ("default-src 'none'; img-src 'self'; "
                                           "frame-ancestors 'none'; sandbox")
    return response


def send_stored(stored):
    """A stored upload as a download: an attachment, which the browser saves and never renders,
    and which may not run anything if a browser tried. (PDFs and photos may also be shown:
    `send_preview`.)"""
    response = FileResponse(_open(stored), as_attachment=True,
                            filename=stored.original_name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
