"""Secret tokens for share links and calendar feeds: 256 bits from `secrets`; only the SHA-256 is stored."""

import hashlib
import secrets

from django.conf import settings
from django.http import HttpRequest


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token (32 random bytes) and the hex SHA-256 to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_address_hash(request: HttpRequest) -> str:
    """SHA-256 of the client's address. Behind DJANGO_PROXY_COUNT trusted proxies, the address they saw."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return hashlib.sha256(address.encode()).hexdigest()
