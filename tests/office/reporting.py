"""Helpers for tests that submit annual reports: section 五 is the office's own text (the build
leaves the placeholder “【待补充】”, which submission refuses), written as a clerk would."""

from __future__ import annotations

from gongkai.office.annual.models import AnnualReport
from gongkai.office.annual.sections import version_numbers
from gongkai.office.annual.services import SectionsInput, SubmitInput, save_sections, submit_report

S5 = "本年度依申请公开答复的规范性仍需提高。下一步将加强业务培训，完善答复文书模板。"


def write_s5(actor, report: AnnualReport, text: str = S5) -> AnnualReport:
    return save_sections(actor, SectionsInput(report=report, sections={"s5": text}, versions=version_numbers(report)))


def submit(actor, report: AnnualReport) -> AnnualReport:
    """Write section 五, then submit (confirmed)."""
    return submit_report(actor, SubmitInput(report=write_s5(actor, report), confirmed=True))
