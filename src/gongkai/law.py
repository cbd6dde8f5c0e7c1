"""The law's numbers and words, once, as data: read by deadlines, letters, fees and the report.

Every number or phrase a letter, a deadline or a report relies on is quoted here from the text
it comes from, so that a change in the law is a change in this module alone. Plain data: no
Django, no I/O.

Statutes:

- 《中华人民共和国政府信息公开条例》（国务院令第711号，2019年5月15日施行）: ``REGULATION``.
- 《中华人民共和国行政复议法》（2023年9月1日修订，2024年1月1日施行）: ``REVIEW_LAW``.
- 《中华人民共和国行政诉讼法》（2017年修正）: ``LITIGATION_LAW``.
- 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）: ``FEE_MEASURES``.

Sections: statutes and articles; 第三十六条's answers; remedies (救济途径); fees; periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "ANSWERS",
    "ARTICLES",
    "FEE_BASIS",
    "FEE_MEASURES",
    "LITIGATION_LAW",
    "REGULATION",
    "REMEDIES",
    "REVIEW_FIRST",
    "REVIEW_LAW",
    "USUAL_BASES",
    "Answer",
    "Article",
    "Basis",
    "Remedy",
    "Statute",
    "article",
    "is_withholding",
    "remedy_for",
    "review_body_for",
    "usual_basis",
]


# --- Statutes and articles -------------------------------------------------------------------


@dataclass(frozen=True)
class Statute:
    key: str
    title: str  # with book-title marks, as cited in a letter
    version: str
    in_force: date


REGULATION = Statute("regulation", "《中华人民共和国政府信息公开条例》", "国务院令第711号", date(2019, 5, 15))
REVIEW_LAW = Statute("review", "《中华人民共和国行政复议法》", "2023年修订", date(2024, 1, 1))
LITIGATION_LAW = Statute("litigation", "《中华人民共和国行政诉讼法》", "2017年修正", date(2017, 7, 1))
FEE_MEASURES = Statute("fees", "《政府信息公开信息处理费管理办法》", "国办函〔2020〕109号", date(2021, 1, 1))
STATUTES = {s.key: s for s in (REGULATION, REVIEW_LAW, LITIGATION_LAW, FEE_MEASURES)}


@dataclass(frozen=True)
class Article:
    statute: Statute
    number: str  # 第三十三条
    text: str  # the article's words, quoted

    def cite(self, item: str = "") -> str:
        """《…》第三十六条第（五）项 (``item`` = "（五）"), or the article alone."""
        return f"{self.statute.title}{self.number}" + (f"第{item}项" if item else "")


_REG = {
    "第二条": "本条例所称政府信息，是指行政机关在履行行政管理职能过程中制作或者获取的，以一定形式记录、保存的信息。",
    "第十四条": (
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、"
        "公共安全、经济安全、社会稳定的政府信息，不予公开。"
    ),
    "第十五条": (
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。但是，"
        "第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开。"
    ),
    "第十六条": (
        "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开。"
        "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息以及"
        "行政执法案卷信息，可以不予公开。法律、法规、规章规定上述信息应当公开的，从其规定。"
    ),
    "第二十条": "行政机关应当依照本条例第十九条的规定，主动公开本行政机关的下列政府信息：……",
    "第三十条": (
        "政府信息公开申请内容不明确的，行政机关应当给予指导和释明，并自收到申请之日起7个工作日内一次性"
        "告知申请人作出补正，说明需要补正的事项和合理的补正期限。答复期限自行政机关收到补正的申请之日起"
        "计算。申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理该政府信息公开申请。"
    ),
    "第三十一条": (
        "行政机关收到政府信息公开申请的时间，按照下列规定确定：（一）申请人当面提交政府信息公开申请的，"
        "以提交之日为收到申请之日；（二）申请人以邮寄方式提交政府信息公开申请的，以行政机关签收之日为"
        "收到申请之日；以平常信函等无需签收的邮寄方式提交政府信息公开申请的，政府信息公开工作机构应当于"
        "收到申请的当日与申请人确认，确认之日为收到申请之日；（三）申请人通过互联网渠道或者政府信息公开"
        "工作机构的传真提交政府信息公开申请的，以双方确认之日为收到申请之日。"
    ),
    "第三十二条": (
        "依申请公开的政府信息公开会损害第三方合法权益的，行政机关应当书面征求第三方的意见。第三方应当"
        "自收到征求意见书之日起15个工作日内提出意见。第三方逾期未提出意见的，由行政机关依照本条例的规定"
        "决定是否公开。第三方不同意公开且有合理理由的，行政机关不予公开。行政机关认为不公开可能对公共利益"
        "造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。"
    ),
    "第三十三条": (
        "行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。行政机关不能当场答复的，应当自"
        "收到申请之日起20个工作日内予以答复；需要延长答复期限的，应当经政府信息公开工作机构负责人同意并"
        "告知申请人，延长的期限最长不得超过20个工作日。行政机关征求第三方和其他机关意见所需时间不计算在"
        "前款规定的期限内。"
    ),
    "第三十六条": "对政府信息公开申请，行政机关根据下列情况分别作出答复：……",
    "第三十七条": (
        "申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理的，行政机关应当向"
        "申请人提供可以公开的政府信息内容，并对不予公开的内容说明理由。"
    ),
    "第三十八条": (
        "行政机关向申请人提供的信息，应当是已制作或者获取的政府信息。除依照本条例第三十七条的规定能够作"
        "区分处理的以外，需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供。"
    ),
    "第三十九条": (
        "申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，行政机关应当告知申请人不作为政府信息"
        "公开申请处理并可以告知通过相应渠道提出。申请人提出的申请内容为要求行政机关提供政府公报、报刊、"
        "书籍等公开出版物的，行政机关可以告知获取的途径。"
    ),
    "第四十二条": (
        "行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理"
        "范围的，行政机关可以收取信息处理费。"
    ),
    "第四十九条": (
        "县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本行政机关上一年度"
        "政府信息公开工作年度报告并向社会公布。县级以上地方人民政府的政府信息公开工作主管部门应当在每年"
        "3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告。"
    ),
}

_REVIEW = {
    "第二十条": (
        "公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内"
        "提出行政复议申请；但是法律规定的申请期限超过六十日的除外。"
    ),
    "第二十三条": (
        "有下列情形之一的，申请人应当先向行政复议机关申请行政复议，对行政复议决定不服的，可以再依法向人民"
        "法院提起行政诉讼：……（四）申请政府信息公开，行政机关不予公开；……对前款规定的情形，行政机关在"
        "作出行政行为时应当告知公民、法人或者其他组织先向行政复议机关申请行政复议。"
    ),
    "第二十四条": (
        "县级以上地方各级人民政府管辖下列行政复议案件：（一）对本级人民政府工作部门作出的行政行为不服的；"
        "（二）对下一级人民政府作出的行政行为不服的；……"
    ),
    "第二十七条": (
        "对海关、金融、外汇管理等实行垂直领导的行政机关、税务和国家安全机关的行政行为不服的，向上一级主管"
        "部门申请行政复议。"
    ),
}

_LITIGATION = {
    "第四十五条": (
        "公民、法人或者其他组织不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼。复议"
        "机关逾期不作决定的，申请人可以在复议期满之日起十五日内向人民法院提起诉讼。法律另有规定的除外。"
    ),
    "第四十六条": (
        "公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内"
        "提出。法律另有规定的除外。"
    ),
}

_FEES = {
    "第三条": (
        "信息处理费可以按件计收，也可以按量计收，均按照超额累进方式计算收费金额。行政机关对每件申请可以根据"
        "实际情况选择适用其中一种标准，但不得同时按照两种标准重复计算。"
    ),
    "第四条": (
        "按件计收适用于所有政府信息公开申请处理决定类型。……按件计收执行下列收费标准：（一）同一申请人一个自然月内"
        "累计申请10件以下（含10件）的，不收费。（二）同一申请人一个自然月内累计申请11—30件（含30件）的部分："
        "100元/件。（三）同一申请人一个自然月内累计申请31件以上的部分：以10件为一档，每增加一档，收费标准提高"
        "100元/件。"
    ),
    "第五条": (
        "按量计收适用于申请人要求以提供纸质件、发送电子邮件、复制电子数据等方式获取政府信息的情形。……"
        "（一）30页以下（含30页）的，不收费。（二）31—100页（含100页）的部分：10元/页。（三）101—200页"
        "（含200页）的部分：20元/页。（四）201页以上的部分：40元/页。"
    ),
    # The sentence on the fee notice, as the 办法 says it (restated word for word in provincial
    # implementing notices, e.g. 四川省财政厅、发展改革委, 2021).
    "第六条": (
        "……应当在政府信息公开申请处理期限内，按照申请人获取信息的途径向申请人发出收费通知，说明收费的依据、"
        "标准、数额、缴纳方式等。申请人应当在收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃"
        "申请，……"
    ),
}

_TEXTS = ((REGULATION, _REG), (REVIEW_LAW, _REVIEW), (LITIGATION_LAW, _LITIGATION), (FEE_MEASURES, _FEES))
ARTICLES: dict[tuple[str, str], Article] = {
    (statute.key, number): Article(statute, number, text) for statute, texts in _TEXTS for number, text in texts.items()
}


def article(number: str, statute: Statute = REGULATION) -> Article:
    """An article quoted here; an article nobody quoted is an error, not an empty string."""
    try:
        return ARTICLES[(statute.key, number)]
    except KeyError:
        raise KeyError(f"{statute.title}{number} is not quoted in gongkai.law") from None


# --- 第三十六条: the seven answers -----------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    item: str  # （一）…（七）
    text: str  # the item's words

    def cite(self) -> str:
        return article("第三十六条").cite(self.item)


ANSWERS = {
    a.item: a
    for a in (
        Answer("（一）", "所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径"),
        Answer(
            "（二）",
            "所申请公开信息可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间",
        ),
        Answer("（三）", "行政机关依据本条例的规定决定不予公开的，告知申请人不予公开并说明理由"),
        Answer("（四）", "经检索没有所申请公开信息的，告知申请人该政府信息不存在"),
        Answer(
            "（五）",
            "所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该政府信息的"
            "行政机关的，告知申请人该行政机关的名称、联系方式",
        ),
        Answer(
            "（六）",
            "行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，告知申请人"
            "不予重复处理",
        ),
        Answer(
            "（七）",
            "所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，告知"
            "申请人依照有关法律、行政法规的规定办理",
        ),
    )
}


# --- Remedies (救济途径) ----------------------------------------------------------------------

REVIEW_DAYS = 60  # 行政复议法第二十条: 六十日内
SUIT_MONTHS = 6  # 行政诉讼法第四十六条: 六个月内
SUIT_AFTER_REVIEW_DAYS = 15  # 行政诉讼法第四十五条: 收到复议决定书之日起十五日内
DEFAULT_REVIEW_BODY = "有管辖权的行政复议机关"
DEFAULT_COURT = "有管辖权的人民法院"
GOVERNMENT_SUFFIX = "人民政府"  # an agency whose name ends so is a people's government (第二十四条)

_FIRST = (
    f"应当先自收到本答复之日起{REVIEW_DAYS}日内向{{review_body}}申请行政复议；对行政复议决定不服的，可以自收到"
    f"行政复议决定书之日起{SUIT_AFTER_REVIEW_DAYS}日内向{{court}}提起行政诉讼"
)
_EITHER = (
    f"可以自收到本答复之日起{REVIEW_DAYS}日内向{{review_body}}申请行政复议，也可以自收到本答复之日起"
    f"{SUIT_MONTHS}个月内向{{court}}提起行政诉讼"
)
_FIRST_BASIS = f"{REVIEW_LAW.title}第二十三条第一款第（四）项和第二款、{LITIGATION_LAW.title}第四十五条"


@dataclass(frozen=True)
class Remedy:
    """The remedies paragraph for one kind of decision; ``{review_body}``/``{court}`` are filled in."""

    key: str
    review_first: bool  # 复议前置 (行政复议法第二十三条)
    text: str

    def render(self, review_body: str = "", court: str = "") -> str:
        return self.text.format(review_body=review_body or DEFAULT_REVIEW_BODY, court=court or DEFAULT_COURT)


# 不予公开: 复议前置, and the agency must say so when it decides (第二十三条第二款).
REVIEW_FIRST = Remedy("review_first", True, f"根据{_FIRST_BASIS}的规定，如对本答复不服，{_FIRST}。")
# 部分公开: the withheld part is a 不予公开 decision, the rest is not.
PARTLY_FIRST = Remedy(
    "partly_first",
    True,
    f"根据{_FIRST_BASIS}的规定，如对本答复中不予公开的部分不服，{_FIRST}。如对本答复的其他内容不服，{_EITHER}。",
)
REVIEW_OR_SUIT = Remedy("review_or_suit", False, f"如对本答复不服，{_EITHER}。")
REMEDIES = {r.key: r for r in (REVIEW_FIRST, PARTLY_FIRST, REVIEW_OR_SUIT)}


def is_withholding(outcome_key: str) -> bool:
    """A 不予公开 decision: the ``denied.*`` rows except ``denied.inquiry`` (a 第三十六条（七） answer)."""
    return outcome_key.split(".")[0] == "denied" and outcome_key != "denied.inquiry"


def remedy_for(outcome_key: str, on: date | None = None) -> Remedy:
    """The remedies for an outcome of table 三, in a letter dated ``on``.

    From 2024-01-01 (行政复议法 2023) every 不予公开 decision goes to 行政复议 first, and so does
    the withheld part of ``partial`` (第三十七条); before that the applicant could choose.
    """
    if on is not None and on < REVIEW_LAW.in_force:
        return REVIEW_OR_SUIT
    if outcome_key == "partial":
        return PARTLY_FIRST
    return REVIEW_FIRST if is_withholding(outcome_key) else REVIEW_OR_SUIT


def review_body_for(lineage: list[str]) -> str:
    """The 行政复议机关 implied by an agency's place in the hierarchy, or "" if none can be told.

    ``lineage``: the agency's name and its ancestors' names, nearest first. 第二十四条: a
    department of a local government → the people's government at the same level (its nearest
    ancestor that is a government); a local government → the government one level up. Agencies
    under vertical management (海关、金融、外汇管理、税务、国家安全: 第二十七条) go to the
    authority one level up instead: the office records that on the agency, this cannot know it.
    """
    if not lineage:
        return ""
    for name in lineage[1:]:
        if name.endswith(GOVERNMENT_SUFFIX):
            return name
    return ""


# --- Bases the 条例 gives no article for (table 三 rows without ``Row.basis``) --------------


@dataclass(frozen=True)
class Basis:
    """A usual basis for an outcome the 条例 has no article for; ``citation`` is "" when none applies."""

    key: str
    label: str  # what the clerk picks from
    citation: str  # articles of the 条例, as cited after its title
    reason: str  # what the letter tells the applicant


USUAL_BASES: dict[str, tuple[Basis, ...]] = {
    "refused.confirmation": (
        Basis(
            "confirmation",
            "要求确认：第二条、第三十八条",
            "第二条、第三十八条",
            "您要求本机关对有关信息作出确认。政府信息公开是提供行政机关已制作或者获取的政府信息，"
            "对信息作出确认不属于政府信息公开申请的处理事项",
        ),
        Basis(
            "reissue",
            "要求重新出具：参照第三十六条第（六）项",
            "第三十六条第（六）项（参照适用）",
            "您申请获取的信息本机关此前已向您提供，要求重新出具的，本机关不予重复处理",
        ),
    ),
    "other.other": (Basis("withdrawn", "申请人撤回申请", "", "您已撤回该政府信息公开申请，本机关终止处理"),),
    "other": (Basis("withdrawn", "申请人撤回申请", "", "您已撤回该政府信息公开申请，本机关终止处理"),),
}


def usual_basis(outcome_key: str, key: str) -> Basis | None:
    return next((b for b in USUAL_BASES.get(outcome_key, ()) if b.key == key), None)


# --- Fees (国办函〔2020〕109号) --------------------------------------------------------------

FEE_PAYMENT_DAYS = 20  # 办法第六条: 收到收费通知次日起20个工作日内
FEE_BASIS = f"{REGULATION.title}第四十二条、{FEE_MEASURES.title}（{FEE_MEASURES.version}）"
FEE_NOTICE_STATES = ("依据", "标准", "数额", "缴纳方式")  # 办法第六条: what the notice must state
FEE_WINDOW = (
    "请于收到本通知次日起{days}个工作日内缴纳上述费用{until}。逾期未缴纳的，视为放弃申请，本机关不再处理"
    "该政府信息公开申请。"
)


# --- Periods (working days unless stated) — the clocks read these ---------------------------

REPLY_DAYS = 20  # 条例第三十三条第二款 (第一款: 能够当场答复的，当场答复)
MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 条例第三十条
CONSULTATION_DAYS = 15  # 条例第三十二条（第三方）
REPORT_DEPARTMENT_DUE = (1, 31)  # 条例第四十九条: 部门 1月31日前
REPORT_GOVERNMENT_DUE = (3, 31)  # 条例第四十九条: 主管部门 3月31日前
AGENCY_CONSULTATION_DAYS = 15  # 条例第三十四条（其他机关）


# --- Clocks: receipt by channel, consultations, statutory holidays (read by deadlines, workdays) -----


@dataclass(frozen=True)
class ReceiptRule:
    """条例第三十一条: how the day of receipt is fixed for one channel (``deadlines.Channel`` value).

    ``confirmation``: the day of receipt is the day of a confirmation with the applicant; until
    then the application is 待确认 and no clock runs.
    """

    channel: str
    label: str  # the channel as people name it
    rule: str  # the day of receipt, in the article's words
    item: str  # 第三十一条's item
    confirmation: bool


RECEIPT_RULES = {
    r.channel: r
    for r in (
        ReceiptRule("in_person", "当面", "以提交之日为收到申请之日", "（一）", False),
        ReceiptRule("post", "邮寄", "以行政机关签收之日为收到申请之日", "（二）", False),
        ReceiptRule("letter", "平常信函", "以与申请人确认之日为收到申请之日", "（二）", True),
        ReceiptRule("online", "互联网", "以双方确认之日为收到申请之日", "（三）", True),
        ReceiptRule("fax", "传真", "以双方确认之日为收到申请之日", "（三）", True),
    )
}

# 第三十三条第三款 excludes the time consultations need; the consulted party has 15 working days
# (第三十二条、第三十四条). The clocks stop the office's period at most until the consulted party's own
# due date (the day the consultation began and that due date both included, like every pause);
# time after it counts again, whether or not the opinion has come back (``gongkai.deadlines.count``).

HOLIDAY_MEASURES = Statute(
    "holidays", "《全国年节及纪念日放假办法》", "2024年11月10日国务院令第795号第四次修订", date(2025, 1, 1)
)


@dataclass(frozen=True)
class FixedHoliday:
    """One holiday of 《全国年节及纪念日放假办法》第二条 (全体公民放假的节日).

    ``kind``: ``solar`` (``month``/``day`` of the Gregorian calendar), ``lunar`` (of the Chinese
    calendar; ``day = 0`` means the last day of the lunar year before ``month`` 1, i.e. 除夕),
    ``term`` (the solar term 清明).
    """

    name: str
    kind: str
    month: int
    day: int
    days: int
    text: str  # the item's words


STATUTORY_HOLIDAYS = (
    FixedHoliday("元旦", "solar", 1, 1, 1, "元旦，放假1天（1月1日）"),
    FixedHoliday("春节", "lunar", 1, 0, 4, "春节，放假4天（农历除夕、正月初一至初三）"),
    FixedHoliday("清明节", "term", 4, 0, 1, "清明节，放假1天（农历清明当日）"),
    FixedHoliday("劳动节", "solar", 5, 1, 2, "劳动节，放假2天（5月1日、2日）"),
    FixedHoliday("端午节", "lunar", 5, 5, 1, "端午节，放假1天（农历端午当日）"),
    FixedHoliday("中秋节", "lunar", 8, 15, 1, "中秋节，放假1天（农历中秋当日）"),
    FixedHoliday("国庆节", "solar", 10, 1, 3, "国庆节，放假3天（10月1日至3日）"),
)
# 第六条: 全体公民放假的假日，如果适逢周六、周日，应当在工作日补假。
WEEKEND_MAKEUP = "全体公民放假的假日，如果适逢周六、周日，应当在工作日补假"
