"""Where case sheets are kept and how long their links last, read from the environment once.

Every value is checked when the settings are read (the Lambda reads them at cold start), so
a wrong one is a configuration error that names the variable, found before any case is
written, never a failure after the record is stored. Hand-checked rather than with
pydantic-settings: the action-group Lambda bundles nothing it can do without.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

# DynamoDB's and S3's naming rules, and SigV4's longest presigned URL (seven days).
_TABLE = re.compile(r"[A-Za-z0-9_.-]{3,255}")
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIX = re.compile(r"([A-Za-z0-9!_.*'()-]+/)*")
_ROLE_ARN = re.compile(r"arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}")
MAX_PRESIGN_SECONDS = 7 * 24 * 3600


class SettingsError(RuntimeError):
    """The environment does not hold a usable configuration; the message names each problem."""


@dataclass(frozen=True)
class CaseSettings:
    table: str
    bucket: str
    prefix: str
    presign_seconds: int
    # The role whose sessions sign the links (set by Terraform); None: the Lambda's own
    # credentials sign them (local mode).
    signing_role_arn: str | None = None


def _presign_seconds(text: str) -> int | str:
    """The number of seconds, or what is wrong with ``text``."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PRESIGN_SECONDS):
        return (
            f"PRESIGN_SECONDS must be whole seconds from 1 to {MAX_PRESIGN_SECONDS}, not {text!r}"
        )
    return int(text)


def case_settings(environ: Mapping[str, str] = os.environ) -> CaseSettings:
    """The settings in ``environ``, or :class:`SettingsError` naming every wrong variable."""
    problems = []
    table, bucket = environ.get("CASE_TABLE", ""), environ.get("CASE_BUCKET", "")
    prefix = environ.get("CASE_PREFIX", "case-sheets/")
    if not table:
        problems.append("CASE_TABLE is not set (the DynamoDB table of case records)")
    elif not _TABLE.fullmatch(table):
        problems.append(f"CASE_TABLE {table[:60]!r} is not a DynamoDB table name")
    if not bucket:
        problems.append("CASE_BUCKET is not set (the S3 bucket of workbooks)")
    elif not _BUCKET.fullmatch(bucket):
        problems.append(f"CASE_BUCKET {bucket[:70]!r} is not an S3 bucket name")
    if not _PREFIX.fullmatch(prefix):
        problems.append(f"CASE_PREFIX {prefix[:60]!r} must be a key prefix ending in /")
    seconds = _presign_seconds(environ.get("PRESIGN_SECONDS", "3600"))
    if isinstance(seconds, str):
        problems.append(seconds)
    role = environ.get("SIGNING_ROLE_ARN") or None
    if role is not None and not _ROLE_ARN.fullmatch(role):
        problems.append(f"SIGNING_ROLE_ARN {role[:80]!r} is not an IAM role ARN")
    if problems:
        raise SettingsError("the case-sheet action group is misconfigured: " + "; ".join(problems))
    assert isinstance(seconds, int)
    return CaseSettings(table, bucket, prefix, seconds, role)
