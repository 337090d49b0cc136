"""Demo bonus money: the 2022 reward fund's income (the second entry's date corrected, so the
ledger shows a corrected line with its earlier figure) and the payout list of every 2022 decision,
so the "Bonus money" and "Reward fund" pages show real figures (the amounts are computed from
the law's figures, as for any decision). Nothing when the fund of 2022 already has income."""

import datetime
import zoneinfo

from core.audit.trail import dated

from . import services_bonus
from .models import Decision
from .models_bonus import FundIncome, IncomeCorrection
from .services import WorkflowError

YEAR = 2022
# Invented: the allocations of the 2022 budget to the fund (the sources name no real document).
INCOME = [
    (datetime.date(2022, 2, 15), 12_000_000,
     "Dự toán ngân sách năm 2022 trích lập quỹ thi đua, khen thưởng (đợt 1)"),
    (datetime.date(2022, 7, 15), 8_000_000,
     "Dự toán ngân sách năm 2022 trích lập quỹ thi đua, khen thưởng (đợt 2)"),
]
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def load_bonus(*, office_user) -> dict:
    if FundIncome.objects.filter(year=YEAR).exists():
        return {"income": 0, "payouts": 0}
    for day, amount, source in INCOME:
        with dated(datetime.datetime.combine(day, datetime.time(9), TZ)):
            services_bonus.add_income(year=YEAR, received_on=day, amount=amount, source=source,
                                      user=office_user)
    # The second allocation was entered with the date it was announced; the accountant
    # corrects it to the date on the transfer, so the ledger shows a corrected entry.
    second = FundIncome.objects.get(year=YEAR, received_on=INCOME[1][0])
    corrected_at = datetime.datetime(2022, 7, 20, 10, tzinfo=TZ)
    with dated(corrected_at):
        services_bonus.correct_income(
            second, version=second.version, received_on=datetime.date(2022, 7, 18),
            amount=second.amount, source=second.source,
            reason="Ngày trên giấy báo có của Kho bạc là 18/07/2022", user=office_user)
    # The history row carries the day of the replay, as the trail's line does.
    IncomeCorrection.objects.filter(income=second).update(corrected_at=corrected_at)
    paid = 0
    for decision in Decision.objects.filter(year=YEAR, revoked_at__isnull=True,
                                            payout__isnull=True).order_by("signed_on", "pk"):
        with dated(datetime.datetime.combine(decision.signed_on, datetime.time(14), TZ)):
            try:
                services_bonus.record_payout(decision, year=YEAR, paid_on=decision.signed_on,
                                             override_reason="", user=office_user)
            except WorkflowError:
                continue  # no money for this award, or beyond the fund: left for the Office
        paid += 1
    return {"income": len(INCOME), "payouts": paid}
