"""A small OpenID Connect provider for the tests, served on 127.0.0.1 (no Internet): discovery,
an authorization endpoint that logs in ``provider.person`` at once (no page of its own), a
token endpoint (client secret, PKCE S256, the code used once) that issues RS256 ID tokens
signed with a key made for the run (joserfc), its JWKS, and userinfo.

``provider.tamper`` makes the next ID tokens wrong in one way (``"key"``: signed by another
key, ``"aud"``, ``"iss"``, ``"expired"``, ``"nonce"``), to see the client refuse them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "motcua-test"
CLIENT_SECRET = "test-secret-1234"

_KEYS: dict[str, RSAKey] = {}


def _key(name: str) -> RSAKey:
    """RSA keys are slow to make: one per name for the whole run. Both are labelled
    "test-key": the stranger's is a different key under the published key's id."""
    if name not in _KEYS:
        _KEYS[name] = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
    return _KEYS[name]


class Provider:
    def __init__(self):
        self.person: dict = {"sub": "vneid-0001"}
        self.userinfo_extra: dict = {}
        self.tamper = ""
        self.codes: dict[str, dict] = {}
        self.redirect_uris: set[str] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }

    def authorize(self, query: dict) -> tuple[int, dict]:
        """The redirect back to the client with a code, or an error."""
        uri = query.get("redirect_uri", "")
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {}
        if self.redirect_uris and uri not in self.redirect_uris:
            return 400, {}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": uri,
            "nonce": query.get("nonce", ""),
            "challenge": query.get("code_challenge", ""),
            "person": dict(self.person),
        }
        back = f"{uri}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return 302, {"Location": back}

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if authorization != f"Basic {expected}":
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # used once
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        access_token = secrets.token_urlsafe(24)
        self.codes[f"access:{access_token}"] = grant
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant),
        }

    def id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["person"],
        }
        key = _key("stranger" if self.tamper == "key" else "provider")
        if self.tamper == "aud":
            claims["aud"] = "someone-else"
        elif self.tamper == "iss":
            claims["iss"] = "http://evil.example"
        elif self.tamper == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif self.tamper == "nonce":
            claims["nonce"] = "not-the-one"
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)

    def jwks(self) -> dict:
        return KeySet([_key("provider")]).as_dict(private=False)

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        grant = self.codes.get(f"access:{authorization.removeprefix('Bearer ')}")
        if grant is None:
            return 401, {"error": "invalid_token"}
        return 200, {**grant["person"], **self.userinfo_extra}


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, status: int, body: dict | None = None, headers: dict | None = None):
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._answer(200, provider.metadata())
            elif url.path == "/jwks":
                self._answer(200, provider.jwks())
            elif url.path == "/authorize":
                status, headers = provider.authorize(query)
                self._answer(status, {}, headers)
            elif url.path == "/userinfo":
                self._answer(*provider.userinfo(self.headers.get("Authorization", "")))
            else:
                self._answer(404)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlparse(self.path).path == "/token":
                self._answer(*provider.token(form, self.headers.get("Authorization", "")))
            else:
                self._answer(404)

    return Handler
