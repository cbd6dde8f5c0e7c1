"""GET /api/agencies/: the agencies the user can see."""

from __future__ import annotations

from ninja import Router

from gongkai.office.agencies import access

from .schemas import AgencyOut, Error

router = Router(tags=["机关"])


@router.get("/", response={200: list[AgencyOut], 401: Error}, summary="可见的机关")
def list_agencies(request):
    """当前用户可以查看的机关（所属机关及其下级机关），并注明能否修改。"""
    writable = access.writable_agency_ids(request.auth)
    return [
        AgencyOut(id=a.pk, name=a.name, parent=a.parent_id, writable=a.pk in writable)
        for a in access.visible_agencies(request.auth)
    ]
