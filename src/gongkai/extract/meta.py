"""Report metadata from the text: title, agency, year.

The agency is looked for only where reports name it: the first ``HEAD`` and last ``TAIL``
paragraphs and the page's meta lines (a web page's ``<title>``, its 来源：/发布机构： line), so the
cost does not grow with the report.  Each place a name can stand gives a candidate with a rank;
the best is then completed to the fullest form the same document gives (荆门司法局 → 荆门市司法局).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from ..ingest.model import Paragraph

HEAD, TAIL, TITLE_LINES = 15, 10, 12  # paragraphs read at each end; the title is among the first 12

_CJK = "\u4e00-\u9fff"
_PINYIN = re.compile(r"\((?<=[\u4e00-\u9fff]\()[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)", re.I)  # 拖市鎮(zhèn): mirrors
_SPACES = re.compile(r"[^\S\n]+")
_GAP = re.compile(rf" (?:(?<=[{_CJK}] )(?=[\d{_CJK}])|(?<=\d )(?=[{_CJK}]))")  # PDF and page text spaces
_RUN = re.compile(rf"[{_CJK}]+")

# How an agency's name ends, longest first; the name runs to the last of these.
_SUFFIXES = (
    "街道办事处", "人民政府办公厅", "人民政府办公室", "管理委员会", "人民政府", "委员会", "管委会", "办事处",
    "办公厅", "办公室", "开发区", "总局", "政府", "街道", "中心",
    "局", "厅", "委", "署", "院", "部", "办", "镇", "乡", "馆",
)  # fmt: skip
_SUFFIX = re.compile("|".join(_SUFFIXES))
# Words that never stand inside a name (but 未央区, 将乐县…): a name ends before them.
_STOP = re.compile(
    "在|未(?!央)|的|了|是|把|将(?!乐)|于(?!都|洪)|按|已|从(?!化|江)|向(?!阳)|坚持|认真|严格|根据|依据|依照|围绕|"
    "结合|紧紧|紧扣|切实|持续|积极|不断|全面|深入|进一步|立足|聚焦|始终|扎实|高度|重视|通过|依托|主动|全年|本年|"
    "年度|以来|编制|编写|制作|制定|贯彻|落实|"
    "加强|强化|大力|着力|统筹|注重|充分|努力|继续|全力|深化|收到|共计|共有|共收到|共发布|共公开|共受理|累计|"
    "政府信息|信息公开|党委|党工委|党组|委托|部署|办理|办结|局长|主任|书记|联系|现面向|现将|现予|负责|牵头|及时|"
    "依法|主要|一是|现公布|现公开|做好|乡村(?!振兴)"
)
_INTERNAL = re.compile("(?:党政综合办公室|党政办公室|综合办公室|党政办|办公室)$")  # an office inside the agency
_INTERNAL_OWNER = re.compile("(?:局|委|会|中心|开发区|办事处|街道|[镇乡](?:人民政府)?|院|署)$")  # …whose name it drops
_PRONOUN = re.compile("^(?:我|本|该|各|全|贵|其|此|上述|上级|下级|有关|相关|其他|所属|下属|以下|以上)")
_SPAM = re.compile("官网|博彩|娱乐|彩票|棋牌|老虎机|网址|平台|澳门|金沙")  # mirror sites swap names for adverts
_BARE = re.compile(rf"[省市县区镇乡]?(?:{_SUFFIX.pattern})+")  # 街道办事处, 市政府办公厅: no proper name
_LEVEL_ONLY = re.compile("^(?:省|县|区|市(?!场|中区|北区))")  # 区统计局, 市政府办公室: a level, not a place
_PLACE_GOV = re.compile(rf"^([{_CJK}]+[省市县区州旗盟镇乡])政府")  # 唐村镇政府 → 唐村镇人民政府
_PLACE = re.compile(rf"(?:[{_CJK}]+?(?:自治州|省|市|县|区|州|旗|盟))+")  # a title naming only the place: 上海市
_HAS_PLACE = re.compile("[省市县区州旗盟镇乡]|街道|国家|国务院|中华人民共和国")
_COMPLETE = (("镇", "人民政府"), ("乡", "人民政府"), ("街道", "办事处"), ("委", "员会"))  # 万潮镇 → 万潮镇人民政府

# Title lines: page furniture around the report's title.
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_BOOK = re.compile(r"《[^》]*》|〈[^〉]*〉")  # a document cited by its title
_TITLE_WORDS = ("报告", "年报", "统计表")
_PAGE_PREFIX = re.compile(r"^(?:Page\s*\d+\s*[-–—:]\s*|P\.\s*\d+\s*|第\s*\d+\s*页\s*[-–—:]?\s*)", re.I)
_LABEL_PREFIX = re.compile(rf"^[{_CJK}]{{0,4}}(?:标题|名称|解读)\s*[:：]\s*")  # 标题： 名 称： 文字解读：
_NEXT_FIELD = re.compile(rf"\s+[{_CJK}]{{2,5}}\s*[:：]")  # 名称：… 索引号：… on one line
_CRUMB = re.compile(r"\s*[>›»]\s*")  # 首页 > 政务公开 > …
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|——)\s*")  # a page title: report title _ site name
_TITLE_CUT = re.compile("关于|政府信息公开|政务公开|信息公开|政府信息|年度报告|工作报告|年报|工作年度")
_SECTION_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+部分)")
_DATE_END = re.compile(r"\s*(?:19|20)\d{2}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?$")
_ALIAS_END = re.compile(r"\s*[(（][^()（）]*[)）]$")  # 武昌经开区管委会(滨江商务区管委会)

# Where a document names itself; the name follows the match.  (Separate patterns: one
# alternation of them all is twice as slow to scan.)
_LABEL = re.compile(  # 来源：某某镇  发布机构 | 某某街道办事处
    r"(发文机关|发布机构|发布单位|填报单位|公开主体|编制单位|信息来源|文章来源|发布来源|来源)"
    r"(?<!资金来源)(?<!收入来源)(?<!数据来源)(?:\(盖章\))?\s*[:：|｜]\s*"
)
_STRONG_LABELS = ("发文机关", "发布机构", "发布单位", "填报单位", "公开主体", "编制单位")
_SELF = re.compile(  # 现公布某某镇2020年…  向社会公开《某某局2022年…》
    r"(?:现将|现面向社会公开|现予?(?:公布|公开|编制)|现?向社会(?:公布|公开)|特编制|予以公布|"
    r"《(?<=公布《|公开《|编制《|发布《|布了《))《?(?:(?:19|20)\d{2}年度?)?"
)
_SELF_FOLLOW = re.compile(r"\s*(?:[(（]|(?:19|20)\d{2}|政府信息|信息公开|政务公开|年度|工作)")
_BY = re.compile(rf"由(?=[{_CJK}])")  # 由两城镇人民政府党政办公室编制
_BY_FOLLOW = re.compile(r"\s*(?:编制|编写|根据|依据|按照|在|负责|结合|制作)")
_CONTACT = re.compile(r"(?:请与|请联系|联系单位|联系部门)\s*[:：]?\s*")  # 请与某某局办公室联系
_BOUNDARY = re.compile(r"[。;!?\n]")
_START_CHARS = set(" (一二三四五六七八九十0123456789在按根依")  # what _START may skip
_START = re.compile(  # a sentence's start, past 2022年， and 在…领导下，
    r"\s*(?:[(]?[一二三四五六七八九十\d]{1,3}[)、.]\s*)?(?:(?:19|20)\d{2}\s*年度?(?:以来|全年)?\s*[,、]?\s*)?"
    r"(?:(?:在|按照|根据|依据)[^,。;\n]{2,40}?(?:下|要求|规定|部署)\s*,\s*)?"
)
_AFTER_STOP = re.compile(f"(?:{_STOP.pattern})$")  # 做好|京山市卫生健康局
_SENTENCE_FOLLOW = re.compile(rf"(?![{_CJK}])|{_STOP.pattern}")  # …街道办事处 高度重视 / 。
_ANY = re.compile("")
_ASIDE = re.compile("[我本全各该由在对为和与及是了把将]")  # never inside a place's name: 由我市…
# Ranks: lower wins; a name without a place (区统计局) or a short one (审计局) ranks 10 lower.
TITLE, LABELLED, SELF, ALONE, CONTACT, SENTENCE, SOURCE = range(7)
_NAMINGS = ((_LABEL, SOURCE, _ANY), (_SELF, SELF, _SELF_FOLLOW), (_BY, SELF, _BY_FOLLOW), (_CONTACT, CONTACT, _ANY))


def clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _norm(text: str) -> str:
    """The text for matching: NFKC, pinyin glosses and spaces inside Chinese text dropped (lines kept)."""
    t = _PINYIN.sub("", unicodedata.normalize("NFKC", text))
    return _GAP.sub("", _SPACES.sub(" ", t)) if " " in t or "\t" in t else t


def _name_end(t: str, i: int = 0) -> int | None:
    """End of the agency's name starting at t[i], or None when none starts there."""
    run = _RUN.match(t, i)
    if not run:
        return None
    end = min(run.end(), i + 40)  # no name is longer
    ends = [m.end() for m in _SUFFIX.finditer(t, i, end)]
    stop = _STOP.search(t, i, end) if ends else None
    ends = [e for e in ends if e <= stop.start()] if stop else ends
    if not ends:
        return None
    j = ends[-1]
    inner = _INTERNAL.search(t, i, j)
    if inner and _INTERNAL_OWNER.search(t, i, inner.start()):
        j = inner.start()
    name = t[i:j]
    if len(name) < 2 or (len(name) == 2 and name[-1] not in "镇乡") or _PRONOUN.match(name) or _SPAM.search(name):
        return None
    if _BARE.fullmatch(name) and not _LEVEL_ONLY.match(name):
        return None
    return j


def _official(name: str) -> str:
    """The official form of a name: 某某区政府 → 某某区人民政府 (only after a named place)."""
    return name if _LEVEL_ONLY.match(name) else _PLACE_GOV.sub(r"\1人民政府", name)


def _weak(name: str) -> bool:
    return bool(_LEVEL_ONLY.match(name)) or (len(name) <= 3 and name[-1] not in "镇乡")


def _alone(t: str) -> str | None:
    """A line that is only a name (a signature, a name above the title), maybe with an alias or date."""
    if len(t) > 60:
        return None
    t = _ALIAS_END.sub("", _DATE_END.sub("", t.strip()))
    return _official(t) if t and _name_end(t) == len(t) else None


# ------------------------------------------------------------------ title


def _is_title(s: str) -> bool:
    titled = any(w in s for w in _TITLE_WORDS) or (
        "政府信息公开" in s and _YEAR.search(s) is not None and ("年度" in s or "报" in s)
    )
    return (
        len(s) <= 70
        and titled
        and ("公开" in s or "政务" in s)
        and not re.search("[,。;]|[:：]$", s)
        and not s.startswith(("根据", "本报告", "本年度报告", "现将", "现公布", "按照", "依据"))
    )


def _parts(t: str, a: int, b: int) -> list[str]:
    """The parts of a page title (report title _ site name) between a and b."""
    return [x for x in _TITLE_SPLIT.split(t[a:b]) if x]


def _title_in(t: str) -> str | None:
    """The report's title in a line of page furniture, if the line holds one."""
    a = _PAGE_PREFIX.match(t).end() if _PAGE_PREFIX.match(t) else 0
    a = _LABEL_PREFIX.match(t, a).end() if _LABEL_PREFIX.match(t, a) else a
    crumbs = list(_CRUMB.finditer(t, a))
    if len(crumbs) >= 2:
        a = crumbs[-1].end()  # the last step of a breadcrumb; only a title with a year counts
        if not _YEAR.search(t, a):
            return None
    b = _NEXT_FIELD.search(t, a).start() if _NEXT_FIELD.search(t, a) else len(t)
    return next((part for part in _parts(t, a, b) if _is_title(part)), None)


def _title_agency(t: str) -> str | None:
    """The agency a title names before its year (某某镇2020年…) or after it (2022年上海市政府信息公开…)."""
    y = _YEAR.search(t)
    a, b = (0, y.start()) if y and y.start() > 0 else ((y.end(), len(t)) if y else (0, len(t)))
    a += t.startswith("度", a)
    cut = _TITLE_CUT.search(t, a, b)
    b = cut.start() if cut else b
    j = _name_end(t, a)
    if j is not None and (j == b or _INTERNAL.fullmatch(t, j, b)):
        return _official(t[a:j])
    if j is None and _PLACE.fullmatch(t, a, b) and not _PRONOUN.match(t, a):
        return t[a:b] + "人民政府"
    return None


def title_and_agency(paras: list[Paragraph]) -> tuple[str | None, str | None, int]:
    """Title, agency named with it, and how many leading paragraphs they take."""
    head = paras[:TITLE_LINES]
    for i, p in enumerate(head):
        if _SECTION_START.match(p.text):
            break
        title = _title_in(_norm(p.text).strip()) if "报" in p.text or "统计表" in p.text else None
        if title is None:
            continue
        agency = _title_agency(title)
        above = _norm(head[i - 1].text).strip() if i > 0 and agency is None else ""
        if _alone(above):  # 某某县司法局 / 关于2020年度政府信息公开工作的报告
            agency, title = _alone(above), above + title
        elif agency is None and i + 1 < len(head):
            agency = _alone(_norm(head[i + 1].text))  # 政府信息公开工作年度报告 / 某某管委会 / 2026年1月8日
        return title, agency, i + 1
    return None, None, 0


# ------------------------------------------------------------------ agency


def find_agency(paras: list[Paragraph], title_agency: str | None, meta: Sequence[str] = ()) -> str | None:
    """The reporting agency, from the title, the page's meta lines, and the places reports name it."""
    head, tail = paras[:HEAD], paras[HEAD:][-TAIL:]
    text = _norm("\n".join(p.text.replace("\n", " ") for p in head))
    start_end = len(text)  # sentence starts are read in the head only
    text += "\n" + _norm("\n".join([*(p.text.replace("\n", " ") for p in tail), *meta]))
    lines = text.split("\n")
    cands: list[tuple[int, int, str]] = []

    def add(rank: int, name: str | None) -> None:
        if name:
            cands.append((rank + 10 * _weak(name), len(cands), name))

    add(TITLE, title_agency)
    found = [(m, rank, follow) for rx, rank, follow in _NAMINGS for m in rx.finditer(text)]
    for m, rank, follow in sorted(found, key=lambda x: x[0].start()):
        i = m.end()
        j = _name_end(text, i)
        if j is not None and follow.match(text, j):
            add(LABELLED if rank == SOURCE and m[1] in _STRONG_LABELS else rank, _official(text[i:j]))
        place = _PLACE.match(text, i) if j is None and follow is _SELF_FOLLOW else None
        if place and follow.match(text, place.end()) and not _PRONOUN.match(place[0]):
            add(SELF, place[0] + "人民政府")  # 现公布辽阳市2023年…
    pages = [t for t in lines[:5] if _PAGE_PREFIX.match(t)] + lines[len(head) + len(tail) :]
    for t in pages:  # a page title: report title _ site name
        for part in _parts(t, _PAGE_PREFIX.match(t).end() if _PAGE_PREFIX.match(t) else 0, len(t)):
            if _is_title(part):
                add(SELF, _title_agency(part))
            elif not part.endswith("政府"):
                add(SOURCE, _alone(part))
    if min(cands, default=(SOURCE,))[0] > SELF:  # the weaker places only when the strong ones said nothing
        for t in lines[:5] + lines[len(head) : len(head) + len(tail)]:
            add(ALONE, _alone(t))  # a name standing alone: above the title, or the signature
    if min(cands, default=(SOURCE,))[0] > CONTACT:
        for b in [-1, *(m.start() for m in _BOUNDARY.finditer(text, 0, start_end))]:
            i = _START.match(text, b + 1).end() if text[b + 1 : b + 2] in _START_CHARS else b + 1
            j = _name_end(text, i)
            if j is not None and _SENTENCE_FOLLOW.match(text, j):
                add(SENTENCE, _official(text[i:j]))
    if not cands:
        return None
    best = min(cands)[2]
    for rank, _, name in sorted(cands):  # a fuller self-naming: 云林街道 → 锡山区云林街道
        if rank <= SELF and len(name) > len(best) and name.endswith(best):
            best = name
    return _fuller(_placed(best, text), text)


def _placed(name: str, t: str) -> str:
    """A name without its place (卫生健康局, 市卫生健康局) with the place the document gives it:
    the 2–4 characters before the level, as many as reach a word boundary (京山市, 哈尔滨市)."""
    level_only = bool(_LEVEL_ONLY.match(name))
    if not level_only and _HAS_PLACE.search(name):
        return name
    k = t.find(name)
    while k >= 0:
        p = k if level_only else k - 1  # the level character: 市卫生健康局, 京山市|卫生健康局
        for n in (4, 3, 2) if p >= 2 and t[p] in "省市县区州旗盟" else ():
            place = t[p - n : p] if p >= n else ""
            if not _RUN.fullmatch(place) or _ASIDE.search(place) or _STOP.search(place):
                continue
            if p == n or not _RUN.match(t, p - n - 1) or _AFTER_STOP.search(t, 0, p - n):
                return _official(t[p - n : k + len(name)])
        k = t.find(name, k + 1)
    return name


def _fuller(name: str, t: str) -> str:
    """The fullest form of the name the document gives: with characters inserted (荆门司法局 →
    荆门市司法局, 管委会 → 管理委员会) or its ending completed (建章路街道 → 建章路街道办事处)."""
    best = name
    a = t.find(name[:2])
    while a >= 0:
        k, j, end = a, 0, min(len(t), a + len(name) + 4)
        while k < end and j < len(name):  # the name's characters in order, up to four others between
            j += t[k] == name[j]
            k += 1
        if j == len(name) and _RUN.fullmatch(t, a, k):
            for short, more in _COMPLETE:
                if t.endswith(short, a, k) and t.startswith(more, k):
                    k += len(more)
                    break
            if k - a > len(best) and _name_end(t[a:k]) == k - a:
                best = _official(t[a:k])
        a = t.find(name[:2], a + 1)
    return best


# ------------------------------------------------------------------ year


def find_year(paras: list[Paragraph], title: str | None) -> int | None:
    if title and _YEAR.search(title):
        return int(_YEAR.search(title)[1])
    scores: Counter[int] = Counter()
    # a report named in 《》 is another one (last year's, cited): not this report's title
    text = _BOOK.sub("", unicodedata.normalize("NFKC", "\n".join(p.text for p in paras)))
    for m in re.finditer(r"^((?:19|20)\d{2})\s*年(?:度|以来)?[,，]", text, re.M):
        scores[int(m[1])] += 3  # "2022年，本机关……": the opening of the 总体情况
    for m in re.finditer(r"((?:19|20)\d{2})\s*年度?\s*(?:政府信息公开|政务公开)[^。\n]{0,20}(?:报告|统计表)", text):
        scores[int(m[1])] += 10
    for m in re.finditer(r"自\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日", text):
        scores[int(m[1])] += 8
    for m in _YEAR.finditer(text):
        scores[int(m[1])] += 1
    if not scores:
        return None
    return scores.most_common(1)[0][0]
