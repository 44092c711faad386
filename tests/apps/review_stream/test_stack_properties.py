"""The streaming stack's application properties are what the Flink job accepts: every key
infra/streaming/flink.tf sets in the ReviewStream group is a setting of JobSettings (which
refuses unknown keys), and every setting without a default is set."""

from __future__ import annotations

import re
from pathlib import Path

from review_stream.flink_settings import JobSettings

STACK = Path(__file__).resolve().parents[3] / "infra" / "streaming" / "flink.tf"


def review_stream_keys() -> set[str]:
    text = STACK.read_text()
    block = re.search(
        r'property_group_id = "ReviewStream"\s*property_map = \{(.*?)\n\s*\}', text, re.DOTALL
    )
    assert block, "flink.tf has no ReviewStream property group"
    return set(re.findall(r"^\s*([A-Z_]+)\s*=", block.group(1), re.MULTILINE))


def test_every_property_the_stack_sets_is_a_job_setting() -> None:
    aliases = {field.alias for field in JobSettings.model_fields.values()}
    keys = review_stream_keys()
    assert keys <= aliases, f"the job would refuse {keys - aliases}"
    required = {f.alias for f in JobSettings.model_fields.values() if f.is_required()}
    assert required <= keys, f"the stack does not set {required - keys}"
