"""Demo data: one county (某某县人民政府) with three departments, their people and a year of work.

Everything is written through the services, exactly as the office would: applications are
registered, corrected, consulted, extended (by the head) and replied to; table 二 figures and
two appeals are entered; the annual reports are built and one is submitted. Loading twice
changes nothing but the demo passwords (reset so the printed logins always work).
"""

from __future__ import annotations

import random
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.errors import GongkaiError
from gongkai.office.agencies.models import Agency, Membership, Role
from gongkai.office.annual import services as annual
from gongkai.office.annual.sections import version_numbers
from gongkai.office.appeals import services as appeals
from gongkai.office.applications import services as apps
from gongkai.office.applications.models import Application
from gongkai.office.proactive import services as proactive
from gongkai.workdays import default_calendar

COUNTY = "某某县人民政府"
DEPARTMENTS = (
    ("jt", "某某县交通运输局"),
    ("zr", "某某县自然资源局"),
    ("sc", "某某县市场监督管理局"),
)
PASSWORD = "demo-2025"
PER_DEPARTMENT = 50  # applications of the report year per department
OPEN_NOW = 5  # applications still open this year per department

OUTCOME_WEIGHTS = {
    "granted": 46,
    "partial": 12,
    "denied.third_party": 4,
    "denied.process_info": 3,
    "denied.state_secret": 1,
    "unable.not_held": 14,
    "unable.needs_creation": 3,
    "refused.petition": 5,
    "refused.duplicate": 3,
    "other.other": 2,
}
APPLICANT_WEIGHTS = {"natural": 70, "business": 14, "research": 2, "nonprofit": 2, "legal_service": 6, "org_other": 6}
CHANNEL_WEIGHTS = {"online": 55, "post": 20, "in_person": 15, "letter": 5, "fax": 1, "other": 4}
SUBJECTS = (
    "某路段道路改扩建工程的立项批复文件",
    "本人房屋所在地块的征收补偿方案",
    "某企业的营业执照登记信息",
    "2024年度行政处罚案件统计数据",
    "某小区周边规划许可证及附图",
    "农村公路养护资金使用情况",
    "某食品经营者的监督抽检结果",
    "集体土地征收的批准文件",
    "客运班线经营许可的审批材料",
    "本单位的政府信息公开指南",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    agency: str


def logins() -> list[Login]:
    out = [Login("county", Role.SUPERVISOR.label, COUNTY)]
    for code, name in DEPARTMENTS:
        out += [Login(f"{code}_staff", Role.STAFF.label, name), Login(f"{code}_head", Role.HEAD.label, name)]
    return out


def _user(username: str, agency: Agency, role: Role, full_name: str):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"first_name": full_name})
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.get_or_create(user=user, agency=agency, role=role)
    return user


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load(year: int | None = None, *, today: date | None = None) -> dict:
    """Load the demo (idempotent). ``year``: the report year (default: last year)."""
    today = today or timezone.localdate()
    year = year or today.year - 1
    with transaction.atomic():
        county, _ = Agency.objects.get_or_create(name=COUNTY)
        _user("county", county, Role.SUPERVISOR, "县政府办公室（监督）")
        created = 0
        for n, (code, name) in enumerate(DEPARTMENTS):
            agency, _ = Agency.objects.get_or_create(name=name, defaults={"parent": county})
            staff = _user(f"{code}_staff", agency, Role.STAFF, f"{name[3:]}工作人员")
            head = _user(f"{code}_head", agency, Role.HEAD, f"{name[3:]}办公室负责人")
            if Application.objects.filter(agency=agency).exists():
                continue
            rng = random.Random(f"gongkai-demo-{code}")
            created += _year_of_work(rng, agency, code, staff, head, year, today)
            created += _open_now(rng, agency, code, staff, today)
            _register_figures(rng, agency, staff, year)
            _appeals(agency, staff, year, with_suit=n == 0)
            _reports(agency, staff, year, submit=n == 0)
    return {"created": created, "year": year}


def _year_of_work(rng, agency, code, staff, head, year, today) -> int:
    cal = default_calendar()
    days = sorted(rng.sample(range(2, 352), PER_DEPARTMENT))
    for i, offset in enumerate(days, 1):
        received = date.fromordinal(date(year, 1, 1).toordinal() + offset)
        app = _register(rng, agency, f"{code.upper()}-{year}-{i:03d}", received, staff)
        step = 0
        at = _days_after(cal, received)
        roll = rng.random()
        if roll < 0.12:
            _event(staff, app, "correction_requested", at(3), days=15)
            _event(staff, app, "correction_received", at(8))
            step = 8
        elif roll < 0.20:
            _event(staff, app, "consultation_started", at(5), party="third_party")
            _event(staff, app, "consultation_ended", at(14))
            step = 14
        elif roll < 0.25:
            _event(head, app, "extension_approved", at(17), days=20, note="需调取历年档案，无法按期答复")
            step = 17
        reply_on = at(step + rng.randint(3, 15))
        if reply_on > today:
            continue
        apps.reply(staff, apps.ReplyInput(application=app, day=reply_on, outcome=_pick(rng, OUTCOME_WEIGHTS)))
    return len(days)


def _days_after(cal, day: date):
    return lambda n: cal.add_workdays(day, n)


def _workdays_before(cal, day: date, n: int) -> date:
    while n:
        day = date.fromordinal(day.toordinal() - 1)
        n -= cal.is_workday(day)
    return day


def _open_now(rng, agency, code, staff, today) -> int:
    cal = default_calendar()
    back = (26, 19, 17, 8, 2)
    for i, k in enumerate(back[:OPEN_NOW], 1):
        received = _workdays_before(cal, today, k)
        app = _register(rng, agency, f"{code.upper()}-{today.year}-9{i:02d}", received, staff)
        if i == 4:
            _event(staff, app, "correction_requested", cal.add_workdays(received, 2), days=10)
    return OPEN_NOW


def _register(rng, agency, number, received, staff) -> Application:
    name = rng.choice(SURNAMES) + rng.choice(("某", "先生", "女士"))
    applicant_type = _pick(rng, APPLICANT_WEIGHTS)
    if applicant_type != "natural":
        name = rng.choice(("某某科技有限公司", "某某律师事务所", "某某研究院", "某某公益协会", "某某物业公司"))
    return apps.register_application(
        staff,
        apps.RegisterInput(
            agency=agency,
            number=number,
            applicant_type=applicant_type,
            received_on=received,
            channel=_pick(rng, CHANNEL_WEIGHTS),
            applicant_name=name,
            content=f"申请公开{rng.choice(SUBJECTS)}。",
        ),
    )


def _event(actor, app, kind, day, **kw) -> None:
    apps.record_event(actor, apps.EventInput(application=app, kind=kind, day=day, **kw))


def _register_figures(rng, agency, staff, year) -> None:
    for kind, made in (("rules", 0), ("normative", rng.randint(2, 8))):
        in_force = made + rng.randint(5, 30)
        proactive.set_document_figures(
            staff,
            proactive.DocumentFiguresInput(
                agency=agency, year=year, kind=kind, made=made, repealed=rng.randint(0, 2), in_force=in_force
            ),
        )
    proactive.set_article20_figures(
        staff,
        proactive.Article20Input(
            agency=agency,
            year=year,
            licensing=rng.randint(100, 2000),
            penalty=rng.randint(10, 300),
            coercion=rng.randint(0, 20),
            fees_wan=Decimal(rng.randint(0, 500)) / 10,
        ),
    )


def _appeals(agency, staff, year, *, with_suit: bool) -> None:
    denied = Application.objects.filter(agency=agency, outcome__startswith="denied").order_by("replied_on").first()
    target = denied or Application.objects.filter(agency=agency, replied_on__isnull=False).first()
    if target is None:
        return
    cal = default_calendar()
    review = appeals.file_appeal(
        staff,
        appeals.AppealInput(
            agency=agency,
            kind="review",
            filed_on=cal.add_workdays(target.replied_on, 10),
            application=target,
            case_number=f"某县复〔{year}〕{target.pk}号",
        ),
    )
    decided = cal.add_workdays(review.filed_on, 40)
    if decided.year == year:
        appeals.decide_appeal(staff, appeals.DecisionInput(appeal=review, result="upheld", decided_on=decided))
    if with_suit:
        appeals.file_appeal(
            staff,
            appeals.AppealInput(
                agency=agency,
                kind="suit_direct",
                filed_on=date(year, 11, 20),
                case_number=f"（{year}）某0101行初{target.pk}号",
            ),
        )


DEMO_S5 = "本年度政府信息公开工作总体平稳，但依申请公开答复的规范性仍需提高。下一步将加强业务培训，完善答复文书模板。"


def _reports(agency, staff, year, *, submit: bool) -> None:
    report, _ = annual.build_annual_report(staff, annual.BuildInput(agency=agency, year=year))
    if submit:
        with suppress(GongkaiError):  # a demo report with errors stays a draft
            # section 五 is the office's own text (the build leaves a placeholder), as a clerk writes it
            report = annual.save_sections(
                staff, annual.SectionsInput(report=report, sections={"s5": DEMO_S5}, versions=version_numbers(report))
            )
            annual.submit_report(staff, annual.SubmitInput(report=report, confirmed=True))
