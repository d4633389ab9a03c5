"""Loyalty Playbook: from raw customer data to a loyalty action plan.

The package is a plain library (pandas, numpy, scipy, statsmodels). It never
imports streamlit, except in :mod:`loyalty.ui`, which only the app uses.
"""

__version__ = "0.1.0"
