"""A local HTTP server speaking what the factory uses of GitHub: the REST API and git's smart HTTP.

- REST (PyGithub): create and read repositories, releases and release assets, kept in memory.
- git (`git push` over HTTP with the token): every repository is a real bare repository in a
  temporary folder, served by `git http-backend` as a CGI, as a git server would serve it.

`fail_next[(method, path prefix)] = n` makes the next n matching requests answer 500;
`slow_pushes = n` with `push_delay` holds the answer of the next n pushes that long *after* the
refs were updated (the remote has the commit, the client does not know yet): a worker killed then
must neither lose nor duplicate the push. `push_started` is set when such a push is held.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

TOKEN = "test-token"
GIT_USER = "x-access-token"


def _git(*args: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, check=True, timeout=60
    ).stdout.decode()


class FakeGitHub:
    def __init__(self, org: str = "gamefactory-games") -> None:
        self.org = org
        self.root = Path(tempfile.mkdtemp(prefix="fake-github-"))
        self.repos: dict[str, dict] = {}
        self.releases: dict[int, dict] = {}
        self.assets: dict[int, dict] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail_next: dict[tuple[str, str], int] = {}
        self.pushes: list[str] = []
        self.slow_pushes = 0
        self.push_delay = 0.0
        self.push_started = threading.Event()
        self._ids = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- what tests look at ------------------------------------------------------------------

    def path(self, repo: str) -> Path:
        return self.root / self.org / f"{repo}.git"

    def ref(self, repo: str, ref: str = "heads/main") -> str | None:
        try:
            return _git(
                "rev-parse", "--verify", "--quiet", f"refs/{ref}^{{commit}}", cwd=self.path(repo)
            ).strip()
        except subprocess.CalledProcessError:
            return None

    def history(self, repo: str, ref: str = "heads/main") -> list[dict]:
        """Commits from the ref back to the root (first parents), newest first."""
        out = _git("log", "--first-parent", "--format=%H%x00%B%x01", f"refs/{ref}", cwd=self.path(repo))
        commits = []
        for entry in out.split("\x01"):
            if entry.strip():
                sha, _, message = entry.strip("\n").partition("\x00")
                commits.append({"sha": sha, "message": message.strip()})
        return commits

    def files(self, repo: str, ref: str = "heads/main") -> dict[str, bytes]:
        path = self.path(repo)
        out = {}
        for line in _git("ls-tree", "-r", f"refs/{ref}", cwd=path).splitlines():
            meta, _, name = line.partition("\t")
            blob = meta.split()[2]
            out[name] = subprocess.run(
                ["git", "cat-file", "blob", blob], cwd=path, capture_output=True, check=True
            ).stdout
        return out

    # -- helpers -----------------------------------------------------------------------------

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def _repo_json(self, name: str) -> dict:
        return {
            "id": self.repos[name]["id"],
            "name": name,
            "full_name": f"{self.org}/{name}",
            "private": self.repos[name]["private"],
            "description": self.repos[name]["description"],
            "url": f"{self.base}/repos/{self.org}/{name}",
            "html_url": f"https://github.example/{self.org}/{name}",
            # git's smart HTTP on this server (https://github.com/org/name.git on GitHub)
            "clone_url": f"{self.base}/{self.org}/{name}.git",
            "owner": {"login": self.org, "type": "Organization"},
        }

    def _release_json(self, release: dict) -> dict:
        repo = release["repo"]
        rid = release["id"]
        return {
            "id": rid,
            "tag_name": release["tag_name"],
            "name": release["name"],
            "body": release["body"],
            "draft": False,
            "prerelease": False,
            "url": f"{self.base}/repos/{self.org}/{repo}/releases/{rid}",
            "html_url": f"https://github.example/{self.org}/{repo}/releases/tag/{release['tag_name']}",
            "assets_url": f"{self.base}/repos/{self.org}/{repo}/releases/{rid}/assets",
            "upload_url": f"{self.base}/uploads/repos/{self.org}/{repo}/releases/{rid}/assets{{?name,label}}",
            "assets": [self._asset_json(a) for a in self.assets.values() if a["release"] == rid],
        }

    def _asset_json(self, asset: dict) -> dict:
        return {
            "id": asset["id"],
            "name": asset["name"],
            "size": len(asset["data"]),
            "content_type": asset["content_type"],
            "url": f"{self.base}/repos/{self.org}/{asset['repo']}/releases/assets/{asset['id']}",
            "browser_download_url": f"https://github.example/download/{asset['id']}/{asset['name']}",
            "state": "uploaded",
        }

    # -- the REST API ------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict, data: dict) -> tuple[int, object]:
        org = re.escape(self.org)
        if method == "GET" and re.fullmatch(rf"/orgs/{org}", path):
            return 200, {"login": self.org, "url": f"{self.base}/orgs/{self.org}", "type": "Organization"}
        if method == "POST" and re.fullmatch(rf"/orgs/{org}/repos", path):
            name = data["name"]
            if name in self.repos:
                return 422, {
                    "message": "Repository creation failed.",
                    "errors": [{"message": "name already exists"}],
                }
            self.path(name).mkdir(parents=True)
            _git("init", "--quiet", "--bare", "--initial-branch=main", str(self.path(name)), cwd=self.root)
            self.repos[name] = {
                "id": self._next_id(),
                "private": data.get("private", False),
                "description": data.get("description", ""),
            }
            return 201, self._repo_json(name)
        m = re.fullmatch(rf"/repos/{org}/([^/]+)(/.*)?", path)
        if m is None or m.group(1) not in self.repos:
            return 404, {"message": "Not Found"}
        repo, rest = m.group(1), m.group(2) or ""
        if method == "GET" and rest == "":
            return 200, self._repo_json(repo)
        m4 = re.fullmatch(r"/releases/tags/(.+)", rest)
        if method == "GET" and m4:
            for release in self.releases.values():
                if release["repo"] == repo and release["tag_name"] == m4.group(1):
                    return 200, self._release_json(release)
            return 404, {"message": "Not Found"}
        if method == "POST" and rest == "/releases":
            if self.ref(repo, f"tags/{data['tag_name']}") is None:
                return 422, {"message": "tag does not exist (this fake wants the tag pushed first)"}
            rid = self._next_id()
            self.releases[rid] = {
                "id": rid, "repo": repo, "tag_name": data["tag_name"], "name": data.get("name", ""), "body": data.get("body", "")
            }  # fmt: skip
            return 201, self._release_json(self.releases[rid])
        m5 = re.fullmatch(r"/releases/(\d+)", rest)
        if m5 and int(m5.group(1)) in self.releases:
            release = self.releases[int(m5.group(1))]
            if method == "PATCH":
                release["name"] = data.get("name", release["name"])
                release["body"] = data.get("body", release["body"])
            return 200, self._release_json(release)
        m6 = re.fullmatch(r"/releases/(\d+)/assets", rest)
        if method == "GET" and m6:
            rid = int(m6.group(1))
            return 200, [self._asset_json(a) for a in self.assets.values() if a["release"] == rid]
        m7 = re.fullmatch(r"/releases/assets/(\d+)", rest)
        if method == "DELETE" and m7:
            self.assets.pop(int(m7.group(1)), None)
            return 204, None
        return 404, {"message": f"Not Found ({method} {rest})"}

    def upload(self, path: str, query: dict, body: bytes, headers) -> tuple[int, object]:
        m = re.fullmatch(rf"/uploads/repos/{re.escape(self.org)}/([^/]+)/releases/(\d+)/assets", path)
        if m is None or int(m.group(2)) not in self.releases:
            return 404, {"message": "Not Found"}
        name = query["name"][0]
        rid = int(m.group(2))
        if any(a["release"] == rid and a["name"] == name for a in self.assets.values()):
            return 422, {"message": "already_exists"}
        aid = self._next_id()
        self.assets[aid] = {
            "id": aid, "release": rid, "repo": m.group(1), "name": name, "data": body,
            "content_type": headers.get("Content-Type", ""),
        }  # fmt: skip
        return 201, self._asset_json(self.assets[aid])

    # -- git's smart HTTP: `git http-backend` as a CGI -----------------------------------------

    def git_http(self, method: str, path: str, query: str, body: bytes, headers) -> tuple[int, dict, bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(
            GIT_PROJECT_ROOT=str(self.root),
            GIT_HTTP_EXPORT_ALL="1",
            REMOTE_USER=GIT_USER,  # authenticated: http-backend then allows receive-pack
            REQUEST_METHOD=method,
            PATH_INFO=path,
            QUERY_STRING=query,
            CONTENT_TYPE=headers.get("Content-Type", ""),
            CONTENT_LENGTH=str(len(body)),
            HTTP_CONTENT_ENCODING=headers.get("Content-Encoding", ""),
            GIT_PROTOCOL=headers.get("Git-Protocol", ""),
        )
        done = subprocess.run(
            ["git", "http-backend"], input=body, env=env, capture_output=True, timeout=120, check=False
        )
        head, _, payload = done.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = done.stdout.partition(b"\n\n")
        status, out_headers = 200, {}
        for line in head.decode(errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                out_headers[name.strip()] = value.strip()
        return status, out_headers, payload

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _authorized(self, *, git: bool) -> bool:
                auth = self.headers.get("Authorization", "")
                if auth in (f"token {TOKEN}", f"Bearer {TOKEN}"):
                    return True
                basic = base64.b64encode(f"{GIT_USER}:{TOKEN}".encode()).decode()
                return git and auth == f"Basic {basic}"

            def _send(self, status: int, headers: dict, data: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Basic realm="fake-github"')
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _json(self, status: int, payload) -> None:
                import json

                data = b"" if payload is None else json.dumps(payload).encode()
                self._send(status, {"Content-Type": "application/json; charset=utf-8"}, data)

            def _serve(self):
                import json

                parts = urlsplit(self.path)
                body = self._body()
                with fake.lock:
                    fake.requests.append((self.command, parts.path))
                    for (m, prefix), count in list(fake.fail_next.items()):
                        if m == self.command and parts.path.startswith(prefix) and count > 0:
                            fake.fail_next[(m, prefix)] = count - 1
                            return self._json(500, {"message": "Server Error (injected)"})
                if parts.path.startswith(f"/{fake.org}/") and ".git/" in parts.path:
                    if not self._authorized(git=True):
                        return self._send(401, {"Content-Type": "text/plain"}, b"Authentication failed")
                    status, headers, data = fake.git_http(
                        self.command, parts.path, parts.query, body, self.headers
                    )
                    if parts.path.endswith("/git-receive-pack"):
                        with fake.lock:
                            fake.pushes.append(parts.path)
                            slow = fake.slow_pushes > 0
                            fake.slow_pushes -= 1 if slow else 0
                        if slow:
                            fake.push_started.set()
                            time.sleep(fake.push_delay)
                    return self._send(status, headers, data)
                if not self._authorized(git=False):
                    return self._json(401, {"message": "Bad credentials"})
                with fake.lock:
                    if parts.path.startswith("/uploads/"):
                        status, payload = fake.upload(parts.path, parse_qs(parts.query), body, self.headers)
                    else:
                        is_json = self.headers.get("Content-Type", "").startswith("application/json")
                        data = json.loads(body) if body and is_json else {}
                        status, payload = fake.handle(self.command, parts.path, parse_qs(parts.query), data)
                return self._json(status, payload)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

        return Handler
