"""What every page shares: the backend (one per server process), the password gate, small formatting."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from common.text import clock
from dashboard.data import Backend, backend_for
from ingest.clip import cut
from ingest.errors import VideoInputError
from pipeline.settings import Settings


@st.cache_resource
def backend() -> Backend:
    return backend_for(Settings())


def settings() -> Settings:
    return backend().settings


def require_password() -> bool:
    """True when the visitor may see the dashboard (no password set, or the right one given)."""
    secret = settings().dashboard.password
    if secret is None or not secret.get_secret_value():
        return True
    if st.session_state.get("authenticated"):
        return True
    given = st.text_input("Password", type="password", key="password")
    if given and hmac.compare_digest(given.encode(), secret.get_secret_value().encode()):
        st.session_state["authenticated"] = True
        st.rerun()
    if given:
        st.error("Wrong password.")
    return False


def span(row: Mapping[str, Any], a: str = "t0", b: str = "t1") -> str:
    return clock(row[a]) if abs(row[b] - row[a]) < 0.05 else f"{clock(row[a])}-{clock(row[b])}"


def stream_names() -> dict[str, str]:
    """Stream id -> the label shown for it: the name and the id, so two files called ``cam.mp4`` from
    different folders never read (or filter) as one."""
    return {s["id"]: label(s["id"], s["name"]) for s in backend().streams()}


def label(stream_id: str, name: str) -> str:
    return name if name == stream_id else f"{name} ({stream_id})"


def analysed_streams_or_stop() -> dict[str, str]:
    """Stream id -> name; a page with nothing to show says so and stops here."""
    names = stream_names()
    if not names:
        st.info("Nothing analysed yet: add a file or a stream on the Sources page.")
        st.stop()
    return names


def play(uri: str | None, t0: float, t1: float) -> bool:
    """Play ``t0``-``t1`` (and a second around it) of a video file this machine can read, as a clip cut from it:
    handing the whole file to ``st.video`` would load every byte of it into memory on each draw. False when
    there is nothing to play here."""
    if not uri or not Path(uri).is_file():
        return False
    try:
        clip, start = cut(Path(uri), t0 - 1.0, t1 + 1.0, settings().data_dir / "clips")
    except VideoInputError as err:
        st.caption(str(err))
        return False
    st.video(str(clip), start_time=int(start))
    return True


def thumbnail(path: str | None, caption: str = "", width: int = 240) -> None:
    data = backend().image(path)
    if data:
        st.image(data, caption=caption, width=width)
