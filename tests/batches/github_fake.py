"""A local HTTP server speaking the subset of the GitHub REST API the factory uses.

Repositories, git blobs/trees/commits/refs (content-addressed like git), releases and release
assets, kept in memory. `fail_next` makes the next N matching requests answer 500, so a push
that fails can be tested with the real PyGithub client.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "test-token"


def git_blob_sha(content: bytes) -> str:
    return hashlib.sha1(b"blob %d\x00" % len(content) + content).hexdigest()


class FakeGitHub:
    def __init__(self, org: str = "gamefactory-games") -> None:
        self.org = org
        self.repos: dict[str, dict] = {}
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, dict[str, tuple[str, str]]] = {}
        self.commits: dict[str, dict] = {}
        self.refs: dict[tuple[str, str], str] = {}
        self.releases: dict[int, dict] = {}
        self.assets: dict[int, dict] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail_next: dict[tuple[str, str], int] = {}
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

    # -- what tests look at ------------------------------------------------------------------

    def history(self, repo: str, ref: str = "heads/main") -> list[dict]:
        """Commits from the ref back to the root (first parents), newest first."""
        sha = self.refs.get((repo, ref))
        out = []
        while sha:
            commit = self.commits[sha]
            out.append(commit)
            sha = commit["parents"][0] if commit["parents"] else None
        return out

    def files(self, repo: str, ref: str = "heads/main") -> dict[str, bytes]:
        sha = self.refs[(repo, ref)]
        tree = self.trees[self.commits[sha]["tree"]]
        return {path: self.blobs[blob] for path, (_mode, blob) in tree.items()}

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
            "clone_url": f"https://github.example/{self.org}/{name}.git",
            "owner": {"login": self.org, "type": "Organization"},
        }

    def _commit_json(self, repo: str, sha: str) -> dict:
        commit = self.commits[sha]
        return {
            "sha": sha,
            "url": f"{self.base}/repos/{self.org}/{repo}/git/commits/{sha}",
            "message": commit["message"],
            "author": commit["author"],
            "tree": {
                "sha": commit["tree"],
                "url": f"{self.base}/repos/{self.org}/{repo}/git/trees/{commit['tree']}",
            },
            "parents": [
                {"sha": p, "url": f"{self.base}/repos/{self.org}/{repo}/git/commits/{p}"}
                for p in commit["parents"]
            ],
        }

    def _ref_json(self, repo: str, ref: str) -> dict:
        return {
            "ref": f"refs/{ref}",
            "url": f"{self.base}/repos/{self.org}/{repo}/git/refs/{ref}",
            "object": {"sha": self.refs[(repo, ref)], "type": "commit"},
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

    # -- the API -----------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict, body: bytes, headers) -> tuple[int, object]:
        auth = headers.get("Authorization", "")
        if auth not in (f"token {TOKEN}", f"Bearer {TOKEN}"):
            return 401, {"message": "Bad credentials"}
        for (m, prefix), count in list(self.fail_next.items()):
            if m == method and path.startswith(prefix) and count > 0:
                self.fail_next[(m, prefix)] = count - 1
                return 500, {"message": "Server Error (injected)"}
        data = (
            json.loads(body)
            if body and headers.get("Content-Type", "").startswith("application/json")
            else {}
        )
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
            self.repos[name] = {
                "id": self._next_id(),
                "private": data.get("private", False),
                "description": data.get("description", ""),
            }
            return 201, self._repo_json(name)
        m = re.fullmatch(rf"/repos/{org}/([^/]+)(/.*)?", path)
        if m is None:
            return 404, {"message": "Not Found"}
        repo, rest = m.group(1), m.group(2) or ""
        if repo not in self.repos:
            return 404, {"message": "Not Found"}
        if method == "GET" and rest == "":
            return 200, self._repo_json(repo)
        if method == "POST" and rest == "/git/blobs":
            content = (
                base64.b64decode(data["content"])
                if data.get("encoding") == "base64"
                else data["content"].encode()
            )
            sha = git_blob_sha(content)
            self.blobs[sha] = content
            return 201, {"sha": sha, "url": f"{self.base}/repos/{self.org}/{repo}/git/blobs/{sha}"}
        if method == "POST" and rest == "/git/trees":
            entries = dict(self.trees[data["base_tree"]]) if data.get("base_tree") else {}
            for item in data["tree"]:
                if item.get("sha") is None:
                    entries.pop(item["path"], None)
                else:
                    if item["sha"] not in self.blobs:
                        return 422, {"message": f"blob {item['sha']} not found"}
                    entries[item["path"]] = (item["mode"], item["sha"])
            sha = hashlib.sha1(json.dumps(sorted(entries.items())).encode()).hexdigest()
            self.trees[sha] = entries
            return 201, {
                "sha": sha,
                "url": f"{self.base}/repos/{self.org}/{repo}/git/trees/{sha}",
                "tree": [
                    {"path": p, "mode": md, "type": "blob", "sha": b}
                    for p, (md, b) in sorted(entries.items())
                ],
            }
        m2 = re.fullmatch(r"/git/commits/([0-9a-f]+)", rest)
        if method == "GET" and m2:
            if m2.group(1) not in self.commits:
                return 404, {"message": "Not Found"}
            return 200, self._commit_json(repo, m2.group(1))
        if method == "POST" and rest == "/git/commits":
            if data["tree"] not in self.trees or any(p not in self.commits for p in data["parents"]):
                return 422, {"message": "tree or parent not found"}
            payload = json.dumps(
                [data["tree"], data["parents"], data["message"], data.get("author")], sort_keys=True
            )
            sha = hashlib.sha1(payload.encode()).hexdigest()
            self.commits[sha] = {
                "tree": data["tree"],
                "parents": list(data["parents"]),
                "message": data["message"],
                "author": data.get("author"),
            }
            return 201, self._commit_json(repo, sha)
        m3 = re.fullmatch(r"/git/refs?/(heads|tags)/(.+)", rest)
        if m3:
            ref = f"{m3.group(1)}/{m3.group(2)}"
            if method == "GET":
                if (repo, ref) not in self.refs:
                    return 404, {"message": "Not Found"}
                return 200, self._ref_json(repo, ref)
            if method == "PATCH":
                if (repo, ref) not in self.refs:
                    return 422, {"message": "Reference does not exist"}
                if data["sha"] not in self.commits:
                    return 422, {"message": "Object does not exist"}
                self.refs[(repo, ref)] = data["sha"]
                return 200, self._ref_json(repo, ref)
        if method == "POST" and rest == "/git/refs":
            ref = data["ref"].removeprefix("refs/")
            if (repo, ref) in self.refs:
                return 422, {"message": "Reference already exists"}
            if data["sha"] not in self.commits:
                return 422, {"message": "Object does not exist"}
            self.refs[(repo, ref)] = data["sha"]
            return 201, self._ref_json(repo, ref)
        m4 = re.fullmatch(r"/releases/tags/(.+)", rest)
        if method == "GET" and m4:
            for release in self.releases.values():
                if release["repo"] == repo and release["tag_name"] == m4.group(1):
                    return 200, self._release_json(release)
            return 404, {"message": "Not Found"}
        if method == "POST" and rest == "/releases":
            if (repo, f"tags/{data['tag_name']}") not in self.refs:
                return 422, {"message": "tag does not exist (this fake wants the tag first)"}
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

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with fake.lock:
                    fake.requests.append((self.command, parts.path))
                    if parts.path.startswith("/uploads/"):
                        auth = self.headers.get("Authorization", "")
                        if auth not in (f"token {TOKEN}", f"Bearer {TOKEN}"):
                            status, payload = 401, {"message": "Bad credentials"}
                        else:
                            status, payload = fake.upload(
                                parts.path, parse_qs(parts.query), body, self.headers
                            )
                    else:
                        status, payload = fake.handle(
                            self.command, parts.path, parse_qs(parts.query), body, self.headers
                        )
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

        return Handler
