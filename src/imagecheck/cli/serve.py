"""``imagecheck serve``: a warm local service for upload tools (extra ``[serve]``)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from imagecheck.analysis.ocr import OCR_CHOICES, inference_threads
from imagecheck.cli.help import Command
from imagecheck.cli.options import THREADS_HELP, UsageError, echo, lang_option, resolve_settings
from imagecheck.i18n import msg, nmsg


@click.command(cls=Command)
@lang_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (the default takes no connection from other machines).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes, each with its own loaded models.")
@click.option("--threads", type=click.IntRange(min=0), default=None, help=THREADS_HELP)
@click.option("--root", type=click.Path(exists=True, file_okay=False),
              help="Also accept JSON requests naming files, for files inside this folder only.")
@click.option("--max-body-mb", type=click.FloatRange(min=0.1), default=20, show_default=True,
              help="Largest request body, in MiB.")
@click.option("--platform", "-p", help="Default platform profile [default: pdd]; a request's"
              " ?platform= overrides it.")
@click.option("--ocr", type=click.Choice(OCR_CHOICES), help="OCR backend [default: rapidocr].")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Configuration file (imagecheck.toml or pyproject.toml).")
def serve(host: str, port: int, workers: int, threads: int | None, root: str | None,
          max_body_mb: float, platform: str | None, ocr: str | None,
          config_file: str | None, lang: str) -> None:
    """Serve checks over HTTP: POST an image, get the scan's JSON back.

    Endpoints: POST /check?platform=pdd&role=main (the image as the raw body or a
    multipart file), POST /check-listing (multipart files; field name = role), GET
    /health, GET /rules. Models load when each worker starts, so every answer is warm.

    Messages are in --lang unless a request asks for another with ?lang=zh or ?lang=en.

    \b
    Example:
      imagecheck serve --port 8000 --workers 2
      curl --data-binary @main.jpg -H 'Content-Type: image/jpeg' \\
           'http://127.0.0.1:8000/check?platform=pdd&role=main'
    """
    try:
        import uvicorn

        from imagecheck.serve import OPTIONS_ENV, ServeOptions
    except ImportError as exc:
        raise UsageError(msg("serve needs the [serve] extra: pip install 'imagecheck[serve]'"
                             " ({error})", error=str(exc))) from None
    overrides = {k: v for k, v in (("platform", platform), ("ocr", ocr)) if v is not None}
    # A bad setting stops here.
    _, config, settings = resolve_settings(config_file, threads=threads, **overrides)
    options = ServeOptions(config, overrides, str(Path(root).resolve()) if root else None,
                           int(max_body_mb * 1024 * 1024), lang,
                           inference_threads(workers, settings.threads))
    os.environ[OPTIONS_ENV] = options.to_env()
    echo(nmsg("imagecheck serve on http://{host}:{port} ({n} worker); Ctrl-C stops",
              "imagecheck serve on http://{host}:{port} ({n} workers); Ctrl-C stops",
              host=host, port=port, n=workers), err=True)
    uvicorn.run("imagecheck.serve:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning")
