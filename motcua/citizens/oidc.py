"""Log-in through an OpenID Connect provider (VNeID, the national portal's SSO), with
Authlib's Django client: the provider is found by its discovery document, the code flow uses
PKCE, and Authlib checks the ID token (signature from the provider's JWKS, issuer, audience,
expiry, nonce) and the ``state`` kept in the session.

Configured only by ``MOTCUA_OIDC_*`` settings; off (no button, 404) unless the discovery URL
(or issuer) and the client id are set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from motcua.citizens.services import OidcClaims, oidc_claims_clean


@dataclass(frozen=True)
class OidcConfig:
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: str
    token_auth_method: str
    pkce: bool
    timeout: int

    @property
    def name(self) -> str:
        return "oidc"


def oidc_config() -> OidcConfig | None:
    """The provider's settings, or None when log-in through it is off."""
    if not (settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID):
        return None
    return OidcConfig(
        discovery_url=settings.OIDC_DISCOVERY_URL,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        scopes=settings.OIDC_SCOPES,
        token_auth_method=settings.OIDC_TOKEN_AUTH_METHOD,
        pkce=settings.OIDC_PKCE,
        timeout=settings.OIDC_TIMEOUT_SECONDS,
    )


def oidc_enabled() -> bool:
    return oidc_config() is not None


@lru_cache(maxsize=4)
def _client(config: OidcConfig):
    """One Authlib client per configuration and process: it keeps the discovery document
    and the provider's keys (fetched again when a token names an unknown key)."""
    from authlib.integrations.django_client import OAuth

    client_kwargs = {
        "scope": config.scopes,
        "token_endpoint_auth_method": config.token_auth_method,
        "default_timeout": config.timeout,
    }
    if config.pkce:
        client_kwargs["code_challenge_method"] = "S256"
    return OAuth().register(
        name=config.name,
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=config.discovery_url,
        client_kwargs=client_kwargs,
    )


def oidc_client():
    config = oidc_config()
    return _client(config) if config else None


def claim_names() -> dict[str, str]:
    return {
        "full_name": settings.OIDC_CLAIM_NAME,
        "id_number": settings.OIDC_CLAIM_ID_NUMBER,
        "phone": settings.OIDC_CLAIM_PHONE,
        "email": settings.OIDC_CLAIM_EMAIL,
        "address": settings.OIDC_CLAIM_ADDRESS,
    }


#: What can go wrong between the provider and us: a refusal or a bad state (OAuthError), a
#: token that fails its checks (joserfc's JoseError), the provider unreachable or answering
#: nonsense (requests' errors, ValueError for bad JSON, KeyError for a missing field).
def oidc_errors() -> tuple[type[BaseException], ...]:
    from authlib.integrations.base_client import OAuthError
    from joserfc.errors import JoseError
    from requests import RequestException

    return (OAuthError, JoseError, RequestException, ValueError, KeyError, RuntimeError)


def oidc_finish(request) -> tuple[str, OidcClaims]:
    """Complete the code flow of the callback ``request``: (issuer, claims). Raises one of
    ``oidc_errors()`` when anything is wrong."""
    client = oidc_client()
    token = client.authorize_access_token(request)
    raw = dict(token.get("userinfo") or {})
    if "sub" not in raw:
        raise KeyError("sub")  # a token without an ID token is not OpenID Connect
    if settings.OIDC_USERINFO and client.load_server_metadata().get("userinfo_endpoint"):
        extra = dict(client.userinfo(token=token))
        if extra.get("sub") != raw["sub"]:  # OIDC Core 5.3.2: must be the same person
            raise ValueError("userinfo sub differs from the ID token's")
        raw = {**extra, **raw}
    issuer = raw.get("iss") or client.load_server_metadata().get("issuer", "")
    return str(issuer), oidc_claims_clean(raw, names=claim_names())
