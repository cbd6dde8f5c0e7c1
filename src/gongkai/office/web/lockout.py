"""One lockout for every login (django-axes): the workbench's form, the admin's and the API's
tokens all go through ``django.contrib.auth.authenticate(request, …)``, which axes watches.

Settings (``settings.py``) lock a user name *from one client address* after
``AXES_FAILURE_LIMIT`` failures for ``AXES_COOLOFF_TIME``; the count is kept in the database, so
every server process sees it. This module gives axes the two things that are the office's own:

- ``client_address``: who is asking. Behind a reverse proxy every request comes from the proxy,
  and counting per proxy address would let anyone lock any named user out; the proxy's
  ``X-Forwarded-For`` is believed only when the request comes from one of
  ``GONGKAI_TRUSTED_PROXIES`` (a client cannot forge its way around its own count).
- ``lockout_response``: the refusal, in Chinese (JSON for the API, the login page otherwise).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from .forms import LoginForm

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LOCKED_STATUS = 429  # Too Many Requests


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _address(text: str) -> Address | None:
    """An address from ``REMOTE_ADDR`` or one hop of ``X-Forwarded-For`` (``[v6]:port`` and
    ``v4:port`` as some proxies write them); None when it is not one."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:127.0.0.1 when listening on [::]
    return address


def _trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address in network for network in proxies)


def client_address(request) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``): the peer's own, unless the peer is a
    trusted proxy; then the right-most hop of ``X-Forwarded-For`` that is not a trusted proxy
    (hops further left were written by the client and prove nothing)."""
    remote = request.META.get("REMOTE_ADDR", "")
    peer = _address(remote)
    if peer is None:
        return remote or None
    proxies = _networks(tuple(settings.GONGKAI_TRUSTED_PROXIES))
    if not _trusted(peer, proxies):
        return str(peer)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a proxy writes addresses: what is left of this was not written by one
        peer = address
        if not _trusted(address, proxies):
            break
    return str(peer)


def lockout_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_message() -> str:
    return f"登录失败次数过多，请于 {lockout_minutes()} 分钟后再试或联系管理员"


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The refusal of a locked-out login (``AXES_LOCKOUT_CALLABLE``): ``{"detail": …}`` for the
    API, as its other errors; the workbench's login page with the reason for a browser (the
    admin's login included)."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=LOCKED_STATUS)
    context = {"form": LoginForm(request), "lockout": message, "next": request.POST.get("next", "")}
    return render(request, "web/login.html", context, status=LOCKED_STATUS)
