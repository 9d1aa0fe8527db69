"""The Streamlit operator dashboard: not built yet (issue "Streamlit dashboard for operators").

It will use the same query layer as the CLI (:mod:`query`). Nothing in this package is used yet.
"""
