"""Loyalty KPIs: NPS, retention, repeat purchase, historical CLV, RFM and feedback."""
