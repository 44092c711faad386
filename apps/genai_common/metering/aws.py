"""The meter of a process that runs on PlatformSettings, its budgets on the platform's
DynamoDB client (retries, timeouts, the local-mode endpoint)."""

from __future__ import annotations

import threading

# The module, so the client factory is looked up per meter built: a factory patched on
# genai_common.aws (the pages' tests do) is never kept here after it is restored.
from genai_common import aws
from genai_common.metering.meter import Meter, build_meter
from genai_common.metering.settings import MeteringSettings
from genai_common.settings import PlatformSettings

_meters: dict[tuple[object, ...], Meter] = {}
_meters_lock = threading.Lock()


def process_meter(settings: PlatformSettings) -> Meter:
    """This process's meter for ``settings``: one per configuration, its DynamoDB client reused
    (settings carry the metering fields: PlatformSettings extends MeteringSettings). Its Model
    dimension names the catalog's foundation model behind each inference profile called."""
    models = tuple(
        (option.model_id, option.foundation_model_id)
        for option in settings.catalog()
        if option.foundation_model_id
    )
    key = (
        *(getattr(settings, name) for name in MeteringSettings.model_fields),
        settings.aws_endpoint_url,
        settings.aws_region,
        models,
    )
    with _meters_lock:
        if key not in _meters:
            dynamodb = None
            if settings.token_budget_table:
                dynamodb = aws.aws_client("dynamodb", settings, interactive=True)
            _meters[key] = build_meter(settings, dynamodb, models=dict(models))
        return _meters[key]
