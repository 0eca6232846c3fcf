"""sso_server.py - a small IAM Identity Center for tests, on 127.0.0.1 (a free port).

No emulator serves the SSO portal or SSO-OIDC (moto has neither), so this one does, with the
wire shapes of botocore's sso/2019-06-10 and sso-oidc/2019-06-10 models (REST-JSON; errors
carry x-amzn-ErrorType, as AWS sends them). The test suite checks it against the aws CLI and
botocore, so it is not only our client's idea of the protocol.

    GET  /federation/credentials?role_name=&account_id=   x-amz-sso_bearer_token  (portal)
    POST /client/register                                  RegisterClient
    POST /device_authorization                             StartDeviceAuthorization
    POST /token                                            CreateToken (device code, refresh)
    POST /_test/approve  {"userCode": "..."}               test only: the person approves
    POST /_test/deny     {"userCode": "..."}               test only: the person denies

Usage:
    srv = SsoServer().start()     # srv.url, srv.approve(code), srv.issue_token(...), srv.stop()
    srv.hold_token(); srv.wait_held(); srv.release_token()   # CreateToken held back
It runs in a thread of the test process: nothing to kill by name, stopped at exit.
"""
import atexit
import json
import secrets
import string
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def _rand(n, alphabet=string.ascii_uppercase + string.digits):
    return "".join(secrets.choice(alphabet) for _ in range(n))


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.clients = {}        # client_id -> {"secret", "expires", "scopes"}
        self.devices = {}        # device_code -> {"client_id", "user_code", "approved", "expires"}
        self.tokens = {}         # access token -> {"expires"}
        self.refresh = {}        # refresh token -> client_id
        self.roles = {}          # (account, role) -> credentials dict, stable per pair
        self.log = []            # (operation, outcome) in order
        self.portal_status = None  # force the portal to answer 401/403
        self.slow_down_once = False
        self.expires_in = 28800  # CreateToken's expiresIn
        self.interval = 1        # StartDeviceAuthorization's interval
        self.device_expires_in = 600  # ... and its expiresIn
        self.token_hold = None   # a threading.Event: CreateToken waits for it while set here
        self.token_held = 0      # CreateToken calls that were held (or are being held)
        self.device_body = None  # raw bytes StartDeviceAuthorization answers instead (200)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sso-test"

    def log_message(self, *args):  # quiet: tests print what matters
        pass

    @property
    def st(self):
        return self.server.state

    def _send(self, status, obj, error_type=None):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", _rand(8).lower() + "-test")
        if error_type:
            # as AWS: the code, then a colon and a namespace that clients must strip
            self.send_header("x-amzn-ErrorType",
                             f"{error_type}:http://internal.amazon.com/coral/test/")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status, error_type, oauth=None, message=None):
        with self.st.lock:
            self.st.log.append((self.path.split("?")[0], error_type))
        if oauth:  # SSO-OIDC's errors are OAuth's: error / error_description
            self._send(status, {"error": oauth, "error_description": message or oauth},
                       error_type)
        else:
            self._send(status, {"message": message or error_type}, error_type)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            obj = json.loads(raw or b"{}")
        except ValueError:
            return None
        return obj if isinstance(obj, dict) else None

    # ---- portal -----------------------------------------------------------------------
    def do_GET(self):
        u = urlsplit(self.path)
        if u.path != "/federation/credentials":
            return self._error(404, "ResourceNotFoundException", message="no such path")
        q = parse_qs(u.query)
        role, account = q.get("role_name", [""])[0], q.get("account_id", [""])[0]
        token = self.headers.get("x-amz-sso_bearer_token")
        if self.st.portal_status == 403:
            return self._error(403, "ForbiddenException", message="No access")
        if not role or not account or not token:
            return self._error(400, "InvalidRequestException",
                               message="role_name, account_id and the bearer token are required")
        with self.st.lock:
            info = self.st.tokens.get(token)
        if self.st.portal_status == 401 or not info or info["expires"] <= time.time():
            return self._error(401, "UnauthorizedException",
                               message="Session token not found or invalid")
        with self.st.lock:
            creds = self.st.roles.setdefault((account, role), {
                "accessKeyId": "ASIA" + _rand(16),
                "secretAccessKey": secrets.token_urlsafe(30),
                "sessionToken": secrets.token_urlsafe(60),
                "expiration": int((time.time() + 3600) * 1000),
            })
            self.st.log.append(("/federation/credentials", "ok"))
        self._send(200, {"roleCredentials": creds})

    # ---- OIDC -------------------------------------------------------------------------
    def _client(self, body):
        """The client of body if its id and secret are ours and valid, else None."""
        with self.st.lock:
            c = self.st.clients.get(body.get("clientId"))
        if not c or c["secret"] != body.get("clientSecret") or c["expires"] <= time.time():
            return None
        return c

    def do_POST(self):
        body = self._body()
        path = urlsplit(self.path).path
        if body is None:
            return self._error(400, "InvalidRequestException", "invalid_request",
                               "body is not a JSON object")
        if path == "/_test/approve":
            return self._approve(body)
        if path == "/_test/deny":
            return self._approve(body, deny=True)
        if path == "/client/register":
            return self._register(body)
        if path == "/device_authorization":
            return self._device(body)
        if path == "/token":
            return self._token(body)
        return self._error(404, "ResourceNotFoundException", message="no such path")

    def _register(self, body):
        if body.get("clientType") != "public" or not body.get("clientName"):
            return self._error(400, "InvalidClientMetadataException",
                               "invalid_client_metadata", "clientName and clientType public")
        cid, secret, now = _rand(22).lower(), secrets.token_urlsafe(48), int(time.time())
        with self.st.lock:
            self.st.clients[cid] = {"secret": secret, "expires": now + 90 * 86400,
                                    "scopes": body.get("scopes"), "name": body["clientName"]}
            self.st.log.append(("/client/register", "ok"))
        self._send(200, {"clientId": cid, "clientSecret": secret, "clientIdIssuedAt": now,
                         "clientSecretExpiresAt": now + 90 * 86400})

    def _device(self, body):
        if not self._client(body):
            return self._error(400, "InvalidClientException", "invalid_client", "bad client")
        if not body.get("startUrl"):
            return self._error(400, "InvalidRequestException", "invalid_request", "startUrl")
        if self.st.device_body is not None:   # a malformed answer, for the client's parser
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(self.st.device_body)))
            self.end_headers()
            self.wfile.write(self.st.device_body)
            return
        code = _rand(4, string.ascii_uppercase) + "-" + _rand(4, string.ascii_uppercase)
        dev = secrets.token_urlsafe(40)
        base = f"http://127.0.0.1:{self.server.server_address[1]}/device"
        with self.st.lock:
            self.st.devices[dev] = {"client_id": body["clientId"], "user_code": code,
                                    "approved": False,
                                    "expires": time.time() + self.st.device_expires_in,
                                    "start_url": body["startUrl"]}
            self.st.log.append(("/device_authorization", "ok"))
        self._send(200, {"deviceCode": dev, "userCode": code, "verificationUri": base,
                         "verificationUriComplete": f"{base}?user_code={code}",
                         "expiresIn": self.st.device_expires_in,
                         "interval": self.st.interval})

    def _issue(self, client_id):
        tok, ref = secrets.token_urlsafe(64), secrets.token_urlsafe(64)
        with self.st.lock:
            self.st.tokens[tok] = {"expires": time.time() + self.st.expires_in}
            self.st.refresh[ref] = client_id
            self.st.log.append(("/token", "ok"))
        self._send(200, {"accessToken": tok, "tokenType": "Bearer",
                         "expiresIn": self.st.expires_in, "refreshToken": ref})

    def _token(self, body):
        hold = self.st.token_hold
        if hold is not None:
            with self.st.lock:
                self.st.token_held += 1
            hold.wait(120)
        if not self._client(body):
            return self._error(400, "InvalidClientException", "invalid_client", "bad client")
        grant = body.get("grantType")
        if grant == DEVICE_GRANT:
            with self.st.lock:
                d = self.st.devices.get(body.get("deviceCode"))
                slow = self.st.slow_down_once
                self.st.slow_down_once = False
            if not d or d["client_id"] != body["clientId"]:
                return self._error(400, "InvalidGrantException", "invalid_grant", "device code")
            if d["expires"] <= time.time():
                return self._error(400, "ExpiredTokenException", "expired_token", "expired")
            if slow:
                return self._error(400, "SlowDownException", "slow_down", "slow down")
            if d.get("denied"):
                return self._error(400, "AccessDeniedException", "access_denied",
                                   "the user denied the authorization request")
            if not d["approved"]:
                return self._error(400, "AuthorizationPendingException",
                                   "authorization_pending", "not approved yet")
            with self.st.lock:
                del self.st.devices[body["deviceCode"]]  # a device code is used once
            return self._issue(body["clientId"])
        if grant == "refresh_token":
            with self.st.lock:
                owner = self.st.refresh.pop(body.get("refreshToken"), None)  # rotated
            if owner != body["clientId"]:
                return self._error(400, "InvalidGrantException", "invalid_grant",
                                   "refresh token")
            return self._issue(body["clientId"])
        return self._error(400, "UnsupportedGrantTypeException", "unsupported_grant_type",
                           "grant type")

    def _approve(self, body, deny=False):
        with self.st.lock:
            for d in self.st.devices.values():
                if d["user_code"] == body.get("userCode"):
                    d["denied" if deny else "approved"] = True
                    return self._send(200, {"approved": not deny})
        return self._error(404, "ResourceNotFoundException", message="no such user code")


class SsoServer:
    def __init__(self):
        self.httpd = None
        self.thread = None

    def start(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)  # port 0: a free one
        self.httpd.daemon_threads = True
        self.httpd.state = _State()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        atexit.register(self.stop)
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def state(self):
        return self.httpd.state

    def issue_token(self, expires_in=3600, client=True):
        """Seeds a login without the device flow: returns the fields of a cache file
        (accessToken, and with client=True refreshToken, clientId, clientSecret)."""
        st, now = self.state, time.time()
        tok = secrets.token_urlsafe(64)
        out = {"accessToken": tok}
        with st.lock:
            st.tokens[tok] = {"expires": now + expires_in}
            if client:
                cid, secret, ref = _rand(22).lower(), secrets.token_urlsafe(48), \
                    secrets.token_urlsafe(64)
                st.clients[cid] = {"secret": secret, "expires": now + 86400, "scopes": None,
                                   "name": "seed"}
                st.refresh[ref] = cid
                out.update(refreshToken=ref, clientId=cid, clientSecret=secret)
        return out

    def hold_token(self):
        """CreateToken calls from now on wait (in their own threads) until release_token."""
        with self.state.lock:
            self.state.token_held = 0
            self.state.token_hold = threading.Event()

    def wait_held(self, deadline=60):
        """True once a CreateToken call is being held (a bound, not a check)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            with self.state.lock:
                if self.state.token_held:
                    return True
            time.sleep(0.05)
        return False

    def release_token(self):
        with self.state.lock:
            ev, self.state.token_hold = self.state.token_hold, None
        if ev is not None:
            ev.set()

    def _post(self, path, obj):
        import urllib.request
        req = urllib.request.Request(self.url + path, method="POST",
                                     data=json.dumps(obj).encode())
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status == 200

    def approve(self, user_code):
        """The person approves the code in a browser."""
        return self._post("/_test/approve", {"userCode": user_code})

    def deny(self, user_code):
        """The person denies it: CreateToken answers AccessDeniedException from now on."""
        return self._post("/_test/deny", {"userCode": user_code})

    def device_of(self, user_code):
        """The device code of a user code, or None once it was redeemed (or never made)."""
        with self.state.lock:
            for dev, d in self.state.devices.items():
                if d["user_code"] == user_code:
                    return dev
        return None

    def role_credentials(self, account, role):
        with self.state.lock:
            return dict(self.state.roles.get((account, role), {}))

    def stop(self):
        if self.httpd:
            self.release_token()
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
