"""The demo's layout of the Department's Giấy khen blank (A4 landscape): the positions a
clerk would have measured on the calibration sheet, so that the layouts page and the decision's
"In giấy khen" have something to show. Saved through the same service as the page (audited)."""

from django.contrib.auth import get_user_model

from .models import Award, CertificateLayout
from .models_certificate import DEFAULT_FIELDS, FIELDS
from .services_certificate import save_certificate_layout

NAME = "Phôi Giấy khen của Giám đốc Sở (mẫu 2022)"
AWARD = "giay-khen-giam-doc-so"
# Measured on the demo's blank: the printed "Tặng" ends at 80 mm, the name goes under it; the
# achievement wraps over two lines in a narrower column; the book number sits beside the
# printed "Số:" at the bottom left.
MEASURED = {
    "name": {"y": 84.5},
    "position": {"y": 98},
    "achievement": {"x": 58.5, "y": 109, "width": 180},
    "book": {"x": 48, "y": 176.5, "width": 40},
}


def load_certificate_layout() -> int:
    """The layout, once (a second load_demo leaves it as the administrator may have changed
    it); the number created."""
    if CertificateLayout.objects.filter(name=NAME).exists():
        return 0
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    award = Award.objects.filter(code=AWARD).first()
    if admin is None or award is None:
        return 0
    positions = {key: {**DEFAULT_FIELDS[key], **MEASURED.get(key, {})} for key in FIELDS}
    save_certificate_layout(layout=CertificateLayout(), name=NAME, award=award,
                            paper="a4-landscape", positions=positions, user=admin)
    return 1
