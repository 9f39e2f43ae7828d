"""A real SAML 2.0 identity provider for the tests: pysaml2's IdP ``Server``,
served over HTTP on 127.0.0.1 from a thread. It publishes its metadata, reads the
academy's AuthnRequest (HTTP-Redirect binding), signs an assertion with its own
key through xmlsec1, and answers with the auto-posting form a browser would get.

``idp.person`` is who "signs in" at the IdP; ``idp.audience`` (if set) issues the
assertion for another service provider, as a misconfigured or hostile IdP would.
"""

from __future__ import annotations

import datetime
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

XMLSEC = shutil.which("xmlsec1")
CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"


def self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class FormReader(HTMLParser):
    """The action and hidden fields of the IdP's auto-posting form."""

    def __init__(self, html: str):
        super().__init__()
        self.action, self.fields = "", {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action", "")
        elif tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")


class SamlIdP:
    def __init__(self, directory: Path, sp_metadata: str | None = None):
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.metadata import entity_descriptor
        from saml2.saml import NAMEID_FORMAT_EMAILADDRESS
        from saml2.server import Server

        self.httpd = make_server("127.0.0.1", 0, self.app, handler_class=_Quiet)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        key, cert = self_signed(directory, "idp")
        self.certificate = cert.read_text()
        config = IdPConfig().load(
            {
                "entityid": f"{self.base}/metadata",
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.base}/sso", BINDING_HTTP_REDIRECT)
                            ]
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "policy": {"default": {"lifetime": {"minutes": 5}}},
                        "want_authn_requests_signed": False,
                    }
                },
                "key_file": str(key),
                "cert_file": str(cert),
                "xmlsec_binary": XMLSEC,
                "allow_unknown_attributes": True,
            }
        )
        self.server = Server(config=config)
        self.metadata = str(entity_descriptor(config))
        self.binding_post, self.binding_redirect = (
            BINDING_HTTP_POST,
            BINDING_HTTP_REDIRECT,
        )
        self.person: dict = {}
        self.audience: str | None = None
        # SHA-256, as Okta and Entra ID sign; SHA-1 is what an old IdP would use.
        self.sign_alg = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        self.digest_alg = "http://www.w3.org/2001/04/xmlenc#sha256"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        if sp_metadata:
            self.trust(sp_metadata)

    def trust(self, sp_metadata: str) -> None:
        """Know the service provider (its entity ID and assertion address)."""
        store = self.server.config.load_metadata({"inline": [sp_metadata]})
        self.server.config.metadata = self.server.metadata = store

    @property
    def entity_id(self) -> str:
        return f"{self.base}/metadata"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- the IdP's HTTP side ---------------------------------------------------------

    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [self.metadata.encode()]
        if path == "/sso":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            html = self.answer(
                query["SAMLRequest"][0], query.get("RelayState", [""])[0]
            )
            start_response("200 OK", [("Content-Type", "text/html")])
            return [html.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def answer(self, saml_request: str, relay_state: str) -> str:
        request = self.server.parse_authn_request(saml_request, self.binding_redirect)
        args = self.server.response_args(request.message, [self.binding_post])
        if self.audience:
            args["sp_entity_id"] = self.audience
        return self._respond(args, relay_state)

    def unsolicited(self, acs_url: str) -> FormReader:
        """A response the service provider never asked for (IdP-initiated)."""
        sp_entity = acs_url.replace("/acs/", "/metadata/")
        args = {
            "in_response_to": None,
            "destination": acs_url,
            "sp_entity_id": sp_entity,
            "name_id_policy": None,
        }
        return FormReader(self._respond(args, ""))

    def _respond(self, args: dict, relay_state: str) -> str:
        from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID

        args = {k: v for k, v in args.items() if k != "binding"}
        email = self.person["email"]
        response = self.server.create_authn_response(
            # The claim names Microsoft Entra ID sends by default.
            identity={
                f"{CLAIMS}/emailaddress": [email],
                f"{CLAIMS}/givenname": [self.person.get("first_name", "")],
                f"{CLAIMS}/surname": [self.person.get("last_name", "")],
                GROUPS: self.person.get("groups", []),
            },
            userid=email,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=True,
            sign_response=False,
            sign_alg=self.sign_alg,
            digest_alg=self.digest_alg,
            **args,
        )
        http = self.server.apply_binding(
            self.binding_post,
            str(response),
            args["destination"],
            relay_state,
            response=True,
        )
        return http["data"]


def follow_to_idp(location: str) -> FormReader:
    """What a browser does at the IdP: open the redirect, get the form back."""
    import requests

    assert urlsplit(location).hostname == "127.0.0.1", location
    answer = requests.get(location, timeout=10)
    answer.raise_for_status()
    return FormReader(answer.text)
