"""Reports: render one now, list, open and download them, and see the schedules."""

import streamlit as st

from dashboard.common import backend, stream_names

st.title("Reports")
data = backend()
names = stream_names()

with st.form("render"):
    st.subheader("Render a report")
    chosen = st.multiselect("Streams (empty: all)", list(names), format_func=lambda s: names[s])
    c1, c2, c3 = st.columns(3)
    since = c1.text_input("Window back from the newest footage", value="24h")
    day = c2.text_input("Or whole days (2025-10-26, Monday, yesterday, last week)", value="")
    fmt = c3.selectbox("Format", ["pdf", "html", "md"])
    if st.form_submit_button("Render"):
        try:
            st.success(f"rendered {data.render_report(chosen or None, since, fmt, day.strip() or None)}")
        except Exception as err:
            st.error(str(err))

st.subheader("Reports")
reports = data.reports()
if not reports:
    st.info("No reports yet.")
for report in reports:
    with st.expander(f"{report['name']} ({report['bytes'] / 1024:.0f} kB)"):
        content = data.report_bytes(report["name"])
        mime = {"pdf": "application/pdf", "html": "text/html", "md": "text/markdown"}[report["name"].rsplit(".", 1)[1]]
        st.download_button("Download", content, file_name=report["name"], mime=mime, key=f"dl-{report['name']}")
        if report["name"].endswith(".md"):
            st.markdown(content.decode())
        elif report["name"].endswith(".html"):
            st.components.v1.html(content.decode(), height=600, scrolling=True)

st.subheader("Schedules")
schedules = data.schedules()
if schedules:
    st.dataframe(schedules, hide_index=True, width="stretch")
else:
    st.caption("No scheduled reports. Add [[service.schedules]] tables to the settings file; Celery beat runs them.")
