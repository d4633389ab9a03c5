"""Altair chart builders shared by the app and the reports."""
