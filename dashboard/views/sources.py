"""Sources: add a file or a stream URL; what is analysed, its state, progress and errors."""

import pandas as pd
import streamlit as st

from common.text import clock
from dashboard.common import backend

st.title("Sources")
data = backend()

with st.form("add-file"):
    st.subheader("Analyse a file")
    path = st.text_input("Video file", placeholder="/media/dock-camera.mp4")
    stream_id = st.text_input("Stream id (optional)")
    if st.form_submit_button("Analyse") and path:
        try:
            st.success(f"started: {data.add_file(path, stream_id or None)}")
        except Exception as err:
            st.error(str(err))

with st.form("add-stream"):
    st.subheader("Watch a live stream")
    url = st.text_input("Stream URL", placeholder="rtsp://camera.local/stream1")
    live_id = st.text_input("Stream id", key="live-id")
    if st.form_submit_button("Watch") and url:
        try:
            st.success(f"started: {data.add_stream(url, live_id)}")
        except Exception as err:
            st.error(str(err))

REFRESH_S = 2.0  # while work runs, the lists below redraw themselves this often


@st.fragment(run_every=REFRESH_S)
def progress() -> None:
    """The streams and the work in progress; reruns on its own while anything is running or live."""
    streams = data.streams()
    st.subheader("Streams")
    if streams:
        table = pd.DataFrame([{"stream": s["id"], "name": s["name"], "kind": s["kind"], "status": s["status"],
                               "length": clock(s["duration"] or 0.0),
                               "no usable video": f"{s['lost']:.1f} s" if s.get("lost") else "",
                               "updated": s["updated"], "error": s["error"]}
                              for s in streams])
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.info("Nothing analysed yet: add a file or a stream above.")
    tasks = data.tasks()
    if tasks:
        st.subheader("Work in progress")
        for task in tasks:
            label = f"{task['kind']} {task['source']}: {task['status']}"
            if task.get("progress") is not None:
                st.progress(min(1.0, float(task["progress"] or 0.0)), text=label)
            else:
                st.write(label + (f" ({task['health']})" if task.get("health") else ""))
            if task.get("error"):
                st.error(task["error"])
    busy = any(t.get("status") in ("queued", "running") for t in tasks) or any(
        s["status"] in ("analyzing", "live") for s in streams)
    st.caption(f"refreshing every {REFRESH_S:g} s" if busy else "up to date")


progress()
