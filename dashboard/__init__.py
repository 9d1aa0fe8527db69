"""The operators' dashboard (Streamlit): what is watched, what happened, ask about it, read the reports.

``streamlit run dashboard/app.py``. Pages: Sources, Timeline, Graph, Ask, Reports, Alerts
(``dashboard/views``). Every page reads through :mod:`dashboard.data`: the query layer in-process on the
embedded default, the REST API in service mode (``VIDGRAPH_DASHBOARD_API_URL``). Plots are Plotly. With
``VIDGRAPH_DASHBOARD_PASSWORD`` set, nothing is shown before the password is given.
"""
