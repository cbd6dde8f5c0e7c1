"""The official formats, described once: gb2021, gb2019 and legacy.

Source: 国办公开办函〔2021〕30号, 国办公开办函〔2019〕60号 and the 2008–2018
政府信息公开工作情况统计表, as restated cell by cell in ``shared/spec/report-cells.md``.
Parsers, checks, renderers and the database all read these objects.
"""

from __future__ import annotations

from .model import Alt, Block, Column, Format, Row, Sum, Table

# ---------------------------------------------------------------- table 二, gb2021

_T2_2021 = Table(
    key="t2",
    title="二、主动公开政府信息情况",
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    blocks=(
        Block(
            title="第二十条第（一）项",
            columns=(
                Column("made", "本年制发件数"),
                Column("repealed", "本年废止件数"),
                Column("in_force", "现行有效件数"),
            ),
            rows=(
                Row("rules", "规章"),
                Row("normative", "行政规范性文件", aliases=("规范性文件",)),
            ),
        ),
        Block(
            title="第二十条第（五）项",
            columns=(Column("decisions", "本年处理决定数量"),),
            rows=(Row("licensing", "行政许可"),),
        ),
        Block(
            title="第二十条第（六）项",
            columns=(Column("decisions", "本年处理决定数量"),),
            rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        ),
        Block(
            title="第二十条第（八）项",
            columns=(Column("amount_wan", "本年收费金额（单位：万元）"),),
            rows=(Row("fees", "行政事业性收费"),),
        ),
    ),
)

# ---------------------------------------------------------------- table 二, gb2019

_PREV = (
    Column("prev_count", "上一年项目数量"),
    Column("change", "本年增/减"),
    Column("decisions", "处理决定数量"),
)

_T2_2019 = Table(
    key="t2",
    title="二、主动公开政府信息情况",
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量"),
    blocks=(
        Block(
            title="第二十条第（一）项",
            columns=(
                Column("new_made", "本年新制作数量"),
                Column("new_published", "本年新公开数量"),
                Column("total_published", "对外公开总数量"),
            ),
            rows=(
                Row("rules", "规章"),
                Row("normative", "规范性文件", aliases=("行政规范性文件",)),
                Row("other_docs", "其他主动公开文件", optional=True),
            ),
        ),
        Block(
            title="第二十条第（五）项",
            columns=_PREV,
            rows=(
                Row("licensing", "行政许可", negative_ok=("change",)),
                Row("other_services", "其他对外管理服务事项", negative_ok=("change",)),
            ),
        ),
        Block(
            title="第二十条第（六）项",
            columns=_PREV,
            rows=(
                Row("penalty", "行政处罚", negative_ok=("change",)),
                Row("coercion", "行政强制", negative_ok=("change",)),
            ),
        ),
        Block(
            title="第二十条第（八）项",
            columns=_PREV[:2],
            rows=(Row("fees", "行政事业性收费", negative_ok=("change",)),),
        ),
        Block(
            title="第二十条第（九）项",
            columns=(
                Column("projects", "采购项目数量"),
                Column("amount_wan", "采购总金额"),
            ),
            rows=(Row("procurement", "政府集中采购"),),
        ),
    ),
)

# ---------------------------------------------------------------- table 三

_T3_COLUMNS = (
    Column("natural", "自然人"),
    Column("business", "商业企业", group="法人或其他组织"),
    Column("research", "科研机构", group="法人或其他组织"),
    Column("nonprofit", "社会公益组织", group="法人或其他组织"),
    Column("legal_service", "法律服务机构", group="法人或其他组织"),
    Column("org_other", "其他", group="法人或其他组织"),
    Column("total", "总计"),
)

_RESULT = "三、本年度办理结果"
_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REFUSED = "（五）不予处理"
_OTHER = "（六）其他处理"

_T3_HEAD = (
    Row("new", "一、本年新收政府信息公开申请数量", aliases=("本年新收申请数量",)),
    Row("carried_in", "二、上年结转政府信息公开申请数量", aliases=("上年结转申请数量",)),
    Row("granted", "（一）予以公开", group=_RESULT, basis="第三十六条第（一）项、第（二）项"),
    Row(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        group=_RESULT,
        aliases=("部分公开",),
        basis="第三十七条",
    ),
    Row("denied.state_secret", "1.属于国家秘密", group=_DENIED, aliases=("国家秘密",), basis="第十四条"),
    Row(
        "denied.law_prohibited",
        "2.其他法律行政法规禁止公开",
        group=_DENIED,
        aliases=("其他法律法规禁止公开", "法律行政法规禁止公开", "其他法律行政法规禁止"),
        basis="第十四条",
    ),
    Row(
        "denied.three_security",
        "3.危及“三安全一稳定”",
        group=_DENIED,
        aliases=("危及三安全一稳定",),
        basis="第十四条",
    ),
    Row("denied.third_party", "4.保护第三方合法权益", group=_DENIED, basis="第十五条"),
    Row("denied.internal_affairs", "5.属于三类内部事务信息", group=_DENIED, basis="第十六条第一款"),
    Row("denied.process_info", "6.属于四类过程性信息", group=_DENIED, basis="第十六条第二款"),
    Row("denied.enforcement_file", "7.属于行政执法案卷", group=_DENIED, basis="第十六条第二款"),
    Row("denied.inquiry", "8.属于行政查询事项", group=_DENIED, basis="第三十六条第（七）项"),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", group=_UNABLE, basis="第三十六条第（四）项、第（五）项"),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作", group=_UNABLE, basis="第三十八条"),
    Row("unable.still_unclear", "3.补正后申请内容仍不明确", group=_UNABLE, basis="第三十条"),
    Row("refused.petition", "1.信访举报投诉类申请", group=_REFUSED, basis="第三十九条第一款"),
    Row("refused.duplicate", "2.重复申请", group=_REFUSED, basis="第三十六条第（六）项"),
    Row("refused.publication", "3.要求提供公开出版物", group=_REFUSED, basis="第三十九条第二款"),
    Row("refused.excessive", "4.无正当理由大量反复申请", group=_REFUSED, basis="第三十五条"),
    Row(
        "refused.confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        group=_REFUSED,
        aliases=("要求行政机关确认或重新出具已获取的信息",),
    ),
)
_T3_TAIL = (
    Row("total", "（七）总计", group=_RESULT),
    Row("carried_out", "四、结转下年度继续办理", aliases=("结转下年度继续办理数量",)),
)

_T3_TITLE = "三、收到和处理政府信息公开申请情况"
_T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

_T3_2019 = Table(
    key="t3",
    title=_T3_TITLE,
    blocks=(
        Block(
            title="",
            label_header=_T3_NOTE,
            columns_header="申请人情况",
            columns=_T3_COLUMNS,
            rows=_T3_HEAD + (Row("other", "（六）其他处理", group=_RESULT),) + _T3_TAIL,
        ),
    ),
)

_OTHER_SPLIT = ("other.no_correction", "other.unpaid_fee", "other.other")

_T3_2021 = Table(
    key="t3",
    title=_T3_TITLE,
    markers=("逾期不补正", "逾期未按收费通知"),
    blocks=(
        Block(
            title="",
            label_header=_T3_NOTE,
            columns_header="申请人情况",
            columns=_T3_COLUMNS,
            rows=_T3_HEAD
            + (
                # Some 2021+ reports print only the 其他处理 subtotal: kept, never split by guess.
                Row("other", "（六）其他处理", group=_RESULT, optional=True),
                Row(
                    "other.no_correction",
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    group=_OTHER,
                    aliases=("申请人无正当理由逾期不补正", "逾期不补正"),
                    basis="第三十条",
                ),
                Row(
                    "other.unpaid_fee",
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                    group=_OTHER,
                    aliases=("申请人逾期未按收费通知要求缴纳费用", "逾期未缴纳费用"),
                    basis="第四十二条",
                ),
                Row("other.other", "3.其他", group=_OTHER),
            )
            + _T3_TAIL,
        ),
    ),
)

# ---------------------------------------------------------------- table 四

_T4_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)

_T4 = Table(
    key="t4",
    title="四、政府信息公开行政复议、行政诉讼情况",
    flat=True,
    blocks=(
        Block(
            title="",
            label_header="",
            columns=_T4_COLUMNS,
            rows=(
                Row("review", "行政复议"),
                Row("suit_direct", "未经复议直接起诉", group="行政诉讼"),
                Row("suit_after_review", "复议后起诉", group="行政诉讼"),
            ),
        ),
    ),
)

# ---------------------------------------------------------------- legacy

_V = (Column("", "统计数"),)


def _legacy(*rows: tuple[str, str] | tuple[str, str, tuple[str, ...]], title: str) -> Block:
    return Block(
        title=title,
        label_header="统计指标",
        columns=_V,
        rows=tuple(Row(r[0], r[1], aliases=r[2] if len(r) > 2 else ()) for r in rows),
    )


_LEGACY = Table(
    key="legacy",
    title="政府信息公开工作情况统计表",
    one_header=True,
    markers=("统计指标", "主动公开政府信息数", "收到申请数", "申请办结数"),
    blocks=(
        _legacy(
            ("active.total", "（一）主动公开政府信息数"),
            ("active.normative", "其中：主动公开规范性文件数"),
            ("active.normative_issued", "制发规范性文件总数"),
            ("channel.gazette", "1.政府公报公开政府信息数"),
            ("channel.website", "2.政府网站公开政府信息数"),
            ("channel.weibo", "3.政务微博公开政府信息数"),
            ("channel.wechat", "4.政务微信公开政府信息数"),
            ("channel.other", "5.其他方式公开政府信息数"),
            title="一、主动公开情况",
        ),
        _legacy(
            ("response.hotspots", "（一）回应公众关注热点或重大舆情数"),
            ("response.press_conferences", "1.参加或举办新闻发布会总次数"),
            ("response.press_conferences_by_head", "其中：主要负责同志参加新闻发布会次数"),
            ("response.online_interviews", "2.政府网站在线访谈次数"),
            ("response.online_interviews_by_head", "其中：主要负责同志参加政府网站在线访谈次数"),
            ("response.interpretations", "3.政策解读稿件发布数"),
            ("response.social_media", "4.微博微信回应事件数"),
            ("response.other", "5.其他方式回应事件数"),
            title="二、回应解读情况",
        ),
        _legacy(
            ("apply.received", "（一）收到申请数"),
            ("apply.received_in_person", "1.当面申请数"),
            ("apply.received_fax", "2.传真申请数"),
            ("apply.received_online", "3.网络申请数"),
            ("apply.received_letter", "4.信函申请数"),
            ("apply.closed", "（二）申请办结数"),
            ("apply.closed_on_time", "1.按时办结数"),
            ("apply.closed_extended", "2.延期办结数"),
            ("apply.answered", "（三）申请答复数"),
            ("apply.already_public", "1.属于已主动公开范围数"),
            ("apply.granted", "2.同意公开答复数"),
            ("apply.partial", "3.同意部分公开答复数"),
            ("apply.denied", "4.不同意公开答复数"),
            ("apply.denied_state_secret", "其中：涉及国家秘密"),
            ("apply.denied_trade_secret", "涉及商业秘密"),
            ("apply.denied_privacy", "涉及个人隐私"),
            (
                "apply.denied_security",
                "危及国家安全、公共安全、经济安全和社会稳定",
                ("危及三安全一稳定",),
            ),
            ("apply.denied_not_gov_info", "不是《条例》所指政府信息"),
            ("apply.denied_other_law", "法律法规规定的其他情形"),
            ("apply.not_this_agency", "5.不属于本行政机关公开数"),
            ("apply.not_exist", "6.申请信息不存在数"),
            ("apply.asked_to_amend", "7.告知作出更改补充数"),
            ("apply.other_channel", "8.告知通过其他途径办理数"),
            title="三、依申请公开情况",
        ),
        _legacy(
            ("review.total", "四、行政复议数量"),
            ("review.upheld", "（一）维持具体行政行为数"),
            ("review.corrected", "（二）被依法纠错数"),
            ("review.other", "（三）其他情形数"),
            ("suit.total", "五、行政诉讼数量"),
            (
                "suit.upheld",
                "（一）维持具体行政行为或者驳回原告诉讼请求数",
                ("维持具体行政行为或驳回原告诉讼请求数",),
            ),
            ("suit.corrected", "（二）被依法纠错数"),
            ("suit.other", "（三）其他情形数"),
            ("complaints", "六、举报投诉数量"),
            ("fees_wan", "七、依申请公开信息收取的费用（万元）"),
            title="",
        ),
        _legacy(
            ("org.units", "（一）政府信息公开工作专门机构数"),
            ("org.reading_points", "（二）设置政府信息公开查阅点数"),
            ("org.staff", "（三）从事政府信息公开工作人员数"),
            ("org.staff_full_time", "1.专职人员数"),
            ("org.staff_part_time", "2.兼职人员数"),
            ("org.budget_wan", "（四）政府信息公开专项经费（万元）"),
            title="八、机构建设和保障经费情况",
        ),
        _legacy(
            ("training.meetings", "（一）召开政府信息公开工作会议或专题会议数"),
            ("training.courses", "（二）举办各类培训班数"),
            ("training.trainees", "（三）接受培训人员数"),
            title="九、政府信息公开会议和培训情况",
        ),
    ),
)

# ---------------------------------------------------------------- rules


def _t3_rules(other_terms: tuple[object, ...]) -> tuple[Sum, ...]:
    cols = [c.key for c in _T3_COLUMNS]
    outcome_rows = [r.key for r in _T3_HEAD[2:]]
    rules: list[Sum] = []
    for col in cols:
        rules.append(
            Sum(
                "t3-balance",
                (f"t3.new.{col}", f"t3.carried_in.{col}"),
                (f"t3.total.{col}", f"t3.carried_out.{col}"),
                "本列第一项加第二项之和应等于第三项加第四项之和",
            )
        )
    for col in cols:
        terms = tuple(f"t3.{r}.{col}" for r in outcome_rows) + tuple(
            t.format(col=col)
            if isinstance(t, str)
            else Alt(tuple(p.format(col=col) for p in t.parts), t.fallback.format(col=col))
            for t in other_terms
        )
        rules.append(Sum("t3-row-sum", (f"t3.total.{col}",), terms, "（七）总计应等于各项办理结果之和"))
    rows = ["new", "carried_in"] + outcome_rows + ["total", "carried_out"]
    for row in rows:
        rules.append(
            Sum(
                "t3-col-sum",
                (f"t3.{row}.total",),
                tuple(f"t3.{row}.{c}" for c in cols[:-1]),
                "总计应等于自然人与各类法人或其他组织之和",
            )
        )
    return tuple(rules)


def _t4_rules() -> tuple[Sum, ...]:
    return tuple(
        Sum(
            "t4-sum",
            (f"t4.{g}.total",),
            tuple(f"t4.{g}.{c}" for c in ("upheld", "corrected", "other", "pending")),
            "总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
        )
        for g in ("review", "suit_direct", "suit_after_review")
    )


def _legacy_sum(total: str, parts: tuple[str, ...], label: str) -> Sum:
    return Sum("legacy-sum", (f"legacy.{total}",), tuple(f"legacy.{p}" for p in parts), label)


_LEGACY_RULES = (
    _legacy_sum(
        "apply.received",
        ("apply.received_in_person", "apply.received_fax", "apply.received_online", "apply.received_letter"),
        "收到申请数应等于当面、传真、网络、信函申请数之和",
    ),
    _legacy_sum(
        "apply.closed", ("apply.closed_on_time", "apply.closed_extended"), "申请办结数应等于按时与延期办结数之和"
    ),
    _legacy_sum(
        "apply.answered",
        (
            "apply.already_public",
            "apply.granted",
            "apply.partial",
            "apply.denied",
            "apply.not_this_agency",
            "apply.not_exist",
            "apply.asked_to_amend",
            "apply.other_channel",
        ),
        "申请答复数应等于第1至8项之和",
    ),
    _legacy_sum("review.total", ("review.upheld", "review.corrected", "review.other"), "行政复议数量应等于其三项之和"),
    _legacy_sum("suit.total", ("suit.upheld", "suit.corrected", "suit.other"), "行政诉讼数量应等于其三项之和"),
    _legacy_sum("org.staff", ("org.staff_full_time", "org.staff_part_time"), "工作人员数应等于专职与兼职人员数之和"),
)

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

_OTHER_ALT = (Alt(tuple(f"t3.{k}.{{col}}" for k in _OTHER_SPLIT), "t3.other.{col}"),)

GB2021 = Format(
    id="gb2021",
    name="2021年版格式（国办公开办函〔2021〕30号）",
    basis="国办公开办函〔2021〕30号",
    tables=(_T2_2021, _T3_2021, _T4),
    rules=_t3_rules(_OTHER_ALT)
    + tuple(
        Sum(
            "t3-group-sum",
            (f"t3.other.{c.key}",),
            tuple(f"t3.{k}.{c.key}" for k in _OTHER_SPLIT),
            "（六）其他处理应等于其三个分项之和",
        )
        for c in _T3_COLUMNS
    )
    + _t4_rules(),
    years=(2021, 9999),
    sections=SECTIONS,
    money=frozenset({"t2.fees.amount_wan"}),
)

GB2019 = Format(
    id="gb2019",
    name="2019年版格式（国办公开办函〔2019〕60号）",
    basis="国办公开办函〔2019〕60号",
    tables=(_T2_2019, _T3_2019, _T4),
    rules=_t3_rules(("t3.other.{col}",)) + _t4_rules(),
    years=(2019, 2020),
    sections=SECTIONS,
    money=frozenset({"t2.procurement.amount_wan"}),
    unit_required=frozenset({"t2.procurement.amount_wan"}),
)

LEGACY = Format(
    id="legacy",
    name="2008—2018年版统计表",
    basis="政府信息公开工作情况统计表",
    tables=(_LEGACY,),
    rules=_LEGACY_RULES,
    years=(2008, 2018),
    money=frozenset({"legacy.fees_wan", "legacy.org.budget_wan"}),
)

FORMATS = {f.id: f for f in (GB2021, GB2019, LEGACY)}


def for_year(year: int | None) -> Format:
    """The format a report of ``year`` is expected to use."""
    if year is None or year >= 2021:
        return GB2021
    if year >= 2019:
        return GB2019
    return LEGACY
