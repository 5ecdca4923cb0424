"""Secret tokens for share links and calendar feeds: 256 bits from `secrets`; only the SHA-256 is stored."""

import hashlib
import secrets

from django.http import HttpRequest

from config.http import client_address


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token (32 random bytes) and the hex SHA-256 to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_address_hash(request: HttpRequest) -> str:
    """SHA-256 (hex) of the client's address as `config.http.client_address` reads it."""
    return hashlib.sha256(client_address(request).encode()).hexdigest()
