"""The yardstick for cold_start.py: a Streamlit page that draws one small plotly chart."""

import plotly.graph_objects as go
import streamlit as st

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
POSTS = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]

st.plotly_chart(go.Figure(go.Bar(x=MONTHS, y=POSTS)), theme=None)
