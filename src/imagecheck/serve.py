"""``imagecheck serve``: a warm local HTTP service for merchant tooling (extra ``[serve]``).

A Starlette app on uvicorn. Each worker process loads the OCR models once, at start, and
then answers with the same JSON as ``imagecheck scan -f json``:

- ``POST /check?platform=pdd&role=main``: one image, as the raw body (``Content-Type:
  image/...``) or as the first file of a multipart form;
- ``POST /check-listing?platform=pdd``: several images as multipart files; a file's field
  name gives its role (``main``, ``carousel``, ``detail``, ``主图``...), else the first is
  the main image and the rest carousel images;
- with ``--root DIR`` only, ``{"path": ...}`` or ``{"paths": [...]}`` as JSON, for files
  inside DIR (nothing outside it is ever read);
- ``GET /health`` and ``GET /rules``.

``?lang=zh`` (or ``en``) on ``/check``, ``/check-listing`` and ``/rules`` chooses the
language of the messages and rule summaries, as ``scan -f json --lang`` does (codes, keys
and numbers are the same in every language); without it, the server's ``--lang``.

An image that cannot be read gets the same ``IN00x`` finding as in a scan and HTTP 422;
a body over the size limit 413; any other failure a one-line JSON error, never a traceback.
The app holds no rule or report logic of its own: it calls :func:`check_image`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from imagecheck import __version__
from imagecheck.analysis.facts import preflight
from imagecheck.analysis.ocr import get_backend
from imagecheck.api import build_report
from imagecheck.check import check_image
from imagecheck.config import ROLES, ConfigError, Settings, build_settings
from imagecheck.i18n import DEFAULT_LANG, msg, parse_lang, reason, translate, translate_doc
from imagecheck.listing import ROLE_NAMES, real_path
from imagecheck.report.json_format import report_dict
from imagecheck.report.model import ImageResult
from imagecheck.rules.registry import all_rules

#: Environment variable carrying the server's options to its worker processes.
OPTIONS_ENV = "IMAGECHECK_SERVE_OPTIONS"
#: Default largest request body, in bytes.
DEFAULT_MAX_BODY = 20 * 1024 * 1024
#: Most files in one /check-listing request.
MAX_FILES = 50


@dataclass(frozen=True)
class ServeOptions:
    """What the server was started with: configuration, overrides and limits."""

    config: Mapping[str, Any]
    overrides: Mapping[str, Any]
    root: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    #: The language of the answers where a request names none (``?lang=``).
    lang: str = DEFAULT_LANG
    #: Inference (and OpenCV) threads of each worker process: the serve command gives
    #: each of its N workers the usable cores // N, at least 1, unless ``--threads``.
    threads: int = 1

    def to_env(self) -> str:
        return json.dumps({"config": self.config, "overrides": self.overrides,
                           "root": self.root, "max_body": self.max_body, "lang": self.lang,
                           "threads": self.threads})

    @classmethod
    def from_env(cls) -> ServeOptions:
        data = json.loads(os.environ.get(OPTIONS_ENV) or "{}")
        return cls(data.get("config", {}), data.get("overrides", {}), data.get("root"),
                   int(data.get("max_body", DEFAULT_MAX_BODY)), data.get("lang", DEFAULT_LANG),
                   int(data.get("threads", 1)))


def _lang(request: Request, options: ServeOptions) -> str:
    """The language ``request`` asks for (``?lang=``), else the server's."""
    value = request.query_params.get("lang")
    if not value:
        return options.lang
    try:
        return parse_lang(value)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class _Checker:
    """Settings per platform, built once; checks run one at a time per worker process
    (the OCR engine keeps per-call state), on the event loop: a worker busy with a check
    accepts no connection meanwhile, so the next request goes to a worker that is free
    (uvicorn's workers share one listening socket; with checks run off the loop a busy
    worker kept accepting, and concurrent requests queued behind it while another
    worker waited)."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self._settings: dict[str | None, Settings] = {}

    def settings(self, platform: str | None) -> Settings:
        if platform not in self._settings:
            overrides = dict(self.options.overrides)
            if platform:
                overrides["platform"] = platform
            self._settings[platform] = build_settings(self.options.config, **overrides)
        return self._settings[platform]

    def _check(self, items: list[tuple[str, bytes | Path, str]], settings: Settings) -> Any:
        results: list[ImageResult] = [
            check_image(source, role, settings, path=name) for name, source, role in items
        ]
        return build_report(results, settings)

    async def respond(self, request: Request, items: list[tuple[str, bytes | Path, str]]
                      ) -> JSONResponse:
        try:
            settings = self.settings(request.query_params.get("platform"))
        except ConfigError as exc:
            return _error(400, _say(request, reason(exc)))
        lang = _lang(request, self.options)
        report = replace(self._check(items, settings), lang=lang)
        unreadable = any(r.unreadable for r in report.images)
        return JSONResponse(report_dict(report), status_code=422 if unreadable else 200)


def _role(value: str | None, default: str) -> str:
    if value is None:
        return default
    role = ROLE_NAMES.get(value.strip().lower())
    if role is None:
        raise HTTPException(400, msg('unknown role "{role}"; use one of {roles}', role=value,
                                     roles=", ".join(ROLES)))
    return role


def _inside_root(options: ServeOptions, raw: object) -> Path:
    """The file ``raw`` names under the root, as named (a link is read as scan reads it:
    a dangling one is reported as such), if where it leads is inside the root."""
    if options.root is None:
        raise HTTPException(403, msg("file-system paths are not accepted; start the server"
                                     " with --root DIR to allow files inside DIR"))
    if not isinstance(raw, str) or not raw:
        raise HTTPException(400, msg("a path must be non-empty text"))
    root = real_path(options.root)
    path = root / raw
    if not real_path(path).is_relative_to(root):
        raise HTTPException(403, msg('"{path}" is outside the served root', path=raw))
    return path


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, msg("request body over the limit of {limit:,} bytes", limit=limit))


async def _body(request: Request, limit: int) -> bytes:
    """The raw body, refused (413) past ``limit`` bytes whatever the headers claim."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _uploads(request: Request, limit: int) -> list[tuple[str, str, bytes]]:
    """``(field, file name, bytes)`` of each file in a multipart form."""
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise HTTPException(411, msg("a multipart request needs a Content-Length"))
    if int(declared) > limit:
        raise _too_large(limit)
    form = await request.form(max_files=MAX_FILES, max_part_size=limit)
    files = []
    for field, value in form.multi_items():
        if isinstance(value, UploadFile):
            files.append((field, value.filename or field, await value.read()))
    if not files:
        raise HTTPException(400, msg("the form holds no file"))
    return files


async def check(request: Request) -> JSONResponse:
    """One image: raw body, first file of a form, or ``{"path": ...}`` under --root."""
    checker: _Checker = request.app.state.checker
    limit = checker.options.max_body
    role = _role(request.query_params.get("role"), "main")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        _, name, data = (await _uploads(request, limit))[0]
        return await checker.respond(request, [(name, data, role)])
    if kind == "application/json":
        body = json.loads(await _body(request, limit) or b"{}")
        path = _inside_root(checker.options, body.get("path") if isinstance(body, dict) else None)
        return await checker.respond(request, [(str(path), path, role)])
    if kind.startswith("image/") or kind == "application/octet-stream":
        data = await _body(request, limit)
        name = request.query_params.get("name") or "<upload>"
        return await checker.respond(request, [(name, data, role)])
    raise HTTPException(415, msg("send the image as image/*, multipart/form-data or (with"
                                 " --root) application/json"))


async def check_listing(request: Request) -> JSONResponse:
    """Several images: multipart files (field name = role) or ``{"paths": [...]}``."""
    checker: _Checker = request.app.state.checker
    limit = checker.options.max_body
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    items: list[tuple[str, bytes | Path, str]] = []
    if kind == "application/json":
        body = json.loads(await _body(request, limit) or b"{}")
        paths = body.get("paths") if isinstance(body, dict) else None
        if not isinstance(paths, list) or not paths or len(paths) > MAX_FILES:
            raise HTTPException(400, msg('give "paths": a list of 1 to {n} files', n=MAX_FILES))
        for i, raw in enumerate(paths):
            path = _inside_root(checker.options, raw)
            items.append((str(path), path, "main" if i == 0 else "carousel"))
    elif kind == "multipart/form-data":
        uploads = await _uploads(request, limit)
        named = [(name, data, ROLE_NAMES.get(field.lower())) for field, name, data in uploads]
        has_main = any(role == "main" for _, _, role in named)
        for name, data, role in named:
            if role is None:
                role = "carousel" if has_main else "main"
                has_main = True
            items.append((name, data, role))
    else:
        raise HTTPException(415, msg("send the images as multipart/form-data or (with"
                                     " --root) application/json"))
    return await checker.respond(request, items)


async def health(request: Request) -> JSONResponse:
    checker: _Checker = request.app.state.checker
    settings = checker.settings(None)
    backend = get_backend(settings.analysis.ocr)  # loaded at start
    return JSONResponse({"status": "ok", "version": __version__, "pid": os.getpid(),
                         "platform": settings.platform, "ocr": settings.analysis.ocr,
                         "ocr_runtime": {m.name: m.runtime for m in backend.models()}
                         if backend else {},
                         "threads": checker.options.threads})


async def rules(request: Request) -> JSONResponse:
    checker: _Checker = request.app.state.checker
    lang = _lang(request, checker.options)
    return JSONResponse([{"code": r.code, "name": r.name, "category": r.category,
                          "severity": str(r.severity),
                          "summary": translate_doc(r.summary, lang)}
                         for r in all_rules()])


def _say(request: Request, text: str) -> str:
    """``text`` in the language of ``request`` (the server's where it names a bad one)."""
    options: ServeOptions = request.app.state.checker.options
    try:
        return translate(text, _lang(request, options))
    except HTTPException:
        return translate(text, options.lang)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return _error(exc.status_code, _say(request, exc.detail))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    return _error(500, _say(request, msg("internal error: {error}",
                                         error=f"{type(exc).__name__}: {exc}")))


async def _bad_json(request: Request, exc: Exception) -> JSONResponse:
    return _error(400, _say(request, msg("the body is not valid JSON: {error}", error=str(exc))))


def create_app(options: ServeOptions | None = None) -> Starlette:
    """The ASGI app; ``options`` default to those the ``serve`` command put in the
    environment (each uvicorn worker process builds its own app, and loads the models at
    start)."""
    options = options or ServeOptions.from_env()
    checker = _Checker(options)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        # Requests run one at a time in each worker process, on its share of the cores
        # (options.threads): more threads would only contend with the other workers.
        cv2.setNumThreads(options.threads)
        analysis = checker.settings(None).analysis
        preflight(analysis, options.threads)  # OCR models and logo files, now
        get_backend(analysis.ocr)  # the models loaded before the first request
        yield

    app = Starlette(
        routes=[Route("/check", check, methods=["POST"]),
                Route("/check-listing", check_listing, methods=["POST"]),
                Route("/health", health, methods=["GET"]),
                Route("/rules", rules, methods=["GET"])],
        exception_handlers={HTTPException: _http_error, json.JSONDecodeError: _bad_json,
                            Exception: _unexpected},
        lifespan=lifespan,
    )
    app.state.checker = checker
    return app
