"""Serving the workbench: ``gongkai serve`` and the load bench both start it here.

Where gunicorn runs (Linux, macOS) the site is served by gunicorn's pre-forked worker
processes, so every core answers requests (one Python process is held to one core by its
GIL). Elsewhere (Windows) Django's threaded server stands in, with a notice. Static files
are collected into the data directory; WhiteNoise serves them (``wsgi.py``).
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Callable

from gongkai.errors import GongkaiError

# A request may legitimately run long: OCR of an uploaded scan takes seconds per page.
REQUEST_TIMEOUT = 600  # seconds


def default_workers() -> int:
    """One worker per core the process may use, at least two (one long export cannot stall the site)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(2, cores)


def check_address(host: str, port: int) -> None:
    """A Chinese reason now, rather than gunicorn's English retries later, when the address
    cannot be listened on (most often: the workbench is already running on that port)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except (socket.gaierror, UnicodeError):
            raise GongkaiError(f"无法在 {host}:{port} 上提供服务：地址写法不对，请检查 --host") from None
        except OSError as e:
            reason = {
                errno.EADDRINUSE: "端口已被占用（工作台可能已在运行），请用 --port 换一个端口",
                errno.EACCES: "没有权限使用这个端口（1024 以下的端口需要管理员权限），请用 --port 换一个端口",
                errno.EADDRNOTAVAIL: "本机没有这个地址，请检查 --host",
            }.get(e.errno, e.strerror)
            raise GongkaiError(f"无法在 {host}:{port} 上提供服务：{reason}") from None


def serve(host: str, port: int, workers: int, on_ready: Callable[[str], None] = print) -> None:
    """Serve until interrupted. Django must be set up and migrated, the address checked."""
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # never share the parent's connections with forked workers
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:  # gunicorn does not run on Windows
        on_ready(f"本系统上没有 gunicorn，改用 Django 自带的多线程服务（单进程）：{host}:{port}")
        call_command("runserver", f"{host}:{port}", "--noreload", "--insecure", use_threading=True)
        return

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    class Workbench(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", [bind])
            self.cfg.set("workers", workers)
            self.cfg.set("timeout", REQUEST_TIMEOUT)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("proc_name", "gongkai")

        def load(self):
            from gongkai.office.wsgi import application

            return application

    on_ready(f"gunicorn：{workers} 个工作进程，监听 {bind}")
    Workbench().run()
