"""Which chat model local mode's apps answer with, and the settings that point them at it.

In order: an OpenAI-compatible server the caller names (OPENAI_BASE_URL and OPENAI_MODEL); else
the local model LOCAL_MODEL names (default: the catalog's), served by platform.yaml's
``local-model`` process once its weights are on disk; else, with LOCAL_MODEL=none or when the
weights cannot be fetched, the labelled offline stand-in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from local_model.catalog import DEFAULT, find
from local_model.weights import WeightsError, ensure_weights

# platform.yaml's process that serves the local model; left out when no local model is chosen.
LOCAL_MODEL_PROCESS = "local-model"
NONE = "none"


@dataclass(frozen=True)
class ChatChoice:
    label: str  # how the terminal names the model
    # Every app's settings for it; a value may hold local mode's placeholders ({url:...}).
    env: dict[str, str] = field(default_factory=lambda: {"CHAT_PROVIDER": "offline"})
    serves_local_model: bool = False


def choose(env: Mapping[str, str], cache: Path, say: Callable[[str], None] = print) -> ChatChoice:
    """The chat model for ``env``; fetches a local model's weights into ``cache`` when needed.

    A LOCAL_MODEL that names no model is an error (ValueError); weights that cannot be fetched
    are not: local mode starts with the stand-in and ``say``s how to get them.
    """
    if env.get("OPENAI_BASE_URL"):
        if not env.get("OPENAI_MODEL"):
            raise ValueError(
                "OPENAI_BASE_URL is set but OPENAI_MODEL is not (e.g. OPENAI_MODEL=llama3.1)"
            )
        return ChatChoice(
            f"{env['OPENAI_MODEL']} at {env['OPENAI_BASE_URL']}", {"CHAT_PROVIDER": "openai"}
        )
    name = env.get("LOCAL_MODEL") or DEFAULT
    if name == NONE:
        return ChatChoice(f"the offline stand-in (no model: LOCAL_MODEL={NONE})")
    model = find(name)
    try:
        ensure_weights(model, cache, lambda message: say(f"local model: {message}"))
    except (WeightsError, OSError) as error:
        say(
            f"local model: {error}\nlocal model: the apps answer with the offline stand-in; "
            f"fetch the weights with `.venv/bin/python -m local_model fetch --model {name}` "
            f"and start `make local` again (LOCAL_MODEL={NONE} skips the model)"
        )
        return ChatChoice(f"the offline stand-in (no model: {name}'s weights are missing)")
    return ChatChoice(
        f"{model.title} on this machine, {{url:{LOCAL_MODEL_PROCESS}}}/v1",
        {
            "CHAT_PROVIDER": "openai",
            "OPENAI_BASE_URL": f"{{url:{LOCAL_MODEL_PROCESS}}}/v1",
            "OPENAI_MODEL": model.name,
        },
        serves_local_model=True,
    )
