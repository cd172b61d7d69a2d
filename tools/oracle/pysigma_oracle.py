#!/usr/bin/env python3
"""Reference oracle for Vigie, built on pySigma and its SQLite backend.

Given Sigma rule folders and EVTX files, print every (rule id, file, event record id)
triple where a rule matches an event, as pySigma's SQLite backend sees it:

    python pysigma_oracle.py --rules DIR [--rules DIR ...] --out TRIPLES.jsonl \
        [--errors ERRORS.jsonl] [--base BASEDIR] [--sample N] EVTX_OR_DIR...

How it works (see README.md next to this file for the details and the known defects):

1. Every EVTX record is read with the `evtx` package (pyevtx-rs, the Python binding of the
   Rust `evtx` crate; `PyEvtxParser(path).records_json()`) and flattened into ONE flat row
   (field -> value) by `flatten_event`, using the convention Vigie uses too.
2. All rows go into one in-memory SQLite table named `logs` (the backend's default table),
   one column per field name seen, every column `COLLATE NOCASE`, plus the bookkeeping
   columns `_oracle_file` and `_oracle_record_id`. A Python `REGEXP` function is registered.
3. Every `*.yml` under the `--rules` folders is loaded with pySigma; correlation and filter
   documents are skipped. Each rule is converted to SQL by pySigma's SQLite backend with the
   processing pipelines below, and each query is run once over the whole table.

Pipelines. pySigma-pipeline-sysmon's `sysmon` pipeline and pySigma-pipeline-windows'
`windows-audit` pipeline both add an `EventID` condition for the generic `process_creation`
category (1 and 4688 respectively), and both rewrite the log source (to service `sysmon`
and service `security`). Combined in one pipeline, the two conditions are ANDed
(`EventID=1 AND EventID=4688`), which never matches, and only one of the two log source
rewrites can take effect. So each rule is converted up to twice and the matches are united:

  * variant "sysmon": sysmon + windows-logsources, for every rule. The sysmon items run first,
    so a generic category becomes `EventID=<n>` plus service `sysmon`, for which
    windows-logsources then adds `Channel='Microsoft-Windows-Sysmon/Operational'`. Rules that
    already name a service (security, system, powershell, ...) only get their Channel.
  * variant "audit": windows-audit + windows-logsources, only for rules with `product: windows`
    and a category given to --audit-categories among those windows-audit maps (process_creation -> Security 4688 with
    Image->NewProcessName, ParentImage->ParentProcessName, LogonId->SubjectLogonId; and, as
    the pipeline also does, registry_event/registry_set/registry_add -> Security 4657 with
    Image->ProcessName, TargetObject->ObjectName, Details->NewValue). windows-logsources then
    adds `Channel='Security'`. Only process_creation by default (what Vigie maps); the
    registry categories are opt-in with `--audit-categories`.

A rule that references a field no event has gets `NULL` in place of the column (what
pySigma-backend-sqlite's own runtime does by adding NULL columns, without hitting SQLite's
2000-column limit); field names are looked up case-insensitively and without spaces, like
SQLite identifiers and like the event flattening.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from evtx import PyEvtxParser
from sigma.backends.sqlite import sqliteBackend
from sigma.collection import SigmaCollection
from sigma.exceptions import SigmaRuleLocation
from sigma.pipelines.sysmon import sysmon_pipeline
from sigma.pipelines.windows import windows_audit_pipeline, windows_logsource_pipeline
from sigma.pipelines.windows.windows import generic_logsource_to_windows_audit_event_mapping
from sigma.rule import SigmaRule

TABLE = sqliteBackend.table  # "logs": the backend's default table name
FILE_COL = "_oracle_file"
RECORD_COL = "_oracle_record_id"
# Separator used when an unnamed EventData <Data> list (or any list of scalars) is stored in
# one field: the elements joined with a newline.
LIST_JOIN = "\n"
AUDIT_CATEGORIES = tuple(generic_logsource_to_windows_audit_event_mapping)

# ---------------------------------------------------------------------------------------------
# Event flattening (the convention Vigie uses as well)
# ---------------------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    """An event value as stored: bool -> 'true'/'false' (its JSON spelling), the rest as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Row:
    """Field -> value, first writer wins (System fields are written first)."""

    __slots__ = ("fields",)

    def __init__(self) -> None:
        self.fields: Dict[str, Any] = {}

    def put(self, name: str, value: Any) -> None:
        if value is None:
            return
        name = name.replace(" ", "")
        if not name or name in self.fields:
            return
        self.fields[name] = _scalar(value)


def _join_list(values: List[Any]) -> Optional[str]:
    parts = [str(_scalar(v)) for v in values if v is not None]
    return LIST_JOIN.join(parts) if parts else None


def _data_value(row: _Row, name: str, value: Any) -> None:
    """One named value inside EventData/UserData (or another Event child)."""
    if isinstance(value, dict):
        if "#text" in value:  # <Elem attr=..>text</Elem>: the text, attributes dropped
            _data_fields(row, {"#text": value["#text"]}, name)
        else:  # a nested element: its children, by their own (leaf) names
            _data_fields(row, value, name)
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            row.put(name, _join_list(value))
        else:
            for item in value:
                _data_value(row, name, item)
    else:
        row.put(name, value)


def _data_fields(row: _Row, value: Any, name: str) -> None:
    """EventData/UserData content: named children by name, `#text` under `name`.

    Attributes (`#attributes`) of EventData, UserData and their elements are dropped.
    """
    if value is None:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "#attributes":
                continue
            if key == "#text":
                if isinstance(child, list):
                    row.put(name, _join_list(child))
                elif not isinstance(child, dict):
                    row.put(name, child)
                continue
            _data_value(row, key, child)
    elif isinstance(value, list):
        _data_value(row, name, value)
    else:
        row.put(name, value)


def _system_field(row: _Row, name: str, value: Any) -> None:
    if isinstance(value, dict):
        if "#text" in value:
            text = value["#text"]
            row.put(name, _join_list(text) if isinstance(text, list) else text)
        attrs = value.get("#attributes")
        if isinstance(attrs, dict):
            for attr, attr_value in attrs.items():
                row.put(f"{name}_{attr}", attr_value)
        for key, child in value.items():
            if key not in ("#text", "#attributes"):
                _system_field(row, f"{name}_{key}", child)
    elif isinstance(value, list):
        row.put(name, _join_list(value))
    else:
        row.put(name, value)


def flatten_event(event: Dict[str, Any]) -> Dict[str, Any]:
    """Flatten the evtx crate's JSON of one record into a flat dict field -> value.

    Same convention as Vigie (crates/vigie-event/src/flatten.rs, `flatten_evtx_json`):

    * Event.System: a scalar child -> field with its name; an object child -> one field per
      attribute named `Child_Attr`, and its `#text`, if any, -> field `Child`
      (EventID with Qualifiers -> EventID = text, EventID_Qualifiers = attribute); a nested
      element under a System child -> `Child_Elem` (none seen in practice).
    * Event.EventData: each named child -> field with that name; a `{"#text": ..}` object under
      a key -> the key (its attributes dropped); a nested object without `#text` -> its
      children by their own (leaf) names, recursively; unnamed data (`Data` with `#text`, or a
      bare `#text` of EventData) -> field `Data`. Lists of scalars are joined with "\n".
    * Event.UserData: for its child element(s) (e.g. <LogFileCleared>), the same as EventData.
    * Any other child of Event (RenderingInfo, ProcessingErrorData, ...): as EventData.
    * Attributes are kept only under System; null values are absent (SQL NULL); spaces are
      removed from names; booleans are stored as 'true'/'false'; the first value written for a
      name wins (System first, then Event's other children in document order).
    """
    row = _Row()
    root = event.get("Event", event) if isinstance(event, dict) else None
    if not isinstance(root, dict):
        return {}
    system = root.get("System")
    if isinstance(system, dict):
        for name, value in system.items():
            _system_field(row, name, value)
    for key, value in root.items():
        if key in ("System", "#attributes"):
            continue
        if key == "EventData":
            _data_fields(row, value, "Data")
        elif key == "UserData":
            if isinstance(value, dict):
                for child_key, child in value.items():
                    if child_key != "#attributes":
                        _data_fields(row, child, child_key)
        else:
            _data_fields(row, value, key)
    return row.fields


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def find_files(paths: Iterable[str], suffix: str) -> List[Path]:
    found = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in path.rglob("*"):
                if child.is_file() and child.name.lower().endswith(suffix):
                    found.add(child)
        elif path.is_file():
            found.add(path)
        else:
            raise SystemExit(f"error: no such file or directory: {p}")
    return sorted(found, key=lambda x: str(x))


def display_path(path: Path, base: Optional[str]) -> str:
    if base:
        return os.path.relpath(str(path), base)
    return str(path)


def sample_files(files: List[Path], n: Optional[int]) -> List[Path]:
    """Deterministic sample of about n files: every k-th file by sorted path, k=ceil(len/n)."""
    if not n or n <= 0 or n >= len(files):
        return files
    k = math.ceil(len(files) / n)
    return files[::k]


# ---------------------------------------------------------------------------------------------
# SQLite table
# ---------------------------------------------------------------------------------------------


def _qident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_REGEX_CACHE: Dict[str, "re.Pattern[str]"] = {}
_REGEX_ERRORS: Dict[str, str] = {}


def sql_regexp(pattern: Any, value: Any) -> Optional[int]:
    """`value REGEXP pattern`: Python `re.search` (unanchored), NULL for a NULL value."""
    if value is None or pattern is None:
        return None
    compiled = _REGEX_CACHE.get(pattern)
    if compiled is None:
        try:
            compiled = re.compile(pattern)
        except re.error as e:
            _REGEX_ERRORS[pattern] = str(e)
            raise
        _REGEX_CACHE[pattern] = compiled
    return 1 if compiled.search(value if isinstance(value, str) else str(value)) else 0


class EventTable:
    def __init__(self, affinity: str) -> None:
        self.affinity = affinity  # "none" (values keep their JSON type) or "text"
        self.conn = sqlite3.connect(":memory:")
        self.conn.create_function("REGEXP", 2, sql_regexp, deterministic=True)
        self.columns: Dict[str, str] = {}  # lower-case name -> column name (first spelling)
        self.rows: List[Tuple[str, int, Dict[str, Any]]] = []

    def add(self, file: str, record_id: int, fields: Dict[str, Any]) -> None:
        norm: Dict[str, Any] = {}
        for name, value in fields.items():
            col = self.columns.setdefault(name.lower(), name)
            if col in norm:  # two names differing only in case: first wins
                continue
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                value = str(value)
            if self.affinity == "text" and not isinstance(value, str):
                value = str(value)
            norm[col] = value
        self.rows.append((file, record_id, norm))

    def build(self) -> None:
        cols = [c for c in self.columns.values() if c.lower() not in (FILE_COL, RECORD_COL)]
        self.columns = {c.lower(): c for c in cols}
        decl = "TEXT COLLATE NOCASE" if self.affinity == "text" else "COLLATE NOCASE"
        defs = [f"{_qident(FILE_COL)} TEXT", f"{_qident(RECORD_COL)} INTEGER"] + [
            f"{_qident(c)} {decl}" for c in cols
        ]
        self.conn.execute(f"CREATE TABLE {TABLE} ({', '.join(defs)})")
        names = [FILE_COL, RECORD_COL] + cols
        placeholders = ", ".join("?" * len(names))
        sql = f"INSERT INTO {TABLE} ({', '.join(_qident(n) for n in names)}) VALUES ({placeholders})"
        self.conn.executemany(
            sql, ((f, r, *(d.get(c) for c in cols)) for f, r, d in self.rows)
        )
        self.conn.commit()
        self.rows = []


def _record_id(fields: Dict[str, Any], record: Dict[str, Any]) -> int:
    """The record's System/EventRecordID (as Vigie reports it), else the record header's number.

    They differ for exported/filtered logs: the header numbers records from 1 again while the
    XML keeps the original EventRecordID.
    """
    value = fields.get("EventRecordID")
    try:
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            return int(value)
    except ValueError:
        pass
    return int(record["event_record_id"])


def load_events(
    files: List[Path], base: Optional[str], table: EventTable, errors: List[dict]
) -> int:
    count = 0
    for path in files:
        shown = display_path(path, base)
        try:
            records = iter(PyEvtxParser(str(path)).records_json())
        except Exception as e:  # a file the parser rejects
            errors.append({"rule_id": None, "file": shown, "stage": "evtx", "error": repr(e)})
            continue
        consecutive_errors = 0
        while consecutive_errors < 1000:
            try:
                # The iterator raises for a record it cannot parse and goes on with the next.
                record = next(records)
                fields = flatten_event(json.loads(record["data"]))
                record_id = _record_id(fields, record)
            except StopIteration:
                break
            except Exception as e:  # a record the parser cannot render
                errors.append({"rule_id": None, "file": shown, "stage": "evtx", "error": repr(e)})
                consecutive_errors += 1
                continue
            consecutive_errors = 0
            table.add(shown, record_id, fields)
            count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------


class OracleBackend(sqliteBackend):
    """pySigma's SQLite backend, unchanged except for how a field name becomes a column.

    A field that is not a column of the table becomes the literal NULL, i.e. the value of a
    NULL column (pySigma-backend-sqlite's runtime adds such columns as NULL; doing it here
    keeps the table under SQLite's 2000-column limit). Column lookup ignores case (SQLite
    identifiers do) and spaces (removed from event field names too).
    """

    def __init__(self, processing_pipeline, columns: Dict[str, str], **options):
        self.oracle_columns = columns
        self.oracle_missing: set = set()
        super().__init__(processing_pipeline, **options)

    def escape_and_quote_field(self, field):
        col = self.oracle_columns.get(field.replace(" ", "").lower())
        if col is None:
            self.oracle_missing.add(field)
            return "NULL"
        return super().escape_and_quote_field(col)

    def resolve_table(self, state=None):
        return TABLE


def rule_variants(
    rule: SigmaRule, audit_categories: Tuple[str, ...]
) -> List[str]:
    names = ["sysmon"]
    ls = rule.logsource
    if ls.product == "windows" and ls.category in audit_categories:
        names.append("audit")
    return names


def load_rule_file(path: Path) -> Tuple[List[SigmaRule], List[str], int]:
    """Parse one rule file with pySigma; return (rules, errors, skipped documents)."""
    text = path.read_text(encoding="utf-8")
    # Parse the way SigmaCollection.from_yaml does (yaml.safe_load_all + from_dicts), without
    # resolving references (correlations are skipped) and without applying filters.
    collection = SigmaCollection.from_yaml(
        text,
        collect_errors=True,
        source=SigmaRuleLocation(path),
        collect_filters=True,
        resolve_references=False,
    )
    rules: List[SigmaRule] = []
    errors = [str(e) for e in collection.errors]
    skipped = len(getattr(collection, "filters", None) or [])
    for item in collection.rules:
        if isinstance(item, SigmaRule):
            rules.append(item)
        else:
            skipped += 1
    return rules, errors, skipped


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", action="append", required=True, metavar="DIR", help="rule folder or file (repeatable)")
    ap.add_argument("--out", required=True, help="output JSONL of {rule_id, file, record_id}")
    ap.add_argument("--errors", help="output JSONL of rules/files that failed")
    ap.add_argument("--base", metavar="DIR", help="write EVTX (and rule) paths relative to this folder")
    ap.add_argument("--sample", type=int, metavar="N", help="use about N EVTX files: every k-th by sorted path")
    ap.add_argument(
        "--unsampled",
        action="append",
        default=[],
        metavar="EVTX_OR_DIR",
        help="EVTX file or folder used in full even with --sample (repeatable); the sample is "
        "taken from the positional inputs only",
    )
    ap.add_argument(
        "--audit-categories",
        default="process_creation",
        help="comma-separated categories also converted with windows-audit (default: "
        "%(default)s; windows-audit also maps " + ",".join(AUDIT_CATEGORIES[1:]) + " to 4657)",
    )
    ap.add_argument(
        "--affinity",
        choices=("text", "none"),
        default="text",
        help="column type: 'text' = TEXT COLLATE NOCASE (values stored as text, Sigma-like "
        "string equality for numbers), 'none' = COLLATE NOCASE only (values keep their JSON type)",
    )
    ap.add_argument(
        "--unmapped-logsource",
        choices=("keep", "drop"),
        default="keep",
        help="a rule whose log source no pipeline item maps (linux, zeek, proxy, windows "
        "file_access, ...) has no Channel/EventID condition and is run over every event "
        "('keep', pySigma's behaviour) or not run at all ('drop')",
    )
    ap.add_argument("--queries", help="also write each rule's SQL and diagnostics as JSONL")
    ap.add_argument(
        "--list-files",
        metavar="FILE",
        help="write the EVTX files used (after --sample), one path a line as found from the "
        "arguments (not made relative to --base), sorted: give them to another tool to run it "
        "on exactly the same files",
    )
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("inputs", nargs="*", metavar="EVTX_OR_DIR")
    args = ap.parse_args(argv)
    if not args.inputs and not args.unsampled:
        ap.error("no EVTX input: give EVTX_OR_DIR or --unsampled")

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    t0 = time.monotonic()
    errors: List[dict] = []

    files = sample_files(find_files(args.inputs, ".evtx"), args.sample) if args.inputs else []
    if args.unsampled:
        files = sorted(set(files) | set(find_files(args.unsampled, ".evtx")), key=lambda x: str(x))
    if args.list_files:
        with open(args.list_files, "w", encoding="utf-8") as out:
            for path in files:
                out.write(f"{path}\n")
    table = EventTable(args.affinity)
    n_events = load_events(files, args.base, table, errors)
    table.build()
    t_events = time.monotonic()
    log(f"events: {n_events} records from {len(files)} files, {len(table.columns)} fields "
        f"({t_events - t0:.1f}s)")

    audit_categories = tuple(c.strip() for c in args.audit_categories.split(",") if c.strip())
    backends = {
        "sysmon": OracleBackend(sysmon_pipeline() + windows_logsource_pipeline(), table.columns),
        "audit": OracleBackend(windows_audit_pipeline() + windows_logsource_pipeline(), table.columns),
    }

    rule_files = find_files(args.rules, ".yml")
    triples = set()
    n_rules = n_converted = n_matching = n_skipped_docs = n_unmapped = 0
    queries_out = open(args.queries, "w", encoding="utf-8") if args.queries else None
    for path in rule_files:
        shown = display_path(path, args.base)
        try:
            rules, load_errors, skipped = load_rule_file(path)
        except Exception as e:
            errors.append({"rule_id": None, "file": shown, "stage": "load", "error": f"{type(e).__name__}: {e}"})
            continue
        n_skipped_docs += skipped
        if load_errors and not rules:
            errors.append({"rule_id": None, "file": shown, "stage": "load", "error": "; ".join(load_errors)})
        for rule in rules:
            n_rules += 1
            rule_id = str(rule.id) if rule.id else shown
            if rule.errors:
                errors.append({"rule_id": rule_id, "file": shown, "stage": "load",
                               "error": "; ".join(f"{type(e).__name__}: {e}" for e in rule.errors)})
                continue
            variants = rule_variants(rule, audit_categories)
            info = {"rule_id": rule_id, "file": shown, "title": rule.title,
                    "logsource": {k: getattr(rule.logsource, k) for k in ("product", "category", "service")
                                  if getattr(rule.logsource, k)},
                    "variants": []}
            matched_any = converted_any = False
            for vi, variant in enumerate(variants):
                # The pipeline mutates the rule, so each variant gets its own copy.
                r = rule if vi == len(variants) - 1 else _copy_rule(rule)
                backend = backends[variant]
                backend.oracle_missing = set()
                try:
                    queries = backend.convert_rule(r)
                except Exception as e:
                    errors.append({"rule_id": rule_id, "file": shown, "stage": "convert",
                                   "variant": variant, "error": f"{type(e).__name__}: {e}"})
                    info["variants"].append({"name": variant, "error": f"{type(e).__name__}: {e}"})
                    continue
                converted_any = True
                applied = sorted(backend.last_processing_pipeline.applied_ids)
                vinfo = {"name": variant, "queries": queries, "applied": applied,
                         "logsource_mapped": bool(applied),
                         "missing_fields": sorted(backend.oracle_missing), "matches": 0}
                if not applied:
                    n_unmapped += 1
                    if args.unmapped_logsource == "drop":
                        vinfo["dropped"] = True
                        info["variants"].append(vinfo)
                        continue
                for q in queries:
                    prefix = f"SELECT * FROM {TABLE} WHERE "
                    if not isinstance(q, str) or not q.startswith(prefix):
                        errors.append({"rule_id": rule_id, "file": shown, "stage": "convert",
                                       "variant": variant, "error": f"unexpected query shape: {q!r}"[:500]})
                        continue
                    sql = f"SELECT {FILE_COL}, {RECORD_COL} FROM {TABLE} WHERE " + q[len(prefix):]
                    try:
                        rows = table.conn.execute(sql).fetchall()
                    except Exception as e:
                        msg = f"{type(e).__name__}: {e}"
                        if _REGEX_ERRORS:
                            msg += " (regex errors: " + "; ".join(
                                f"{p!r}: {m}" for p, m in _REGEX_ERRORS.items()) + ")"
                            _REGEX_ERRORS.clear()
                        errors.append({"rule_id": rule_id, "file": shown, "stage": "query",
                                       "variant": variant, "error": msg})
                        continue
                    vinfo["matches"] += len(rows)
                    for f, rec in rows:
                        triples.add((rule_id, f, rec))
                    matched_any = matched_any or bool(rows)
                info["variants"].append(vinfo)
            n_converted += converted_any
            n_matching += matched_any
            if queries_out:
                queries_out.write(json.dumps(info, ensure_ascii=False) + "\n")
    if queries_out:
        queries_out.close()
    t_rules = time.monotonic()

    with open(args.out, "w", encoding="utf-8") as out:
        for rule_id, f, rec in sorted(triples):
            out.write(json.dumps({"rule_id": rule_id, "file": f, "record_id": rec}, ensure_ascii=False) + "\n")
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as out:
            for e in errors:
                out.write(json.dumps(e, ensure_ascii=False) + "\n")
    stages: Dict[str, int] = {}
    for e in errors:
        stages[e["stage"]] = stages.get(e["stage"], 0) + 1
    log(f"rules: {n_rules} loaded from {len(rule_files)} files ({n_skipped_docs} correlation/filter "
        f"documents skipped), {n_converted} converted, {n_matching} matched, {n_unmapped} with an "
        f"unmapped log source ({args.unmapped_logsource}) ({t_rules - t_events:.1f}s)")
    log(f"triples: {len(triples)}; errors by stage: {stages}; total {time.monotonic() - t0:.1f}s")
    return 0


def _copy_rule(rule: SigmaRule) -> SigmaRule:
    """An unprocessed copy of a rule (processing pipelines mutate rules in place)."""
    return copy.deepcopy(rule)


if __name__ == "__main__":
    sys.exit(main())
