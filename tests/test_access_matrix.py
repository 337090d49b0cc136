"""Role × URL matrix: each role gets exactly the pages it should, and nothing else."""

import datetime
from functools import cached_property

import pytest
from django.urls import reverse

from awards import services_bonus
from awards.models import Award, Conferral, Decision
from campaigns import services
from units.models import StaffMember

from .factories import plan
from .helpers import READERS, ROLES, expect

READERS_ONLY = READERS

# (name, how to build its args from the world, method, expected status per role)
MATRIX = [
    ("home", lambda w: [], "get", expect(200)),
    ("password_change", lambda w: [], "get", expect(200)),
    ("units:list", lambda w: [], "get", expect(200)),
    ("units:detail", lambda w: [w.cast.unit_a.pk], "get", expect(200, head_b=404)),
    ("units:detail", lambda w: [w.cast.unit_b.pk], "get", expect(200, head_a=404, staff=404)),
    ("units:toggle_reporting", lambda w: [w.cast.staff.staff_member.pk], "post",
     expect(403, head_a=302, head_b=404)),
    # Organisation and staff (issue 15): the Office and administrators manage; everyone who may
    # read a unit reads its staff list.
    ("units:organisation", lambda w: [], "get", expect(403, office=200, admin=200)),
    ("units:unit_create", lambda w: [], "get", expect(403, office=200, admin=200)),
    ("units:unit_rename", lambda w: [w.cast.unit_a.pk], "get", expect(403, office=200, admin=200)),
    ("units:unit_move", lambda w: [w.cast.unit_a.pk], "get", expect(403, office=200, admin=200)),
    ("units:unit_merge", lambda w: [w.cast.unit_a.pk], "get", expect(403, office=200, admin=200)),
    ("units:unit_deactivate", lambda w: [w.cast.unit_a.pk], "get",
     expect(403, office=200, admin=200)),
    ("units:units_import", lambda w: [], "get", expect(403, office=200, admin=200)),
    ("units:units_template", lambda w: [], "get", expect(403, office=200, admin=200)),
    ("units:staff_import", lambda w: [], "get", expect(403, office=200, admin=200)),
    ("units:staff_template", lambda w: [], "get", expect(403, office=200, admin=200)),
    ("units:staff", lambda w: [w.cast.unit_a.pk], "get", expect(200, head_b=404)),
    ("units:staff", lambda w: [w.cast.unit_b.pk], "get", expect(200, head_a=404, staff=404)),
    ("units:staff_create", lambda w: [w.cast.unit_a.pk], "get",
     expect(403, office=200, admin=200)),
    ("units:staff_edit", lambda w: [w.cast.staff.staff_member.pk], "get",
     expect(403, office=200, admin=200, head_b=404)),
    ("units:staff_transfer", lambda w: [w.cast.staff.staff_member.pk], "get",
     expect(403, office=200, admin=200, head_b=404)),
    ("units:staff_deactivate", lambda w: [w.cast.staff.staff_member.pk], "get",
     expect(403, office=200, admin=200, head_b=404)),
    # The audit trail: directors (and deputies, see tests/security) and administrators only.
    ("units:audit", lambda w: [], "get", expect(403, director=200, admin=200)),
    # The department's identity: the administrator's page; its logo (none stored) is 404 to all.
    ("units:department", lambda w: [], "get", expect(403, admin=200)),
    ("units:department", lambda w: [], "post", expect(403, admin=200)),
    ("units:logo", lambda w: [], "get", expect(404)),
    # The department's earlier names (before a merger): the administrator's, as the identity.
    ("units:earlier_identity_create", lambda w: [], "get", expect(403, admin=200)),
    ("units:earlier_identity_create", lambda w: [], "post", expect(403, admin=200)),
    ("units:earlier_identity", lambda w: [w.earlier_identity.pk], "get", expect(403, admin=200)),
    ("units:earlier_identity", lambda w: [w.earlier_identity.pk], "post",
     expect(403, admin=200)),
    # GET is refused (405) before anyone is asked who they are, as every POST-only step.
    ("units:earlier_identity_remove", lambda w: [w.earlier_identity.pk], "get", expect(405)),
    ("units:earlier_identity_remove", lambda w: [w.earlier_identity.pk], "post",
     expect(403, admin=302)),
    # Accounts (Tài khoản): administrators only.
    ("units:accounts", lambda w: [], "get", expect(403, admin=200)),
    ("units:account_create", lambda w: [], "get", expect(403, admin=200)),
    ("units:account_deactivate", lambda w: [w.cast.staff.pk], "post", expect(403, admin=302)),
    ("units:account_unlock", lambda w: [w.cast.staff.pk], "post", expect(403, admin=302)),
    ("units:account_invite", lambda w: [w.cast.staff.pk], "post", expect(403, admin=302)),
    # Emulation registration: readers of everything see every unit's; a unit's people go to
    # their own unit's page; the Office (and administrators) open the year's.
    ("awards:registrations", lambda w: [], "get", expect(302, **READERS)),
    ("awards:registration_window", lambda w: [], "post", expect(403, office=302, admin=302)),
    # Awards outside the annual cycle: readers of everything and unit heads see the page (a
    # head their own unit's); the Office proposes for any unit, a head for their own (the form
    # opens on their unit); the Office alone reviews (tests/awards/test_special.py).
    ("awards:specials", lambda w: [], "get", expect(403, **READERS, head_a=200, head_b=200)),
    ("awards:special_new", lambda w: [], "get", expect(302, head_a=200, head_b=200,
                                                       staff=403)),
    ("campaigns:list", lambda w: [], "get", expect(200)),
    ("campaigns:detail", lambda w: [w.launched.pk], "get", expect(200)),
    ("campaigns:detail", lambda w: [w.draft.pk], "get",
     expect(404, director=200, office=200, admin=200)),
    ("campaigns:create", lambda w: [], "get", expect(403, office=200, admin=200)),
    ("campaigns:edit", lambda w: [w.draft.pk], "get",
     expect(404, director=403, office=200, admin=200)),
    ("campaigns:copy", lambda w: [w.launched.pk], "get", expect(403, office=200, admin=200)),
    ("campaigns:launch", lambda w: [w.draft.pk], "post",
     expect(404, director=403, office=302, admin=302)),
    ("campaigns:close", lambda w: [w.launched.pk], "post", expect(403, office=302, admin=302)),
    ("campaigns:disseminations", lambda w: [w.launched.pk], "get", expect(403, **READERS_ONLY)),
    ("campaigns:confirm", lambda w: [w.dissemination_a.pk], "get",
     expect(403, head_a=200, head_b=404)),
    ("campaigns:confirm", lambda w: [w.dissemination_b.pk], "get",
     expect(403, head_a=404, head_b=200, staff=404)),
    # The catalogue of awards with its legal sources (issue 16): everyone signed in reads it.
    ("awards:catalogue", lambda w: [], "get", expect(200)),
    # The reward fund (issue 17): readers of everything read it; the Office enters income,
    # corrects it and records recoveries (an empty recovery names no decision: 404); a
    # director (or an administrator) approves a list beyond the fund (an empty answer: 400).
    ("awards:fund", lambda w: [], "get", expect(403, **READERS)),
    # The statistics forms of Circular 02/2023 (issue 18): the Department's report upward,
    # read by readers of everything; a unit head and staff get 403.
    ("awards:statistics", lambda w: [], "get", expect(403, **READERS)),
    ("awards:fund_recover", lambda w: [], "post", expect(403, office=404, admin=404)),
    ("awards:income_correct", lambda w: [w.income.pk], "get", expect(403, **READERS)),
    ("awards:income_correct", lambda w: [w.income.pk], "post",
     expect(403, office=400, admin=400)),
    ("awards:payout_decide", lambda w: [w.pending_payout.pk], "post",
     expect(403, director=400, admin=400)),
    # The plan as Word: whoever reads the plan (a draft is the Office's and readers').
    ("campaigns:plan_docx", lambda w: [w.launched.pk], "get", expect(200)),
    ("campaigns:plan_docx", lambda w: [w.draft.pk], "get",
     expect(404, director=200, office=200, admin=200)),
    # The department's own Word templates (issue 18): the administrator's, as the identity
    # (a post naming no kind of document: 404; removing or fetching a template never
    # uploaded: 404).
    ("awards:word_templates", lambda w: [], "get", expect(403, admin=200)),
    ("awards:word_templates", lambda w: [], "post", expect(403, admin=404)),
    ("awards:word_template_remove", lambda w: ["decision"], "post", expect(403, admin=404)),
    ("awards:word_template_file", lambda w: ["decision"], "get", expect(403, admin=404)),
    # The layouts of the pre-printed certificate blanks (issue 18): the administrator's, as the
    # Word templates; the certificates themselves go with the decision (test_certificates).
    ("awards:certificate_layouts", lambda w: [], "get", expect(403, admin=200)),
    ("awards:certificate_layout_create", lambda w: [], "get", expect(403, admin=200)),
    ("awards:certificate_layout_create", lambda w: [], "post", expect(403, admin=200)),
    ("awards:certificate_layout", lambda w: [w.certificate_layout.pk], "get",
     expect(403, admin=200)),
    ("awards:certificate_layout_calibration", lambda w: [w.certificate_layout.pk], "get",
     expect(403, admin=200)),
    ("awards:certificate_layout_remove", lambda w: [w.certificate_layout.pk], "post",
     expect(403, admin=302)),
]


class World:
    def __init__(self, cast):
        self.cast = cast
        self.launched = plan(units=[cast.unit_a, cast.unit_b])
        services.launch(campaign=self.launched, user=cast.office)
        self.draft = plan(units=[cast.unit_a])
        self.dissemination_a = self.launched.disseminations.get(unit=cast.unit_a)
        self.dissemination_b = self.launched.disseminations.get(unit=cast.unit_b)

    @cached_property
    def earlier_identity(self):
        from units.models import EarlierIdentity

        return EarlierIdentity.objects.create(
            until=datetime.date(1996, 12, 31), name="Sở Giáo dục và Đào tạo Sông Bé",
            short_name="Sở GD&ĐT Sông Bé", parent_agency="UBND TỈNH SÔNG BÉ", place="Sông Bé")

    @cached_property
    def certificate_layout(self):
        from awards.models import CertificateLayout

        return CertificateLayout.objects.create(name="Phôi Giấy khen",
                                                updated_by=self.cast.admin)

    @cached_property
    def income(self):
        return services_bonus.add_income(year=2022, received_on=datetime.date(2022, 2, 1),
                                         amount=1_000_000, source="Dự toán",
                                         user=self.cast.office)

    @cached_property
    def pending_payout(self):
        """A list beyond the (empty) 2022 fund, awaiting a director."""
        award = Award.objects.get(code="lao-dong-tien-tien")
        day = datetime.date(2022, 12, 30)
        decision = Decision.objects.create(award=award, year=2022, number="90/QĐ-T",
                                           signed_on=day, signer_name="Trần Văn Giám",
                                           signer_title="GIÁM ĐỐC", created_by=self.cast.office)
        Conferral.objects.create(award=award, year=2022, unit=self.cast.unit_a,
                                 staff=self.cast.staff.staff_member, decision=decision.number,
                                 decided_on=day, issued_by=decision)
        return services_bonus.record_payout(decision, year=2022, paid_on=day,
                                            override_reason="Chờ cấp", user=self.cast.office)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "args", "method", "expected"), MATRIX,
    ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)],
)
def test_role_gets_expected_status(cast, client_for, role, name, args, method, expected):
    world = World(cast)
    user = cast.users()[role]
    url = reverse(name, args=args(world))

    response = getattr(client_for(user), method)(url)

    assert response.status_code == expected[role], f"{role} {method.upper()} {url}"


def test_forbidden_pages_are_vietnamese(cast, client_for):
    world = World(cast)
    response = client_for(cast.head_a).get(reverse("campaigns:disseminations",
                                                   args=[world.launched.pk]))
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()


def test_unknown_objects_give_vietnamese_404(cast, client_for):
    response = client_for(cast.office).get(reverse("campaigns:detail", args=[999999]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_user_without_staff_record_sees_only_public_pages(cast, client_for):
    world = World(cast)
    StaffMember.objects.filter(user=cast.staff).update(user=None)
    client = client_for(cast.staff)

    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("campaigns:detail", args=[world.draft.pk])).status_code == 404
    assert client.get(reverse("units:detail", args=[cast.unit_a.pk])).status_code == 404
