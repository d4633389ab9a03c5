"""Assessments to and from plain JSON-friendly dicts (the database payload and the export format)."""

from __future__ import annotations

import io
import json
from dataclasses import fields
from datetime import date, datetime
from typing import Any

import pandas as pd

from loyalty.drivers._util import jsonable
from loyalty.store.errors import StoreError
from loyalty.store.model import STATUSES, Action, Assessment

#: Fields of the payload column: everything except the indexed columns, the actions
#: (their own table since schema v2) and raw data (its own table since v3).
PAYLOAD_FIELDS: tuple[str, ...] = (
    "mappings",
    "fingerprints",
    "kpis",
    "diagnosis",
    "strategies",
    "assumptions",
    "notes",
)
#: Marker set on raw frames that are already pseudonymised, so re-saving never hashes twice.
PSEUDONYMISED = "loyalty_pseudonymised"


def dumps(value: Any) -> str:
    """Return compact JSON; numpy values become plain numbers, NaN becomes null, dates ISO text."""
    return json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False, default=_default, sort_keys=True)


def _default(value: Any) -> Any:
    if isinstance(value, date | datetime | pd.Timestamp):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def iso(value: date | datetime | None) -> str | None:
    """Return ISO text of a date or datetime (None stays None)."""
    return None if value is None else value.isoformat()


def parse_datetime(value: Any, name: str) -> datetime:
    """Return a datetime from ISO text; StoreError naming the field when it is not one."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as err:
        raise StoreError("store.error.bad_value", field=name, value=str(value)) from err


def parse_date(value: Any, name: str) -> date | None:
    """Return a date from ISO text, or None for an empty value."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise StoreError("store.error.bad_value", field=name, value=str(value)) from err


def check_status(status: Any) -> str:
    """Return ``status`` when it is a known action status; StoreError otherwise."""
    if status not in STATUSES:
        raise StoreError("store.error.bad_status", status=str(status), allowed=", ".join(STATUSES))
    return status


def action_to_dict(action: Action) -> dict[str, Any]:
    """Return one action as JSON-friendly data."""
    return {
        "strategy": action.strategy,
        "action": action.action,
        "owner": action.owner,
        "start": iso(action.start),
        "due": iso(action.due),
        "kpi": action.kpi,
        "target": action.target,
        "status": action.status,
    }


def action_from_dict(data: dict[str, Any]) -> Action:
    """Return an action from :func:`action_to_dict` output; StoreError on bad values."""
    if not isinstance(data, dict) or "strategy" not in data or "action" not in data:
        raise StoreError("store.error.bad_value", field="actions", value=str(data)[:80])
    target = data.get("target")
    if target is not None and (isinstance(target, bool) or not isinstance(target, int | float)):
        raise StoreError("store.error.bad_value", field="target", value=str(target))
    return Action(
        strategy=str(data["strategy"]),
        action=str(data["action"]),
        owner=str(data.get("owner") or ""),
        start=parse_date(data.get("start"), "start"),
        due=parse_date(data.get("due"), "due"),
        kpi=str(data.get("kpi") or ""),
        target=None if target is None else float(target),
        status=check_status(data.get("status", "todo")),
    )


def payload(a: Assessment) -> dict[str, Any]:
    """Return the JSON payload part of an assessment."""
    return {name: getattr(a, name) for name in PAYLOAD_FIELDS}


def frame_to_json(frame: pd.DataFrame) -> str:
    """Return a frame as JSON that keeps column types (pandas' table schema).

    The table schema has one datetime type, so the resolution of each datetime column
    (``ns``, ``us``, ...) is recorded next to it and restored on reading.
    """
    units = {str(c): str(t) for c, t in frame.dtypes.items() if str(t).startswith("datetime64")}
    table = json.loads(frame.to_json(orient="table", date_format="iso", date_unit="ns", index=False))
    return json.dumps({"datetime_dtypes": units, "table": table}, ensure_ascii=False)


def frame_from_json(text: str) -> pd.DataFrame:
    """Return the frame of :func:`frame_to_json`, marked as already pseudonymised."""
    document = json.loads(text)
    frame = pd.read_json(io.StringIO(json.dumps(document["table"])), orient="table")
    for column, dtype in document.get("datetime_dtypes", {}).items():
        if column in frame.columns:
            frame[column] = frame[column].astype(dtype)
    frame.attrs[PSEUDONYMISED] = True
    return frame


def assessment_to_dict(a: Assessment) -> dict[str, Any]:
    """Return the whole assessment (raw frames as table-schema JSON text) for export."""
    out = {
        "id": a.id,
        "client": a.client,
        "title": a.title,
        "created": iso(a.created),
        "updated": iso(a.updated),
        "lang": a.lang,
        "business_type": a.business_type,
        **payload(a),
        "actions": [action_to_dict(x) for x in a.actions],
        "raw": None if a.raw is None else {kind: frame_to_json(f) for kind, f in a.raw.items()},
    }
    return json.loads(dumps(out))


_TYPES: dict[str, type | tuple[type, ...]] = {
    "client": str,
    "title": str,
    "lang": str,
    "notes": str,
    "mappings": dict,
    "fingerprints": dict,
    "kpis": dict,
    "diagnosis": dict,
    "assumptions": dict,
    "strategies": list,
}


def assessment_from_dict(data: Any) -> Assessment:
    """Return an assessment from :func:`assessment_to_dict` output; StoreError on anything invalid."""
    if not isinstance(data, dict):
        raise StoreError("store.error.bad_value", field="assessment", value=type(data).__name__)
    for name in ("client", "title", "created"):
        if not data.get(name):
            raise StoreError("store.error.missing_field", field=name)
    for name, kind in _TYPES.items():
        if name in data and data[name] is not None and not isinstance(data[name], kind):
            raise StoreError("store.error.bad_value", field=name, value=str(data[name])[:80])
    known = {f.name for f in fields(Assessment)} - {"actions", "raw", "created", "updated", "id"}
    values = {name: data[name] for name in known if data.get(name) is not None}
    actions = data.get("actions") or []
    if not isinstance(actions, list):
        raise StoreError("store.error.bad_value", field="actions", value=str(actions)[:80])
    raw = data.get("raw")
    if raw is not None and not isinstance(raw, dict):
        raise StoreError("store.error.bad_value", field="raw", value=str(raw)[:80])
    return Assessment(
        **values,
        created=parse_datetime(data["created"], "created"),
        updated=parse_datetime(data["updated"], "updated") if data.get("updated") else None,
        id=data.get("id"),
        actions=[action_from_dict(x) for x in actions],
        raw=None if raw is None else {kind: _raw_frame(kind, text) for kind, text in raw.items()},
    )


def _raw_frame(kind: str, text: Any) -> pd.DataFrame:
    try:
        return frame_from_json(str(text))
    except (ValueError, KeyError, TypeError) as err:
        raise StoreError("store.error.bad_value", field=f"raw.{kind}", value=str(text)[:40]) from err
