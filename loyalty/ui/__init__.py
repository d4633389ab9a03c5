"""Streamlit widgets shared by the pages. Only the app imports this package."""
