"""The Hugging Face token for gated base models (Llama 3), read from Secrets Manager.

The token stays in this process's memory: it is passed to ``from_pretrained(token=...)`` and is
never put in the environment, a file, a log line or the manifest.
"""

from __future__ import annotations

import sys
from typing import Any


def hf_token(secretsmanager: Any, secret_arn: str | None) -> str | None:
    """The token held by ``secret_arn``, or None when no secret is configured (public models)."""
    if not secret_arn:
        return None
    try:
        value = secretsmanager.get_secret_value(SecretId=secret_arn).get("SecretString")
    except secretsmanager.exceptions.ResourceNotFoundException:
        # The stacks create the secret without a value: until an administrator stores a token,
        # public base models still load, and a gated one fails saying it needs the token.
        print(
            f"finetune: no Hugging Face token stored in {secret_arn}: public base models only",
            file=sys.stderr,
            flush=True,
        )
        return None
    # An empty secret is the stacks' way of saying "no token" without a missing resource.
    token = (value or "").strip()
    return token or None
