"""Live: a grid of the live streams - what each camera sees now, the latest analysed frame with the tracks in
view boxed (perception works a chunk at a time, so it runs behind "now": both are shown with their times), and
each stream's health (state, frames, drops, reconnects, last frame). Refreshes itself every two seconds."""

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import streamlit as st

from dashboard.common import backend

REFRESH_S = 2.0
COLUMNS = 2

st.title("Live")
data = backend()


def when(meta: Mapping[str, Any]) -> str:
    """The frame's wall-clock time and its age."""
    wall = meta.get("wall")
    if not wall:
        return f"at {meta['t']:.1f} s"
    return f"{datetime.fromtimestamp(wall).strftime('%H:%M:%S')} ({max(0.0, time.time() - wall):.0f} s ago)"


@st.fragment(run_every=REFRESH_S)
def grid() -> None:
    streams = data.live()
    if not streams:
        st.info("No live stream is being read: add one on the Sources page (rtsp://, http(s)://, HLS).")
        return
    st.caption(f"{len(streams)} live stream(s), refreshed every {REFRESH_S:g} s")
    for start in range(0, len(streams), COLUMNS):
        for column, stream in zip(st.columns(COLUMNS), streams[start:start + COLUMNS], strict=False):
            with column, st.container(border=True):
                tile(stream)


def tile(stream: Mapping[str, Any]) -> None:
    st.markdown(f"**{stream['id']}** - {stream['state']}")
    shots = data.snapshots(stream["id"])
    now, analysed = shots.get("now"), shots.get("analysed")
    if now:
        st.image(now["jpeg"], caption=f"now: {when(now)}", width="stretch")
    else:
        st.caption("no frame yet")
    if analysed:
        tracks = ", ".join(t["label"] for t in analysed["tracks"]) or "nothing tracked"
        st.image(analysed["jpeg"], caption=f"analysed: {when(analysed)}; in view: {tracks}", width="stretch")
    last = stream.get("last_frame_wall") or 0.0
    m = st.columns(4)
    m[0].metric("Frames", stream.get("frames", 0))
    m[1].metric("Dropped", stream.get("dropped", 0))
    m[2].metric("Connects", stream.get("connects", 0))
    m[3].metric("Last frame", f"{time.time() - last:.0f} s ago" if last else "-")
    if stream.get("last_error"):
        st.warning(stream["last_error"])


grid()
