"""``imagecheck serve`` over real HTTP: a server on a free local port, called with urllib."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from imagecheck.analysis.ocr import inference_threads
from imagecheck.cli import main
from imagecheck_dev import synth

pytest.importorskip("uvicorn")
pytest.importorskip("starlette")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served")
    synth.save(synth.shot("bottle", (400, 400)), root / "clean.jpg")
    synth.save(synth.frame(synth.shot("mug", (400, 400)), 12, (220, 30, 40)), root / "red.jpg")
    (root / "broken.jpg").write_bytes(b"not an image")
    (root / "big.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * 300_000)
    return root


@contextmanager
def _serving(images: Path, *options: str) -> Iterator[str]:
    """The URL of a server started with ``options``, stopped on leaving."""
    port = _free_port()
    cmd = [sys.executable, "-c", "from imagecheck.cli import main; main()", "serve",
           "--ocr", "none", "--port", str(port), "--root", str(images), *options]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(images: Path) -> Iterator[str]:
    with _serving(images, "--workers", "2", "--max-body-mb", "0.25") as url:
        yield url


def _call(url: str, data: bytes | None = None, headers: dict[str, str] | None = None
          ) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _multipart(files: list[tuple[str, str, bytes]]) -> tuple[bytes, dict[str, str]]:
    boundary = uuid.uuid4().hex
    parts = []
    for field, name, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}";'
                     f' filename="{name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                     + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_health_and_rules(server: str) -> None:
    status, health = _call(f"{server}/health")
    assert status == 200 and health["status"] == "ok" and health["ocr"] == "none"
    assert health["threads"] == inference_threads(2)  # each of 2 workers: its share
    status, rules = _call(f"{server}/rules")
    assert status == 200 and any(r["code"] == "BG101" for r in rules)


def test_raw_body_answers_as_scan_json_does(server: str, images: Path) -> None:
    image = images / "red.jpg"
    status, served = _call(f"{server}/check?platform=pdd&role=carousel&name={image}",
                           image.read_bytes(), {"Content-Type": "image/jpeg"})
    scanned = CliRunner().invoke(main, ["scan", "--ocr", "none", "--jobs", "1", "--role",
                                        "carousel", "-f", "json", str(image)])
    expected = json.loads(scanned.output)
    assert status == 200
    assert served["images"][0]["findings"] == expected["images"][0]["findings"]
    assert served["images"][0]["verdict"] == "fail" and served["summary"]["fail"] == 1


def test_multipart_upload(server: str, images: Path) -> None:
    body, headers = _multipart([("image", "clean.jpg", (images / "clean.jpg").read_bytes())])
    status, report = _call(f"{server}/check", body, headers)
    assert status == 200 and report["images"][0]["path"] == "clean.jpg"


def test_listing_roles_come_from_field_names(server: str, images: Path) -> None:
    body, headers = _multipart([("carousel", "red.jpg", (images / "red.jpg").read_bytes()),
                                ("main", "clean.jpg", (images / "clean.jpg").read_bytes())])
    status, report = _call(f"{server}/check-listing", body, headers)
    assert status == 200
    assert [(i["path"], i["role"]) for i in report["images"]] == [("red.jpg", "carousel"),
                                                                  ("clean.jpg", "main")]


def test_bad_image_is_in001_with_422(server: str) -> None:
    status, report = _call(f"{server}/check", b"not an image", {"Content-Type": "image/png"})
    assert status == 422 and report["images"][0]["findings"][0]["code"] == "IN001"


def test_body_over_the_limit_is_413(server: str, images: Path) -> None:
    status, answer = _call(f"{server}/check", (images / "big.jpg").read_bytes(),
                           {"Content-Type": "image/jpeg"})
    assert status == 413 and "limit" in answer["error"]


def test_paths_only_inside_the_root(server: str, images: Path) -> None:
    headers = {"Content-Type": "application/json"}
    status, report = _call(f"{server}/check", json.dumps({"path": "clean.jpg"}).encode(),
                           headers)
    assert status == 200 and report["images"][0]["path"] == str(images / "clean.jpg")
    for outside in ("../../etc/passwd", "/etc/passwd"):
        status, answer = _call(f"{server}/check", json.dumps({"path": outside}).encode(),
                               headers)
        assert status == 403 and "outside" in answer["error"]


def test_a_dangling_link_under_the_root_is_named_as_scan_names_it(server: str,
                                                                  images: Path) -> None:
    """It answered "No such file or directory" (the link's missing target was read)."""
    link = images / "gone.jpg"
    link.symlink_to(images / "missing.jpg")
    try:
        headers = {"Content-Type": "application/json"}
        status, report = _call(f"{server}/check", json.dumps({"path": "gone.jpg"}).encode(),
                               headers)
        scanned = CliRunner().invoke(main, ["scan", "--ocr", "none", "--jobs", "1", "-f",
                                            "json", str(link)])
        (expected,) = json.loads(scanned.output)["images"][0]["findings"]
        assert status == 422 and report["images"][0]["path"] == str(link)
        (finding,) = report["images"][0]["findings"]
        assert finding == expected and finding["code"] == "IN001"
        assert "dangling symbolic link" in finding["message"]
        status, report = _call(f"{server}/check-listing",
                               json.dumps({"paths": ["clean.jpg", "gone.jpg"]}).encode(),
                               headers)
        assert status == 422
        assert "dangling" in report["images"][1]["findings"][0]["message"]
        # a dangling link that leads out of the root is refused, as any path out of it
        (images / "out.jpg").symlink_to("/nonexistent/out.jpg")
        status, answer = _call(f"{server}/check", json.dumps({"path": "out.jpg"}).encode(),
                               headers)
        assert status == 403 and "outside" in answer["error"]
    finally:
        link.unlink()
        (images / "out.jpg").unlink(missing_ok=True)


def test_bad_requests_get_json_errors_not_tracebacks(server: str) -> None:
    status, answer = _call(f"{server}/check?platform=nowhere", b"x",
                           {"Content-Type": "image/jpeg"})
    assert status == 400 and "nowhere" in answer["error"]
    status, answer = _call(f"{server}/check", b"{not json", {"Content-Type": "application/json"})
    assert status == 400
    status, answer = _call(f"{server}/check", b"x", {"Content-Type": "text/plain"})
    assert status == 415
    status, answer = _call(f"{server}/check?lang=zh&role=hero", b"x",
                           {"Content-Type": "image/jpeg"})
    assert status == 400 and _chinese(answer["error"]) and "hero" in answer["error"]
    status, answer = _call(f"{server}/check?lang=zh&platform=nowhere", b"x",
                           {"Content-Type": "image/jpeg"})
    assert status == 400 and _chinese(answer["error"]) and "nowhere" in answer["error"]


def test_serve_binds_to_loopback_by_default() -> None:
    command = main.get_command(None, "serve")  # type: ignore[arg-type]
    assert command is not None
    host = next(p for p in command.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_lang_query_parameter_translates_the_messages(server: str, images: Path) -> None:
    data = (images / "red.jpg").read_bytes()
    answers = [_call(f"{server}/check?lang={lang}", data, {"Content-Type": "image/jpeg"})
               for lang in ("en", "zh")]
    (en_status, en), (zh_status, zh) = answers
    assert en_status == zh_status == 200 and (en["lang"], zh["lang"]) == ("en", "zh")
    en_findings, zh_findings = en["images"][0]["findings"], zh["images"][0]["findings"]
    assert [f["code"] for f in en_findings] == [f["code"] for f in zh_findings] != []
    assert all(_chinese(f["message"]) and not _chinese(e["message"])
               for f, e in zip(zh_findings, en_findings, strict=True))
    status, rules = _call(f"{server}/rules?lang=zh")
    assert status == 200 and all(_chinese(r["summary"]) for r in rules)
    status, error = _call(f"{server}/check?lang=fr", data, {"Content-Type": "image/jpeg"})
    assert status == 400 and "unknown language" in error["error"]


def test_server_lang_is_the_default_of_its_answers(images: Path) -> None:
    data = (images / "red.jpg").read_bytes()
    with _serving(images, "--lang", "zh") as url:
        _, zh = _call(f"{url}/check", data, {"Content-Type": "image/jpeg"})
        _, en = _call(f"{url}/check?lang=en", data, {"Content-Type": "image/jpeg"})
    assert zh["lang"] == "zh" and all(_chinese(f["message"]) for f in zh["images"][0]["findings"])
    assert en["lang"] == "en"


def _chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)
