"""The client's address, also behind a reverse proxy (``MOTCUA_TRUSTED_PROXIES``).

Used by our rate limits and by django-axes' log-in lock-out (``AXES_CLIENT_IP_CALLABLE``), so
both count the same person. ``REMOTE_ADDR`` is the client unless it is a trusted proxy; then
``X-Forwarded-For`` is read from the right (each proxy appends the address it saw) and the
first address that is not a trusted proxy is the client. A client that is not a trusted proxy
cannot choose its address by sending the header: it is ignored.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(entries: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """``MOTCUA_TRUSTED_PROXIES`` entries (addresses or CIDRs) as networks; a bad entry stops
    start-up with a clear message."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"MOTCUA_TRUSTED_PROXIES: “{entry}” không phải địa chỉ IP hay dải CIDR "
                "(ví dụ 127.0.0.1, 10.0.0.0/8, ::1)."
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def _address(text: str) -> Address | None:
    """An address as a proxy writes it: ``1.2.3.4``, ``1.2.3.4:5678``, ``::1``, ``[::1]:80``."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


_warned = False


def client_address(request) -> str:
    """The address of the client that sent ``request`` (never taken from a header the client
    itself could have written)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return request.META.get("REMOTE_ADDR", "")
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not _is_trusted(remote, networks):
        if forwarded and remote.is_private:
            _warn_once(remote)
        return str(remote)
    client = remote
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            break  # written by something before our proxies: not an address to trust
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def _warn_once(remote: Address) -> None:
    """A proxy that is not listed makes every client share its address: say so once."""
    global _warned
    if not _warned:
        _warned = True
        log.warning(
            "Yêu cầu từ %s có X-Forwarded-For nhưng địa chỉ này không có trong "
            "MOTCUA_TRUSTED_PROXIES: nếu đây là proxy ngược của máy chủ, mọi người dùng sẽ bị "
            "giới hạn và khóa chung theo địa chỉ của nó.",
            remote,
        )


def rate_limit_key(address: str) -> str:
    """What a per-address limit counts: the address, or for IPv6 its /64 (one subscriber
    usually holds a whole /64 and could otherwise change address at every request)."""
    parsed = _address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed) if parsed is not None else address[:64]
