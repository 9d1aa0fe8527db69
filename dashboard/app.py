"""``streamlit run dashboard/app.py``: the password gate, then the pages."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `streamlit run` puts only this folder on the path

import streamlit as st

from dashboard.common import backend, require_password

# a local favicon: with none, Streamlit points the browser at each page's material icon on fonts.gstatic.com
st.set_page_config(page_title="vidgraph", page_icon=str(Path(__file__).with_name("icon.png")), layout="wide")
if require_password():
    pages = [
        st.Page("views/sources.py", title="Sources", icon=":material/videocam:", default=True),
        st.Page("views/live.py", title="Live", icon=":material/live_tv:"),
        st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:"),
        st.Page("views/graph.py", title="Graph", icon=":material/hub:"),
        st.Page("views/entity.py", title="Entity", icon=":material/directions_car:"),
        st.Page("views/ask.py", title="Ask", icon=":material/chat:"),
        st.Page("views/reports.py", title="Reports", icon=":material/description:"),
        st.Page("views/alerts.py", title="Alerts", icon=":material/notifications:"),
    ]
    st.sidebar.caption(f"vidgraph - {backend().mode}")
    st.navigation(pages).run()
