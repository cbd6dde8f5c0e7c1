"""The one permission decorator every workbench view sits behind.

``@agency_required(Model, write=...)`` turns the URL's ``pk`` into an object of ``Model``
loaded through ``access.scoped``: an id of another agency's record is a 404, exactly like an
id that does not exist, so ids cannot be probed. ``write=True`` also needs a writer role for
the object's agency (supervisors read only: 403). Anonymous users go to the login page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency


def agency_required(model: type[models.Model] | None = None, *, write: bool = False, field: str = "agency"):
    """Login required; with ``model``, pass the scoped object (``kwargs["pk"]``) instead of its id.

    ``field``: the object's path to its agency (``"id"`` when ``model`` is ``Agency``).
    Without ``model``, ``write=True`` needs a writer role on at least one agency.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if model is None:
                if write and not access.writable_agency_ids(user):
                    raise PermissionDenied("您没有任何机关的办理权限")
                return view(request, *args, **kwargs)
            pk = kwargs.pop("pk")
            obj = access.scoped(model.objects.all(), user, field).filter(pk=pk).first()
            if obj is None:
                raise Http404("没有找到该记录")
            if write and not access.can_write(user, agency_of(obj)):
                raise PermissionDenied("您只能查看，不能修改该机关的记录")
            return view(request, obj, *args, **kwargs)

        return wrapper

    return decorate


def agency_of(obj) -> Agency:
    return obj if isinstance(obj, Agency) else obj.agency
